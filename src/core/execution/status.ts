import type { Plan, Stream } from '../model.js';
import { streamGraph } from '../plan/graph.js';
import type { Dated, PullFact, RunFact, StreamFacts } from './facts.js';
import { NO_FACTS } from './facts.js';
import type { FailureRecord } from './records.js';

export type StreamStatus = 'done' | 'running' | 'ready' | 'blocked' | 'failed';

export interface StreamView {
  readonly id: string;
  readonly status: StreamStatus;
  /** One line for people: why the stream is where it is. */
  readonly detail: string;
  /** Done, and (with `on-merge`) merged: its dependents may start. */
  readonly complete: boolean;
  readonly claimed: boolean;
  readonly attempt: number;
  readonly run?: RunFact;
  readonly pull?: PullFact;
  readonly failure?: Dated<FailureRecord>;
}

export interface StatusOptions {
  readonly startDependents: 'on-complete' | 'on-merge';
}

const ACTIVE_RUN = new Set(['queued', 'in_progress', 'waiting', 'requested', 'pending']);

export function streamViews(
  plan: Plan,
  facts: ReadonlyMap<string, StreamFacts>,
  options: StatusOptions,
): Map<string, StreamView> {
  const graph = streamGraph(plan.streams);
  const views = new Map<string, StreamView>();
  // Dependencies before dependents: a stream's readiness needs its dependencies' views.
  const order = [...graph.order].sort((a, b) => (graph.level.get(a) ?? 1e9) - (graph.level.get(b) ?? 1e9));
  for (const id of order) {
    const stream = graph.streams.get(id) as Stream;
    const view = streamView(stream, facts.get(id) ?? NO_FACTS, options, (dep) => views.get(dep), graph.level.has(id));
    views.set(id, view);
  }
  return new Map(graph.order.map((id) => [id, views.get(id) as StreamView]));
}

function streamView(
  stream: Stream,
  facts: StreamFacts,
  options: StatusOptions,
  viewOf: (id: string) => StreamView | undefined,
  schedulable: boolean,
): StreamView {
  const claimed = facts.branch !== undefined;
  const ticked = stream.tasks.every((t) => t.done);
  const base = {
    id: stream.id,
    claimed,
    attempt: 1 + facts.retries.length,
    ...(facts.pull ? { pull: facts.pull } : {}),
    ...(latestRun(facts.runs) ? { run: latestRun(facts.runs) as RunFact } : {}),
  };

  if (ticked && (!claimed || facts.pull)) {
    const merged = facts.pull?.merged ?? false;
    const complete = options.startDependents === 'on-complete' || !claimed || merged;
    const detail = !claimed
      ? 'every task ticked'
      : merged
        ? `pull request #${facts.pull?.number} merged`
        : options.startDependents === 'on-merge'
          ? `waiting for pull request #${facts.pull?.number} to merge`
          : `pull request #${facts.pull?.number} open`;
    return { ...base, status: 'done', complete, detail };
  }

  if (!claimed) {
    if (!schedulable) return { ...base, status: 'blocked', complete: false, detail: 'in or after a dependency cycle' };
    const waiting = stream.dependsOn.filter((dep) => !viewOf(dep)?.complete);
    return waiting.length > 0
      ? { ...base, status: 'blocked', complete: false, detail: `waiting for ${waiting.join(', ')}` }
      : { ...base, status: 'ready', complete: false, detail: 'ready to start' };
  }

  return {
    ...base,
    ...claimedStatus(facts, {
      status: 'failed',
      detail: 'the run succeeded but left tasks open or opened no pull request',
    }),
  };
}

type ClaimedState = Pick<StreamView, 'status' | 'detail' | 'failure'>;

type Event =
  | { kind: 'run'; at: string; run: RunFact }
  | { kind: 'failure'; at: string; failure: Dated<FailureRecord> }
  | { kind: 'retry'; at: string; attempt: number };

/**
 * A claimed stream's state is its latest event: a run, a failure record or a retry. What a
 * successful run means is the caller's: a stream is only done once its pull request exists.
 */
function claimedStatus(facts: StreamFacts, succeeded: ClaimedState): ClaimedState & { complete: false } {
  const events: Event[] = [
    ...facts.runs.map((run): Event => ({ kind: 'run', at: run.createdAt, run })),
    ...facts.failures.map((failure): Event => ({ kind: 'failure', at: failure.at, failure })),
    ...facts.retries.map((retry): Event => ({ kind: 'retry', at: retry.at, attempt: retry.record.attempt })),
  ];
  const rank = { run: 0, failure: 1, retry: 2 };
  events.sort((a, b) => a.at.localeCompare(b.at) || rank[a.kind] - rank[b.kind]);
  const latest = events.at(-1);
  if (!latest) return { status: 'running', complete: false, detail: 'dispatched; waiting for its run to start' };
  if (latest.kind === 'failure') {
    return { status: 'failed', complete: false, detail: latest.failure.record.reason, failure: latest.failure };
  }
  if (latest.kind === 'retry') {
    return {
      status: 'running',
      complete: false,
      detail: `retrying (attempt ${latest.attempt}); waiting for its run to start`,
    };
  }
  const { run } = latest;
  if (ACTIVE_RUN.has(run.status))
    return { status: 'running', complete: false, detail: `run ${run.status.replace('_', ' ')}` };
  if (run.conclusion === 'success') return { ...succeeded, complete: false };
  return { status: 'failed', complete: false, detail: `the run ended: ${run.conclusion ?? run.status}` };
}

function latestRun(runs: readonly RunFact[]): RunFact | undefined {
  return runs.reduce<RunFact | undefined>(
    (latest, run) => (!latest || run.createdAt >= latest.createdAt ? run : latest),
    undefined,
  );
}

/** The integration run that checks all streams together, once they are all complete. */
export function systemView(
  streams: ReadonlyMap<string, StreamView>,
  facts: StreamFacts,
): Pick<StreamView, 'status' | 'detail' | 'claimed' | 'attempt' | 'run' | 'failure'> {
  const claimed = facts.branch !== undefined;
  const attempt = 1 + facts.retries.length;
  const run = latestRun(facts.runs);
  const waiting = [...streams.values()].filter((s) => !s.complete).map((s) => s.id);
  if (!claimed) {
    return waiting.length > 0
      ? { status: 'blocked', detail: `waiting for ${waiting.join(', ')}`, claimed, attempt }
      : { status: 'ready', detail: 'ready to start', claimed, attempt };
  }
  const { complete: _, ...state } = claimedStatus(facts, { status: 'done', detail: 'system gates passed' });
  return { ...state, claimed, attempt, ...(run ? { run } : {}) };
}
