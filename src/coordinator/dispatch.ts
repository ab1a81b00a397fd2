import { SYSTEM_STREAM, streamBranch } from '../core/execution/branches.js';
import type { FailureRecord } from '../core/execution/records.js';
import { failureComment } from '../core/render/comments.js';
import type { IssueContext } from './context.js';
import { statusOf } from './github.js';
import type { Execution } from './read-execution.js';

// Dispatching a stream: create its branch (the claim: exactly one caller gets 201), bring in its
// dependencies' work, then start its workflow run on that branch. Once claimed, anything that
// goes wrong is recorded as a failure the stream can be retried from: a claim never dangles.

export type DispatchOutcome =
  | {
      readonly stream: string;
      readonly result: 'dispatched';
      readonly sha: string;
      readonly runId?: number;
      readonly runUrl?: string;
    }
  | { readonly stream: string; readonly result: 'claimed-elsewhere' }
  | { readonly stream: string; readonly result: 'failed'; readonly reason: string };

/** Caches the default branch's head for one advance: several streams may start from it. */
export type BaseResolver = () => Promise<string>;

export function defaultHead(context: IssueContext): BaseResolver {
  let head: Promise<string> | undefined;
  return () => {
    head ??= context.github.branchSha(context.defaultBranch).then((sha) => {
      if (!sha) throw new Error(`the default branch ${context.defaultBranch} does not exist`);
      return sha;
    });
    return head;
  };
}

export interface DispatchOptions {
  /** The branch exists and this caller holds the attempt (a retry): reset it instead of creating it. */
  readonly reclaim?: boolean;
}

export async function dispatchStream(
  context: IssueContext,
  execution: Execution,
  streamId: string,
  defaultSha: BaseResolver,
  options: DispatchOptions = {},
): Promise<DispatchOutcome> {
  const { github, issueNumber, config } = context;
  const branch = streamBranch(issueNumber, streamId);
  // With `on-merge` the dependencies' work is on the default branch already.
  const dependencies =
    streamId === SYSTEM_STREAM || config.startDependents === 'on-merge'
      ? []
      : (execution.plan.streams.find((s) => s.id === streamId)?.dependsOn ?? []).filter((d) =>
          execution.branches.has(d),
        );
  const [first, ...others] = dependencies;
  const sha = first ? (execution.branches.get(first) as string) : await defaultSha();

  if (!options.reclaim && (await github.createBranch(branch, sha)) === 'existed') {
    return { stream: streamId, result: 'claimed-elsewhere' };
  }

  try {
    if (options.reclaim) await github.resetBranch(branch, sha);
    for (const other of others) {
      const merged = await github.merge(
        branch,
        streamBranch(issueNumber, other),
        `Merge stream ${other} into ${streamId} (#${issueNumber})`,
      );
      if (merged === 'conflict') {
        const reason = `merge conflict: stream ${streamId} needs ${first} and ${other}, which do not merge cleanly`;
        return fail(context, { stream: streamId, phase: 'dispatch', reason });
      }
    }
    const run = await startRun(context, branch, streamId);
    return {
      stream: streamId,
      result: 'dispatched',
      sha,
      ...(run.runId !== undefined ? { runId: run.runId } : {}),
      ...(run.url ? { runUrl: run.url } : {}),
    };
  } catch (error) {
    const reason = `could not start the stream: ${(error as Error).message}`;
    return fail(context, { stream: streamId, phase: 'dispatch', reason });
  }
}

const REF_NOT_READY_RETRIES = 3;
/** Tries after a 5xx that did not start the run. */
const DISPATCH_RETRIES = 3;

/**
 * Starts the stream's workflow run on its branch. A 5xx may have started it anyway, so the
 * branch's runs are checked before anything is sent again; a branch just created may not be
 * visible to Actions for a moment, so "no ref" is retried after a pause.
 */
export async function startRun(
  context: IssueContext,
  branch: string,
  streamId: string,
): Promise<{ runId?: number; url?: string }> {
  const { github, issueNumber, config } = context;
  const inputs = { issue: String(issueNumber), stream: streamId };
  for (let attempt = 0; ; attempt++) {
    const asked = new Date(Date.now() - 5000).toISOString();
    try {
      return await github.dispatchWorkflow(config.workflow, branch, inputs);
    } catch (error) {
      const status = statusOf(error);
      if (status !== undefined && status >= 500) {
        const started = (await github.runsOn(config.workflow, branch)).find((run) => run.createdAt >= asked);
        if (started) return { runId: started.id, url: started.url };
        if (attempt < DISPATCH_RETRIES) continue; // it did not start: try again, then a failure to retry from
      }
      if (status === 422 && /no ref/i.test((error as Error).message) && attempt < REF_NOT_READY_RETRIES) {
        await new Promise((resolve) => setTimeout(resolve, 1000 * (attempt + 1)));
        continue;
      }
      throw error;
    }
  }
}

async function fail(context: IssueContext, record: FailureRecord): Promise<DispatchOutcome> {
  await context.github.createComment(context.issueNumber, failureComment(record));
  context.log?.(`stream ${record.stream} failed: ${record.reason}`);
  return { stream: record.stream, result: 'failed', reason: record.reason };
}
