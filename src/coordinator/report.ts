import { createHash } from 'node:crypto';
import type { Divergence } from '../core/execution/approval.js';
import { MARKERS } from '../core/execution/records.js';
import { executionTimeline } from '../core/execution/timeline.js';
import { workSummary } from '../core/execution/work-summary.js';
import { renderStatusComment, type StatusReport } from '../core/render/status-comment.js';
import { subIssueProgressComment } from '../core/render/sub-issue-progress.js';
import type { IssueContext } from './context.js';
import { type Execution, failuresOf, markedComments } from './read-execution.js';

// The status comment: found by its marker, edited in place, created once.

export function statusReport(
  context: IssueContext,
  execution: Execution,
  state: StatusReport['state'] = 'active',
  stop: { readonly hold?: Divergence; readonly problem?: string; readonly budget?: string } = {},
): StatusReport {
  const { config } = context;
  return {
    issue: context.issueNumber,
    plan: execution.plan,
    streams: execution.streams,
    ...(execution.system ? { system: execution.system } : {}),
    gates: { task: config.taskGates, stream: config.streamGates, system: config.systemGates },
    state,
    ...(stop.hold ? { hold: stop.hold } : {}),
    ...(stop.problem ? { problem: stop.problem } : {}),
    ...(stop.budget ? { budget: stop.budget } : {}),
    ...(config.budget ? { budgetLimit: config.budget } : {}),
    work: workSummary(execution.plan, execution.work, failuresOf(execution)),
    timeline: executionTimeline(execution),
  };
}

/**
 * Writes the comment with `marker` on issue `on` (the execution's own, unless said), editing the
 * oldest if it changed, and returns its URL.
 */
export async function upsertComment(
  context: IssueContext,
  execution: Pick<Execution, 'comments'>,
  marker: string,
  body: string,
  on: number = context.issueNumber,
): Promise<string | undefined> {
  const [existing, ...duplicates] = markedComments(context, execution, marker);
  // Two replicas starting at once may both create one: the oldest wins, the others go.
  for (const duplicate of duplicates) await context.github.deleteComment(duplicate.id);
  if (existing) {
    // Compared as it would be stored: masked text would otherwise differ on every advance.
    if (existing.body !== context.github.masker.mask(body)) await context.github.updateComment(existing.id, body);
    return existing.url;
  }
  const created = await context.github.createComment(on, body);
  const [oldest] = markedComments(context, { comments: await context.github.listComments(on) }, marker);
  if (oldest && oldest.id !== created.id) {
    await context.github.deleteComment(created.id);
    return oldest.url;
  }
  return created.url;
}

export async function writeStatus(
  context: IssueContext,
  execution: Execution,
  state: StatusReport['state'] = 'active',
  stop: { readonly hold?: Divergence; readonly problem?: string; readonly budget?: string } = {},
): Promise<string | undefined> {
  const written = await writeProgress(context, execution);
  return upsertComment(
    context,
    execution,
    MARKERS.status,
    `${renderStatusComment(statusReport(context, execution, state, stop), written.length)}${written}`,
  );
}

// Each sub-issue's progress comment, written only when it changed. What was last written is
// remembered in the status comment's last line (a digest per sub-issue), so an advance that
// changes nothing costs no request per sub-issue. They are written before the status comment:
// if that write fails, the next advance writes them again. Only the last line counts: text
// quoted above it (a gate's output) cannot pose as it.
const WRITTEN = /^<!-- execution-coordinator:sub-issues ([0-9=a-f ]*) -->$/;

/** Writes the progress comments that changed; returns the status comment's line remembering them. */
async function writeProgress(context: IssueContext, execution: Execution): Promise<string> {
  const streams = execution.plan.streams.filter((s) => s.issue !== undefined);
  if (streams.length === 0) return '';
  const [status] = markedComments(context, execution, MARKERS.status);
  const before = new Map(
    (WRITTEN.exec(status?.body.trimEnd().split('\n').at(-1) ?? '')?.[1] ?? '')
      .split(/\s+/)
      .filter(Boolean)
      .map((pair) => pair.split('=') as [string, string]),
  );
  const after: string[] = [];
  for (const stream of streams) {
    const view = execution.streams.get(stream.id);
    const number = stream.issue as number;
    if (!view) continue;
    const body = subIssueProgressComment(context.issueNumber, stream, view);
    const digest = createHash('sha256').update(body).digest('hex').slice(0, 16);
    if (before.get(String(number)) !== digest) {
      const comments = await context.github.listComments(number);
      await upsertComment(context, { comments }, MARKERS.progress, body, number);
    }
    after.push(`${number}=${digest}`);
  }
  return `<!-- execution-coordinator:sub-issues ${after.join(' ')} -->\n`;
}
