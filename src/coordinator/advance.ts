import { parseBody } from '../core/breakdown/parse.js';
import { tickSummaries } from '../core/breakdown/tick.js';
import type { Divergence } from '../core/execution/approval.js';
import { SYSTEM_STREAM } from '../core/execution/branches.js';
import { budgetReached, planSpend } from '../core/execution/budget.js';
import { gateOfCheck } from '../core/execution/checks.js';
import { MARKERS } from '../core/execution/records.js';
import type { StreamView } from '../core/execution/status.js';
import { executionTimeline } from '../core/execution/timeline.js';
import type { Usage } from '../core/execution/usage.js';
import { workSummary } from '../core/execution/work-summary.js';
import { criticalPathFirst } from '../core/plan/schedule.js';
import {
  finalReportComment,
  type GateTally,
  invalidBreakdownComment,
  workflowComment,
  workflowProblem,
} from '../core/render/comments.js';
import { holdOf } from './approval.js';
import { restartDangling } from './attempts.js';
import type { IssueContext } from './context.js';
import { type DispatchOutcome, defaultHead, dispatchStream } from './dispatch.js';
import {
  type Execution,
  failuresOf,
  markedComments,
  readExecution,
  readIssue,
  withDispatched,
} from './read-execution.js';
import { upsertComment, writeStatus } from './report.js';
import { readSource } from './source.js';
import { reconcileTicks, restLedger } from './ticks.js';

// Advance: recompute the plan from GitHub, start what became ready, report. Safe to run any
// number of times, from any replica, in any order: the branch claim keeps dispatch to one.

export const EXECUTED_LABEL = 'executed';

export type AdvanceResult =
  | { readonly outcome: 'inactive' }
  | { readonly outcome: 'invalid'; readonly errors: number }
  | { readonly outcome: 'held'; readonly hold: Divergence; readonly statusUrl: string | undefined }
  | { readonly outcome: 'stopped'; readonly problem: string; readonly statusUrl: string | undefined }
  | {
      readonly outcome: 'advanced' | 'finished';
      readonly dispatched: readonly DispatchOutcome[];
      readonly statusUrl: string | undefined;
    };

export async function advance(context: IssueContext): Promise<AdvanceResult> {
  const issue = await readIssue(context);
  if (!issue.labels.includes(context.config.triggerLabel) || issue.state !== 'open') return { outcome: 'inactive' };

  const source = await readSource(context, issue);
  const { plan } = source;
  if (plan.errors.length > 0) {
    const comments = await context.github.listComments(context.issueNumber);
    await upsertComment(
      context,
      { comments },
      MARKERS.invalid,
      invalidBreakdownComment(plan.errors, context.config.triggerLabel),
    );
    return { outcome: 'invalid', errors: plan.errors.length };
  }

  let execution = await readExecution(context, source);
  // Only a plan a writer approved starts anything; a changed one waits, and the status says why.
  const hold = holdOf(context, execution.comments, source.text, plan);
  if (hold) return { outcome: 'held', hold, statusUrl: await writeStatus(context, execution, 'active', { hold }) };

  const views = [...execution.streams.values()];
  const running = views.filter((s) => s.status === 'running').length;
  // More ready than may run: the longest remaining path starts first (ties in document order).
  // Once the plan's recorded spend reaches the budget, no new stream starts (nor, in the
  // Action, a new task); `/execute retry` goes on after the budget is raised.
  const budget = budgetReached(context.config.budget, spendOf(execution));
  const ready = budget
    ? []
    : criticalPathFirst(
        execution.plan.streams,
        views.filter((s) => s.status === 'ready').map((s) => s.id),
      ).slice(0, Math.max(0, context.config.maxParallel - running));
  if (execution.system?.status === 'ready') ready.push(SYSTEM_STREAM);
  const stalled = views.some((s) => s.stalled) || execution.system?.stalled === true;
  if (ready.length > 0 || stalled) {
    // Starting anything needs the stream workflow: missing or disabled, it is one clear problem.
    const problem = await workflowCheck(context, execution);
    if (problem)
      return { outcome: 'stopped', problem, statusUrl: await writeStatus(context, execution, 'active', { problem }) };
  }
  // Claims whose run never appeared are started again (once), then what is ready.
  if (stalled && (await restartDangling(context, execution)).length > 0)
    execution = await readExecution(context, source);
  const dispatched: DispatchOutcome[] = [];
  const base = defaultHead(context);
  for (const stream of ready) dispatched.push(await dispatchStream(context, execution, stream, base));
  // What was just dispatched shows in the report without another full read; a failure left a
  // comment, so that case is read again.
  if (dispatched.some((d) => d.result === 'failed')) execution = await readExecution(context, source);
  else if (dispatched.length > 0) {
    execution = withDispatched(
      context,
      execution,
      dispatched.flatMap((d) => (d.result === 'dispatched' ? [d] : [])),
    );
  }

  // A fixed breakdown leaves its old complaint behind: say it is resolved.
  const [complaint] = markedComments(context, execution, MARKERS.invalid);
  if (complaint && !complaint.body.includes('✅')) {
    await context.github.updateComment(
      complaint.id,
      `${MARKERS.invalid}\n✅ The breakdown is valid now; execution has started.\n`,
    );
  }
  await tickSummary(context, execution);
  const statusUrl = await writeStatus(context, execution, 'active', budget ? { budget } : {});

  if (isFinished(execution)) {
    await finish(context, execution);
    return { outcome: 'finished', dispatched, statusUrl };
  }
  return { outcome: 'advanced', dispatched, statusUrl };
}

