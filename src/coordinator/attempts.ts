import { SYSTEM_STREAM, streamBranch } from '../core/execution/branches.js';
import { isTaskCommitOf } from '../core/execution/ledger.js';
import { decodeRecord } from '../core/execution/records.js';
import type { StreamView } from '../core/execution/status.js';
import { failureComment, retryComment } from '../core/render/comments.js';
import type { IssueContext } from './context.js';
import { defaultHead, dispatchStream, startRun } from './dispatch.js';
import { type Execution, speaksForCoordinator } from './read-execution.js';

// A new attempt at a stream: a person's `/execute retry`, or the coordinator's own when a claim's
// run never appeared. The retry record is the claim on the attempt: of the records for one
// attempt, the oldest acts and the others withdraw, so two replicas, two sweeps or two writers
// start it once.

/** How long a claimed stream may wait for its run to appear before it is started again. */
export const STALL_LIMIT_MS = 10 * 60_000;

export type StreamState = Pick<StreamView, 'status' | 'attempt' | 'stalled' | 'waitingSince' | 'failure'>;

export function viewOf(execution: Execution, stream: string): StreamState | undefined {
  return stream === SYSTEM_STREAM ? execution.system : execution.streams.get(stream);
}

/** Starts attempt `view.attempt + 1` of `stream`, unless another caller holds it: 'started' or 'duplicate'. */
export async function startAttempt(
  context: IssueContext,
  execution: Execution,
  stream: string,
  view: StreamState,
  record: { readonly by: string; readonly reason?: string },
): Promise<'started' | 'duplicate'> {
  const { github, issueNumber } = context;
  const attempt = view.attempt + 1;
  const mine = await github.createComment(issueNumber, retryComment({ stream, attempt, ...record }));
  const rivals = (await github.listComments(issueNumber)).filter((c) => {
    const decoded = speaksForCoordinator(context, c) ? decodeRecord(c.body) : undefined;
    return decoded?.kind === 'retry' && decoded.record.stream === stream && decoded.record.attempt === attempt;
  });
  if (rivals.some((c) => c.id < mine.id)) {
    await github.deleteComment(mine.id);
    return 'duplicate';
  }

  const branch = streamBranch(issueNumber, stream);
  if (view.stalled) {
    // Its run may have appeared since the execution was read: then there is nothing to start.
    const runs = await github.runsOn(context.config.workflow, branch);
    if (runs.some((run) => view.waitingSince === undefined || run.createdAt >= view.waitingSince)) {
      await github.deleteComment(mine.id);
      return 'duplicate';
    }
  }
  if ((view.failure?.record.phase === 'dispatch' || view.stalled) && !(await hasTaskCommits(context, stream))) {
    // It never started (its dependencies conflicted, or the run never came): build it afresh.
    await dispatchStream(context, execution, stream, defaultHead(context), { reclaim: true });
  } else {
    // Its run failed: run again on the same branch, keeping the tasks that passed.
    try {
      await startRun(context, branch, stream);
    } catch (error) {
      const reason = `could not start the stream again: ${(error as Error).message}`;
      await github.createComment(issueNumber, failureComment({ stream, phase: 'run', reason }));
    }
  }
  return 'started';
}

/**
 * How long ago a stalled stream's current attempt began (a retry record's time, else its branch's
 * creation in the repository's activity log); undefined when nothing records it (the log may lag
 * behind a branch just made, or not exist on a GitHub Enterprise Server), which is never taken
 * for "long ago".
 */
export async function stalledFor(
  context: IssueContext,
  stream: string,
  view: StreamState,
  now: number = Date.now(),
): Promise<number | undefined> {
  const since = view.waitingSince ?? (await context.github.branchCreatedAt(streamBranch(context.issueNumber, stream)));
  return since ? now - Date.parse(since) : undefined;
}

/** Whether the stream's branch holds task commits of its own: work a rebuild would throw away. */
async function hasTaskCommits(context: IssueContext, stream: string): Promise<boolean> {
  const { github, issueNumber } = context;
  // Its own commits are on top: the newest page shows them if there are any.
  const messages = await github.commitMessages(streamBranch(issueNumber, stream), () => true);
  return messages.some((message) => isTaskCommitOf(message, stream, issueNumber));
}

/**
 * Claims whose run has not appeared within the limit: a crash between the claim and the dispatch,
 * or an answer lost after GitHub created the branch. Each is started again once, by one caller; a
 * branch that holds task commits is run again as it is, never rebuilt.
 */
export async function restartDangling(context: IssueContext, execution: Execution): Promise<string[]> {
  const restarted: string[] = [];
  for (const stream of [...execution.streams.keys(), SYSTEM_STREAM]) {
    const view = viewOf(execution, stream);
    // Once by itself, at most: a stream whose restart did not run either needs a person.
    if (!view?.stalled || view.attempt > 1) continue;
    const waited = await stalledFor(context, stream, view);
    if (waited === undefined || waited <= STALL_LIMIT_MS) continue;
    const minutes = Math.round(STALL_LIMIT_MS / 60_000);
    const reason = `its run never appeared within ${minutes} minutes of its start`;
    if ((await startAttempt(context, execution, stream, view, { by: 'execution-coordinator', reason })) === 'started')
      restarted.push(stream);
  }
  return restarted;
}
