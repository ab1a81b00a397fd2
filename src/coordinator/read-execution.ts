import { branchPrefix, parseStreamBranch, SYSTEM_STREAM, streamBranch } from '../core/execution/branches.js';
import type { SourceText } from '../core/execution/breakdown-change.js';
import { type Dated, NO_FACTS, type PullFact, type RunFact, type StreamFacts } from '../core/execution/facts.js';
import { type TaskTrailers, taskKey } from '../core/execution/ledger.js';
import { decodeRecord, type FailureRecord, type RetryRecord } from '../core/execution/records.js';
import { type StreamView, streamViews, systemView } from '../core/execution/status.js';
import type { Plan, Stream } from '../core/model.js';
import { planExecution } from '../core/plan/plan.js';
import type { SystemStatus } from '../core/render/status-comment.js';
import type { IssueContext } from './context.js';
import type { Comment, Issue } from './github.js';
import { readSource, type Source } from './source.js';
import { ledgerCommits } from './ticks.js';

// Everything GitHub knows about one execution, read in one go: the issue (the caller's copy, if it
// has just read or received it), the stream branches, runs, pull requests and records.

export interface Execution {
  readonly issue: Issue;
  /** The words the plan was read from: the issue's and its sub-issues'. */
  readonly text: SourceText;
  readonly plan: Plan;
  /** Stream branch heads by stream id (`system` for the integration branch). */
  readonly branches: ReadonlyMap<string, string>;
  readonly facts: ReadonlyMap<string, StreamFacts>;
  readonly streams: ReadonlyMap<string, StreamView>;
  readonly system:
    | (SystemStatus & { readonly claimed: boolean; readonly attempt: number; readonly stalled: boolean })
    | undefined;
  readonly comments: readonly Comment[];
  /** The issue's task commits: which attempt passed each task, and what it spent. */
  readonly work: readonly TaskTrailers[];
}

export async function readIssue(context: IssueContext): Promise<Issue> {
  return context.issue ?? (await context.github.getIssue(context.issueNumber));
}

export async function readExecution(context: IssueContext, source?: Source): Promise<Execution> {
  const { github, issueNumber, config } = context;
  const { issue: current, text, plan: read } = source ?? (await readSource(context));
  const prefix = branchPrefix(issueNumber);

  const branches = new Map<string, string>();
  for (const [name, sha] of await github.branches(prefix)) {
    const parsed = parseStreamBranch(name);
    if (parsed?.issue === issueNumber) branches.set(parsed.stream, sha);
  }
  // Runs and pull requests only exist once something was claimed.
  const [runs, pulls, comments, work] = await Promise.all([
    branches.size > 0 ? github.dispatchedRuns(config.workflow) : new Map<string, RunFact[]>(),
    branches.size > 0 ? github.pullsByBranch(prefix) : new Map<string, PullFact>(),
    github.listComments(issueNumber),
    ledgerCommits(
      github,
      issueNumber,
      [...branches.keys()].map((stream) => streamBranch(issueNumber, stream)),
    ),
  ]);
  const plan = withCommitted(read, work);

  const failures = new Map<string, Dated<FailureRecord>[]>();
  const retries = new Map<string, Dated<RetryRecord>[]>();
  for (const comment of comments) {
    if (!speaksForCoordinator(context, comment)) continue; // only the coordinator writes records
    const decoded = decodeRecord(comment.body);
    const dated = { at: comment.createdAt, url: comment.url, order: comment.id };
    if (decoded?.kind === 'failure') append(failures, decoded.record.stream, { record: decoded.record, ...dated });
    if (decoded?.kind === 'retry') append(retries, decoded.record.stream, { record: decoded.record, ...dated });
  }
  // The repository-wide lists hold only the newest 100: a busy repository can push a stream's
  // run or pull request off them, so a claimed stream missing there is looked up by its branch.
  for (const stream of branches.keys()) {
    const branch = streamBranch(issueNumber, stream);
    if (!runs.has(branch)) runs.set(branch, await github.runsOn(config.workflow, branch));
    const planned = plan.streams.find((s) => s.id === stream);
    const ticked = stream === SYSTEM_STREAM || (planned?.tasks.every((t) => t.done) ?? false);
    if (!pulls.has(branch) && ticked) {
      const pull = await github.pullFrom(branch);
      if (pull) pulls.set(branch, pull);
    }
  }
  const blockers = await openBlockers(github, plan, branches);
  const facts = new Map<string, StreamFacts>();
  for (const stream of [...plan.streams.map((s) => s.id), SYSTEM_STREAM]) {
    const branch = streamBranch(issueNumber, stream);
    const sha = branches.get(stream);
    const pull = sha ? pulls.get(branch) : undefined;
    const waitsOn = blockers.get(stream);
    facts.set(stream, {
      ...(sha ? { branch: sha } : {}),
      runs: sha ? (runs.get(branch) ?? []) : [],
      ...(pull ? { pull } : {}),
      failures: failures.get(stream) ?? [],
      retries: retries.get(stream) ?? [],
      ...(waitsOn ? { blockers: waitsOn } : {}),
    });
  }

  return derive(context, { issue: current, text, plan, branches, facts, comments, work });
}