/**
 * A summary checklist follows the units it names (`- [ ] Phase 1: Foundation` is ticked once
 * Phase 1 is complete). Read fresh and written at once, only when there is one to tick; a tick of
 * a task that a write like this could overwrite is restored from the ledger by the next repair,
 * and a summary tick that is lost is made again by the next advance.
 */
async function tickSummary(context: IssueContext, execution: Execution): Promise<void> {
  const complete = (stream: string | null) => stream !== null && execution.streams.get(stream)?.complete === true;
  if (!execution.plan.summary.some((item) => !item.done && complete(item.stream))) return;
  const issue = await context.github.getIssue(context.issueNumber);
  const parsed = parseBody(issue.body);
  const owed = parsed.breakdown.summary.filter((item) => !item.done && complete(item.stream));
  if (owed.length === 0) return;
  const body = tickSummaries(
    issue.body,
    parsed,
    owed.map((item) => item.stream as string),
  );
  if (body !== issue.body) await context.github.updateIssueBody(context.issueNumber, body);
}

/** The stream workflow's problem, if it has one; the one comment about it is kept up to date. */
async function workflowCheck(context: IssueContext, execution: Execution): Promise<string | undefined> {
  const { github, config } = context;
  const problem = workflowProblem(config.workflow, await github.workflowState(config.workflow));
  const [comment] = markedComments(context, execution, MARKERS.workflow);
  if (problem) await upsertComment(context, execution, MARKERS.workflow, workflowComment(problem));
  else if (comment && !comment.body.includes('✅')) await github.updateComment(comment.id, workflowComment(undefined));
  return problem;
}

/** What the plan's implementers reported spending: passed tasks' commits and failed tasks' records. */
export function spendOf(execution: Pick<Execution, 'work' | 'facts'>): Usage {
  return planSpend(execution.work, failuresOf(execution));
}

function isFinished(execution: Execution): boolean {
  const streamsDone = [...execution.streams.values()].every((s: StreamView) => s.complete);
  return streamsDone && (execution.system === undefined || execution.system.status === 'done');
}

/**
 * The final report, then the label swap. The report is keyed by its marker (written once, kept
 * single), and the label goes last: whatever fails midway, the next advance finishes the job.
 */
async function finish(context: IssueContext, execution: Execution): Promise<void> {
  const { github, issueNumber, config } = context;
  const tally = await gateTally(context, execution);
  await upsertComment(
    context,
    execution,
    MARKERS.final,
    finalReportComment(
      execution.plan,
      execution.streams,
      tally,
      executionTimeline(execution),
      workSummary(execution.plan, execution.work, failuresOf(execution)),
    ),
  );
  await github.addLabels(issueNumber, [EXECUTED_LABEL]);
  await github.removeLabel(issueNumber, config.triggerLabel);
}

async function gateTally(context: IssueContext, execution: Execution): Promise<GateTally> {
  const heads = [
    ...[...execution.streams.values()].flatMap((s) => (s.pull ? [s.pull.headSha] : [])),
    ...(execution.branches.get(SYSTEM_STREAM) ? [execution.branches.get(SYSTEM_STREAM) as string] : []),
  ];
  let passed = 0;
  let total = 0;
  for (const head of heads) {
    for (const check of await context.github.checkRuns(head)) {
      if (gateOfCheck(check.name) === undefined) continue;
      total++;
      if (check.conclusion === 'success') passed++;
    }
  }
  return { passed, total };
}

/**
 * Repair, then advance: every tick the ledger owes is written (a person's stale save, or a run
 * that could not tick, may have lost some), and the advance starts from the issue as last read.
 */
export async function repairAndAdvance(context: IssueContext): Promise<AdvanceResult> {
  const { github, issueNumber } = context;
  const { issue } = await reconcileTicks(github, issueNumber, restLedger(github, issueNumber));
  return advance({ ...context, issue });
}
