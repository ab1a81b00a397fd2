import { z } from 'zod';

// Facts the coordinator writes as issue comments: append-only, so concurrent writers never
// overwrite each other. Each comment starts with a hidden marker; failure and retry records carry
// their data base64-encoded in it (safe inside an HTML comment) and validated when read back.

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
});
export const RetryRecordSchema = z.object({ stream: z.string(), attempt: z.number().int().positive(), by: z.string() });

export type FailureRecord = z.infer<typeof FailureRecordSchema>;
export type RetryRecord = z.infer<typeof RetryRecordSchema>;

export const MARKERS = {
  status: `${PREFIX}status -->`,
  invalid: `${PREFIX}invalid -->`,
  refusal: `${PREFIX}refusal -->`,
  final: `${PREFIX}final -->`,
} as const;

export function encodeRecord(kind: 'failure' | 'retry', record: FailureRecord | RetryRecord): string {
  return `${PREFIX}${kind} ${Buffer.from(JSON.stringify(record), 'utf8').toString('base64')} -->`;
}

/** The record a comment body starts with, if any; anything malformed is not a record. */
export function decodeRecord(
  body: string,
): { kind: 'failure'; record: FailureRecord } | { kind: 'retry'; record: RetryRecord } | undefined {
  const match = /^<!-- execution-coordinator:(failure|retry) ([A-Za-z0-9+/=]+) -->/.exec(body);
  if (!match) return undefined;
  let data: unknown;
  try {
    data = JSON.parse(Buffer.from(match[2] as string, 'base64').toString('utf8'));
  } catch {
    return undefined;
  }
  if (match[1] === 'failure') {
    const parsed = FailureRecordSchema.safeParse(data);
    return parsed.success ? { kind: 'failure', record: parsed.data } : undefined;
  }
  const parsed = RetryRecordSchema.safeParse(data);
  return parsed.success ? { kind: 'retry', record: parsed.data } : undefined;
}
