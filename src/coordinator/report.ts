import type { Divergence } from '../core/execution/approval.js';
import { MARKERS } from '../core/execution/records.js';
import { executionTimeline } from '../core/execution/timeline.js';
import { workSummary } from '../core/execution/work-summary.js';
import { renderStatusComment, type StatusReport } from '../core/render/status-comment.js';
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

/** Writes the comment with `marker` (editing the oldest, if it changed) and returns its URL. */
export async function upsertComment(
  context: IssueContext,
  execution: Pick<Execution, 'comments'>,
  marker: string,
  body: string,
): Promise<string | undefined> {
  const [existing, ...duplicates] = markedComments(context, execution, marker);
  // Two replicas starting at once may both create one: the oldest wins, the others go.
  for (const duplicate of duplicates) await context.github.deleteComment(duplicate.id);
  if (existing) {
    // Compared as it would be stored: masked text would otherwise differ on every advance.
    if (existing.body !== context.github.masker.mask(body)) await context.github.updateComment(existing.id, body);
    return existing.url;
  }
  const created = await context.github.createComment(context.issueNumber, body);
  const [oldest] = markedComments(
    context,
    { comments: await context.github.listComments(context.issueNumber) },
    marker,
  );
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
  return upsertComment(
    context,
    execution,
    MARKERS.status,
    renderStatusComment(statusReport(context, execution, state, stop)),
  );
}
