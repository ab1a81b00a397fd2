import { z } from 'zod';
import { UsageFileSchema } from './usage.js';

// Facts the coordinator writes as issue comments. Each comment starts with a hidden marker;
// records carry their data base64-encoded in it (safe inside an HTML comment) and validated when
// read back. Failure and retry records are append-only, so concurrent writers never overwrite
// each other; the approval is one comment, edited in place.

const PREFIX = '<!-- execution-coordinator:';

export const FailureRecordSchema = z.object({
  stream: z.string(),
  /** `dispatch`: the stream never started (say a merge conflict); `run`: its run failed. */
  phase: z.enum(['dispatch', 'run']),
  reason: z.string(),
  task: z.string().optional(),
  gate: z.string().optional(),
  tail: z.string().optional(),
  runUrl: z.string().optional(),
  /** The stream stopped before a task that is a person's: it waits for them, nothing failed. */
  person: z.literal(true).optional(),
  /** The stream stopped because the plan's recorded spend reached the budget: nothing failed. */
  budget: z.literal(true).optional(),
  /** What the failed task's attempts spent: it has no commit to carry it, and still counts. */
  usage: UsageFileSchema.optional(),
  /** How many times `implement` ran on the task before the stream stopped. */
  attempts: z.number().int().positive().optional(),
});
export const RetryRecordSchema = z.object({
  stream: z.string(),
  attempt: z.number().int().positive(),
  by: z.string(),
  /** Why the coordinator retried by itself (a run that never appeared); absent when a person asked. */
  reason: z.string().optional(),
});
/**
 * The plan a writer approved: a digest of each stream (its title, dependencies, gates, tasks and
 * subtasks) and of the text (title and body, checkboxes left out). Only this runs.
 */
export const ApprovalRecordSchema = z.object({
  by: z.string(),
  text: z.string(),
  streams: z.record(z.string(), z.string()),
});

export type FailureRecord = z.infer<typeof FailureRecordSchema>;
export type RetryRecord = z.infer<typeof RetryRecordSchema>;
export type ApprovalRecord = z.infer<typeof ApprovalRecordSchema>;

const SCHEMAS = { failure: FailureRecordSchema, retry: RetryRecordSchema, approval: ApprovalRecordSchema } as const;
type Kind = keyof typeof SCHEMAS;
type Records = { [K in Kind]: z.infer<(typeof SCHEMAS)[K]> };
export type DecodedRecord = { [K in Kind]: { readonly kind: K; readonly record: Records[K] } }[Kind];

export const MARKERS = {
  status: `${PREFIX}status -->`,
  invalid: `${PREFIX}invalid -->`,
  refusal: `${PREFIX}refusal -->`,
  final: `${PREFIX}final -->`,
  workflow: `${PREFIX}workflow -->`,
  /** A sub-issue's own progress line (its stream's state), on the sub-issue. */
  progress: `${PREFIX}progress -->`,
  /** The start of an approval record (its data follows). */
  approval: `${PREFIX}approval `,
} as const;

export function encodeRecord<K extends Kind>(kind: K, record: Records[K]): string {
  return `${PREFIX}${kind} ${Buffer.from(JSON.stringify(record), 'utf8').toString('base64')} -->`;
}

/** The record a comment body starts with, if any; anything malformed is not a record. */
export function decodeRecord(body: string): DecodedRecord | undefined {
  const match = /^<!-- execution-coordinator:(failure|retry|approval) ([A-Za-z0-9+/=]+) -->/.exec(body);
  if (!match) return undefined;
  let data: unknown;
  try {
    data = JSON.parse(Buffer.from(match[2] as string, 'base64').toString('utf8'));
  } catch {
    return undefined;
  }
  const kind = match[1] as Kind;
  const parsed = SCHEMAS[kind].safeParse(data);
  return parsed.success ? ({ kind, record: parsed.data } as DecodedRecord) : undefined;
}
