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
  /** Claimed, with no run and no failure in its current attempt: it waits for its run to appear. */
  readonly stalled: boolean;
  /** When a stalled stream's current attempt began, if a record says (a retry's); else its claim did. */
  readonly waitingSince?: string;
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
  const run = latestRun(facts.runs);
  const base = {
    id: stream.id,
    claimed,
    stalled: false,
    attempt: 1 + facts.retries.length,
    ...(facts.pull ? { pull: facts.pull } : {}),
    ...(run ? { run } : {}),
  };

  const abandoned = facts.pull !== undefined && facts.pull.state === 'closed' && !facts.pull.merged;
  if (ticked && claimed && abandoned) {
    // Closed without merging: nobody took the work. Its last attempt decides whether a retry is
    // already on its way (a retry reopens a pull request); else it waits for a person.
    const closed = {
      status: 'failed',
      detail: `pull request #${facts.pull?.number} was closed without merging: reopen it, or comment \`/execute retry ${stream.id}\` to open a new one`,
    } as const;
    return { ...base, ...claimedStatus(facts, closed) };
  }

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
    const outside = facts.blockers ?? [];
    const detail = [
      waiting.length > 0 ? `waiting for ${waiting.join(', ')}` : '',
      outside.length > 0 ? `waiting on ${outside.join(', ')}` : '',
    ]
      .filter(Boolean)
      .join('; ');
    return detail !== ''
      ? { ...base, status: 'blocked', complete: false, detail }
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

/**
 * A claimed stream's state within its current attempt. An attempt starts at the latest retry
 * record (records are ordered by comment id, exactly); its failures are the records after that,
 * its runs those created since (a retry's run is created after its record). A failure record
 * decides; otherwise the attempt's latest run does. What a successful run means is the caller's:
 * a stream is only done once its pull request exists.
 */
function claimedStatus(
  facts: StreamFacts,
  succeeded: ClaimedState,
): ClaimedState & { complete: false; stalled: boolean; waitingSince?: string } {
  const retry = facts.retries.reduce<(typeof facts.retries)[number] | undefined>(
    (latest, r) => (!latest || r.order > latest.order ? r : latest),
    undefined,
  );
  const failure = facts.failures
    .filter((f) => !retry || f.order > retry.order)
    .reduce<(typeof facts.failures)[number] | undefined>(
      (latest, f) => (!latest || f.order > latest.order ? f : latest),
      undefined,
    );
  if (failure) return { status: 'failed', complete: false, stalled: false, detail: failure.record.reason, failure };
  const run = latestRun(retry ? facts.runs.filter((r) => r.createdAt >= retry.at) : facts.runs);
  if (!run) {
    const waiting = retry
      ? `retrying (attempt ${retry.record.attempt}); waiting for its run to start`
      : 'dispatched; waiting for its run to start';
    return {
      status: 'running',
      complete: false,
      stalled: true,
      detail: waiting,
      ...(retry ? { waitingSince: retry.at } : {}),
    };
  }
  if (ACTIVE_RUN.has(run.status)) {
    return { status: 'running', complete: false, stalled: false, detail: `run ${run.status.replace('_', ' ')}` };
  }
  if (run.conclusion === 'success') return { ...succeeded, complete: false, stalled: false };
  return {
    status: 'failed',
    complete: false,
    stalled: false,
    detail: `the run ended: ${run.conclusion ?? run.status}`,
  };
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
): Pick<StreamView, 'status' | 'detail' | 'claimed' | 'attempt' | 'stalled' | 'waitingSince' | 'run' | 'failure'> {
  const claimed = facts.branch !== undefined;
  const attempt = 1 + facts.retries.length;
  const run = latestRun(facts.runs);
  const waiting = [...streams.values()].filter((s) => !s.complete).map((s) => s.id);
  if (!claimed) {
    return waiting.length > 0
      ? { status: 'blocked', detail: `waiting for ${waiting.join(', ')}`, claimed, attempt, stalled: false }
      : { status: 'ready', detail: 'ready to start', claimed, attempt, stalled: false };
  }
  const passed = { status: 'done', detail: 'system gates passed' } as const;
  const { complete: _, ...state } = claimedStatus(facts, passed);
  // The integration pull request opens only after the system gates pass, before the run ends.
  if (facts.pull && state.status === 'running')
    return { ...passed, claimed, attempt, stalled: false, ...(run ? { run } : {}) };
  return { ...state, claimed, attempt, ...(run ? { run } : {}) };
}
