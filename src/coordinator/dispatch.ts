import { SYSTEM_STREAM, streamBranch } from '../core/execution/branches.js';
import type { FailureRecord } from '../core/execution/records.js';
import { failureComment } from '../core/render/comments.js';
import type { IssueContext } from './context.js';
import { statusOf } from './github.js';
import type { Execution } from './read-execution.js';

// Dispatching a stream: create its branch (the claim: exactly one caller gets 201), bring in its
// dependencies' work, then start its workflow run on that branch.

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

export async function dispatchStream(
  context: IssueContext,
  execution: Execution,
  streamId: string,
  defaultSha: BaseResolver,
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

  if ((await github.createBranch(branch, sha)) === 'existed') return { stream: streamId, result: 'claimed-elsewhere' };

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

  try {
    const run = await github.dispatchWorkflow(config.workflow, branch, {
      issue: String(issueNumber),
      stream: streamId,
    });
    return {
      stream: streamId,
      result: 'dispatched',
      sha,
      ...(run.runId !== undefined ? { runId: run.runId } : {}),
      ...(run.url ? { runUrl: run.url } : {}),
    };
  } catch (error) {
    const status = statusOf(error);
    if (status !== undefined && status >= 400 && status < 500) {
      const reason = `could not start the workflow ${config.workflow}: ${(error as Error).message}`;
      return fail(context, { stream: streamId, phase: 'dispatch', reason });
    }
    // A passing fault: give the claim back so the next event tries again.
    await github.deleteBranch(branch);
    throw error;
  }
}

async function fail(context: IssueContext, record: FailureRecord): Promise<DispatchOutcome> {
  await context.github.createComment(context.issueNumber, failureComment(record));
  context.log?.(`stream ${record.stream} failed: ${record.reason}`);
  return { stream: record.stream, result: 'failed', reason: record.reason };
}
