import type { Plan } from '../model.js';
import { streamGraph } from '../plan/graph.js';
import { remainingPaths, streamWeights } from '../plan/schedule.js';
import { SYSTEM_STREAM } from './branches.js';
import type { RunFact, StreamFacts } from './facts.js';
import type { StreamView } from './status.js';

// When each stream ran, what is left on the critical path, and when the work should end: a pure
// function of the plan and the facts GitHub holds. "Now" is the newest time among those facts
// (the latest start, end or record), never the clock, so any replica computes the same timeline
// from the same state.

const QUEUED = new Set(['queued', 'waiting', 'requested', 'pending']);

/** One workflow run, from its start to its end (no end while it runs). */
export interface RunSpan {
  readonly id: number;
  readonly url: string;
  /** When it began running; a queued run has not. */
  readonly start?: string;
  /** When it completed; undefined while it is queued or running. */
  readonly end?: string;
  readonly conclusion: string | null;
}

export type SpanState = 'queued' | 'running' | 'done' | 'failed';

/** A stream's runs, oldest first: it starts with its first run's start and ends with the run that completed it. */
export interface StreamSpan {
  readonly stream: string;
  readonly state: SpanState;
  readonly runs: readonly RunSpan[];
  readonly start?: string;
  /** Done: the end of the run that completed it (once that run has ended). Failed: its last run's end. */
  readonly end?: string;
}

export interface CriticalPathNow {
  /** The longest remaining chain of streams with work left, first to last; empty when none has. */
  readonly streams: readonly string[];
  /** Its length: minutes when the breakdown has estimates, open tasks otherwise. */
  readonly length: number;
  readonly unit: 'minutes' | 'tasks';
}

export interface ExpectedFinish {
  readonly basis: 'estimates' | 'observed';
  /** Minutes of work left on the critical path. */
  readonly minutes: number;
  /** `now` plus those minutes; undefined before anything has run. */
  readonly at?: string;
  /** For `observed`: minutes per task over the completed runs, and how many tasks that measured. */
  readonly perTask?: { readonly minutes: number; readonly tasks: number };
}

export interface Timeline {
  /** The newest time among the facts: what "now" is for this timeline. */
  readonly now?: string;
  /** Streams that have runs, in document order, the integration run last. */
  readonly streams: readonly StreamSpan[];
  readonly criticalPath: CriticalPathNow;
  /** Undefined when nothing is left, or there are neither estimates nor finished tasks to go by. */
  readonly finish?: ExpectedFinish;
}

export interface TimelineInput {
  readonly plan: Plan;
  readonly facts: ReadonlyMap<string, StreamFacts>;
  readonly streams: ReadonlyMap<string, Pick<StreamView, 'status'>>;
  readonly system?: Pick<StreamView, 'status'> | undefined;
}

export function executionTimeline(input: TimelineInput): Timeline {
  const { plan, facts } = input;
  const now = latestTime(facts);
  const spans: StreamSpan[] = [];
  const ids = [...new Set(plan.streams.map((s) => s.id))];
  for (const id of [...ids, SYSTEM_STREAM]) {
    const view = id === SYSTEM_STREAM ? input.system : input.streams.get(id);
    const runs = facts.get(id)?.runs ?? [];
    if (view && runs.length > 0) spans.push(streamSpan(id, view.status, runs));
  }
  const criticalPath = criticalPathNow(plan);
  const finish = expectedFinish(plan, spans, criticalPath, now);
  return { ...(now ? { now } : {}), streams: spans, criticalPath, ...(finish ? { finish } : {}) };
}

function runSpan(run: RunFact): RunSpan {
  const queued = QUEUED.has(run.status);
  const start = queued ? undefined : (run.startedAt ?? run.createdAt);
  const end = run.status === 'completed' ? (run.updatedAt ?? start) : undefined;
  return { id: run.id, url: run.url, ...(start ? { start } : {}), ...(end ? { end } : {}), conclusion: run.conclusion };
}