/**
 * A task without a checkbox (a sub-issue without a checklist) is done once its commit is on its
 * stream's branch: there is no box to say so.
 */
function withCommitted(plan: Plan, work: readonly TaskTrailers[]): Plan {
  if (!plan.streams.some(hasUnboxed)) return plan;
  const keys = new Set(work.flatMap((commit) => commit.tasks));
  const streams = plan.streams.map((stream) => withCommittedTasks(stream, keys));
  // Planned again: progress and the critical path count what is left.
  const { errors, warnings, criteria, summary } = plan;
  return planExecution({ streams, errors, warnings, criteria, summary });
}

/** `stream` with its tasks without a checkbox done where its own branch has their commits. */
export async function committed(context: IssueContext, stream: Stream | undefined): Promise<Stream | undefined> {
  if (!stream || !hasUnboxed(stream)) return stream;
  const { github, issueNumber } = context;
  const work = await ledgerCommits(github, issueNumber, [streamBranch(issueNumber, stream.id)]);
  return withCommittedTasks(stream, new Set(work.flatMap((commit) => commit.tasks)));
}

function hasUnboxed(stream: Stream): boolean {
  return stream.tasks.some((t) => t.checkbox === false && !t.done);
}

function withCommittedTasks(stream: Stream, keys: ReadonlySet<string>): Stream {
  return {
    ...stream,
    tasks: stream.tasks.map((t) => (t.checkbox === false && keys.has(taskKey(t)) ? { ...t, done: true } : t)),
  };
}

/**
 * For each stream not started yet that waits for issues outside the plan, those not closed as
 * completed. Each issue is asked once per read; a started stream is past waiting.
 */
async function openBlockers(
  github: IssueContext['github'],
  plan: Plan,
  branches: ReadonlyMap<string, string>,
): Promise<Map<string, string[]>> {
  const states = new Map<string, Promise<string>>();
  const blockers = new Map<string, string[]>();
  for (const stream of plan.streams) {
    if (!stream.external || branches.has(stream.id)) continue;
    const open: string[] = [];
    for (const ref of stream.external) {
      if (!states.has(ref)) states.set(ref, github.issueState(ref));
      if ((await states.get(ref)) !== 'completed') open.push(ref);
    }
    if (open.length > 0) blockers.set(stream.id, open);
  }
  return blockers;
}

type ExecutionFacts = Pick<Execution, 'issue' | 'text' | 'plan' | 'branches' | 'facts' | 'comments' | 'work'>;

function derive(context: IssueContext, read: ExecutionFacts): Execution {
  const streams = streamViews(read.plan, read.facts, context.config);
  const system =
    context.config.systemGates.length > 0 ? systemView(streams, read.facts.get(SYSTEM_STREAM) ?? NO_FACTS) : undefined;
  return { ...read, streams, system };
}

/** The execution as it stands after these streams were claimed and their runs requested. */
export function withDispatched(
  context: IssueContext,
  execution: Execution,
  dispatched: readonly { stream: string; sha: string; runId?: number; runUrl?: string }[],
): Execution {
  const branches = new Map(execution.branches);
  const facts = new Map(execution.facts);
  for (const { stream, sha, runId, runUrl } of dispatched) {
    branches.set(stream, sha);
    const runs =
      runId !== undefined && runUrl !== undefined
        ? [{ id: runId, status: 'queued', conclusion: null, url: runUrl, createdAt: new Date().toISOString() }]
        : [];
    facts.set(stream, { ...(facts.get(stream) ?? NO_FACTS), branch: sha, runs });
  }
  return derive(context, { ...execution, branches, facts });
}

/** Every failure record of the execution, of every stream. */
export function failuresOf(execution: Pick<Execution, 'facts'>): FailureRecord[] {
  return [...execution.facts.values()].flatMap((facts) => facts.failures.map((dated) => dated.record));
}

function append<T>(map: Map<string, T[]>, key: string, value: T): void {
  map.set(key, [...(map.get(key) ?? []), value]);
}

/** Whether a comment is the coordinator's own: a bot's, and one it trusts where it knows whom. */
export function speaksForCoordinator(context: Pick<IssueContext, 'trusted'>, comment: Comment): boolean {
  return comment.authorIsBot && context.trusted(comment.author);
}

/** The coordinator's comments that start with `marker`, oldest first; extras are duplicates. */
export function markedComments(
  context: Pick<IssueContext, 'trusted'>,
  execution: { readonly comments: readonly Comment[] },
  marker: string,
): Comment[] {
  return execution.comments.filter((c) => speaksForCoordinator(context, c) && c.body.startsWith(marker));
}