function streamSpan(stream: string, status: StreamView['status'], facts: readonly RunFact[]): StreamSpan {
  const runs = [...facts].sort((a, b) => compare(a.createdAt, b.createdAt) || a.id - b.id).map(runSpan);
  const start = runs.find((r) => r.start)?.start;
  const last = runs.at(-1);
  const state: SpanState =
    status === 'done' ? 'done' : status === 'failed' ? 'failed' : start === undefined ? 'queued' : 'running';
  // Done: the run that completed it is its latest successful one (or still going: no end yet).
  const completing =
    state === 'done'
      ? ([...runs].reverse().find((r) => r.conclusion === 'success' || r.end === undefined) ?? last)
      : undefined;
  const end = state === 'done' ? completing?.end : state === 'failed' ? last?.end : undefined;
  return { stream, state, runs, ...(start ? { start } : {}), ...(end ? { end } : {}) };
}

/** The newest GitHub time among the runs that started and the coordinator's records. */
function latestTime(facts: ReadonlyMap<string, StreamFacts>): string | undefined {
  let latest: string | undefined;
  const see = (time: string | undefined) => {
    if (time !== undefined && (latest === undefined || time > latest)) latest = time;
  };
  for (const stream of facts.values()) {
    for (const run of stream.runs) {
      const span = runSpan(run);
      see(span.start);
      see(span.end);
      if (span.start) see(run.updatedAt);
    }
    for (const record of [...stream.failures, ...stream.retries]) see(record.at);
  }
  return latest;
}

/**
 * The longest chain of streams with work left, by the scheduler's weights (minutes where the
 * breakdown has estimates, open tasks where it has none): from the startable stream with the
 * longest remaining path, each step to the dependent whose path is longest, ties in document order.
 */
export function criticalPathNow(plan: Plan): CriticalPathNow {
  const graph = streamGraph(plan.streams);
  const weights = streamWeights(plan.streams);
  const paths = remainingPaths(plan.streams, graph, weights);
  const unit = hasEstimates(plan) ? 'minutes' : 'tasks';
  const path = (id: string) => paths.get(id) ?? 0;
  const longest = (candidates: readonly string[]) =>
    candidates.reduce<string | undefined>((best, id) => (path(id) > (best ? path(best) : 0) ? id : best), undefined);

  const chain: string[] = [];
  const startable = graph.order.filter((id) => graph.level.has(id) && (weights.get(id) ?? 0) > 0);
  for (let at = longest(startable); at !== undefined; at = longest(graph.dependents.get(at) ?? [])) chain.push(at);
  const first = chain[0];
  return {
    // A stream with nothing left (ticked by hand) adds nothing: it is passed through, not shown.
    streams: chain.filter((id) => (weights.get(id) ?? 0) > 0),
    length: first === undefined ? 0 : path(first),
    unit,
  };
}

function hasEstimates(plan: Plan): boolean {
  return plan.streams.some(
    (s) => s.estimateMinutes !== undefined || s.tasks.some((t) => t.estimateMinutes !== undefined),
  );
}

/**
 * From estimates when the breakdown has them; otherwise from the time per task the runs took so
 * far: the completed runs of streams with no run going, over the tasks those streams ticked.
 */
function expectedFinish(
  plan: Plan,
  spans: readonly StreamSpan[],
  path: CriticalPathNow,
  now: string | undefined,
): ExpectedFinish | undefined {
  if (path.streams.length === 0) return undefined;
  // A time beyond what a Date holds (estimates from anyone, summed) has no finish to show.
  const at = (minutes: number) => {
    const time = now === undefined ? Number.NaN : Date.parse(now) + Math.round(minutes * 60) * 1000;
    return Number.isFinite(time) && Math.abs(time) <= 8.64e15 ? { at: new Date(time).toISOString() } : {};
  };
  if (path.unit === 'minutes') return { basis: 'estimates', minutes: path.length, ...at(path.length) };

  let milliseconds = 0;
  let tasks = 0;
  for (const span of spans) {
    const stream = plan.streams.find((s) => s.id === span.stream);
    if (!stream || span.runs.some((r) => r.end === undefined)) continue;
    for (const run of span.runs)
      milliseconds += Date.parse(run.end as string) - Date.parse(run.start ?? (run.end as string));
    tasks += stream.tasks.filter((t) => t.done).length;
  }
  if (tasks === 0) return undefined;
  const perTask = milliseconds / 60_000 / tasks;
  const minutes = path.length * perTask;
  return { basis: 'observed', minutes, ...at(minutes), perTask: { minutes: perTask, tasks } };
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
