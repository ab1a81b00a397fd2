import type { Stream } from '../src/core/model.js';
import { criticalPathFirst } from '../src/core/plan/schedule.js';
import { type Figure, round3 } from './figure.js';

// Critical path first (issue 10, item 5), measured: list scheduling of random stream graphs with
// the coordinator's own ordering, against document order (what it did before), each as a
// makespan over its lower bound, max(critical path, total work ÷ max-parallel).

const GRAPHS = 300;

/** A seeded random source (xorshift32): the same graphs on every run. */
function random(seed: number): () => number {
  let state = seed >>> 0 || 1;
  return () => {
    state ^= state << 13;
    state ^= state >>> 17;
    state ^= state << 5;
    return (state >>> 0) / 4294967296;
  };
}

/**
 * A breakdown's graph: 12–30 streams, each depending on up to three earlier ones (a document
 * lists dependencies first), with durations log-normal around an hour (a few minutes to a day,
 * most short, some long) and 1–8 tasks, the stream's estimate being its true duration.
 */
function randomGraph(next: () => number): Stream[] {
  const count = 12 + Math.floor(next() * 19);
  const streams: Stream[] = [];
  for (let i = 0; i < count; i++) {
    const dependsOn = new Set<string>();
    const wanted = Math.min(i, Math.floor(next() * 4));
    while (dependsOn.size < wanted) dependsOn.add(`S${Math.floor(next() * i)}`);
    const normal = Math.sqrt(-2 * Math.log(1 - next())) * Math.cos(2 * Math.PI * next());
    const minutes = Math.min(480, Math.max(5, Math.round(60 * Math.exp(normal))));
    const tasks = Array.from({ length: 1 + Math.floor(next() * 8) }, (_, t) => ({
      id: `S${i}.${t + 1}`,
      title: `task ${t + 1}`,
      line: 1,
      done: false,
      subtasks: [],
    }));
    streams.push({
      id: `S${i}`,
      title: `stream ${i}`,
      line: i + 1,
      dependsOn: [...dependsOn],
      gates: [],
      tasks,
      estimateMinutes: minutes,
    });
  }
  return streams;
}

type Order = (streams: readonly Stream[], ready: readonly string[]) => string[];

/** Document order: the ready streams as the breakdown lists them (ids are S<index>). */
const documentOrder: Order = (_streams, ready) => [...ready].sort((a, b) => Number(a.slice(1)) - Number(b.slice(1)));

/**
 * The makespan of list scheduling: whenever a slot is free, start the first ready stream in
 * `order`. A finished stream's tasks are ticked, as on the issue, so the order sees what is left.
 */
function makespan(graph: readonly Stream[], slots: number, order: Order): number {
  const streams = graph.map((s) => ({ ...s, tasks: s.tasks.map((t) => ({ ...t })) }));
  const duration = new Map(streams.map((s) => [s.id, s.estimateMinutes ?? 0]));
  const done = new Set<string>();
  const started = new Set<string>();
  let running: { id: string; end: number }[] = [];
  let now = 0;
  while (done.size < streams.length) {
    const ready = streams.filter((s) => !started.has(s.id) && s.dependsOn.every((d) => done.has(d))).map((s) => s.id);
    for (const id of order(streams, ready).slice(0, slots - running.length)) {
      started.add(id);
      running.push({ id, end: now + (duration.get(id) ?? 0) });
    }
    now = Math.min(...running.map((r) => r.end));
    for (const finished of running.filter((r) => r.end === now)) {
      done.add(finished.id);
      for (const task of streams.find((s) => s.id === finished.id)?.tasks ?? []) task.done = true;
    }
    running = running.filter((r) => r.end !== now);
  }
  return now;
}

/** max(critical path, total work ÷ slots): no schedule can beat either. */
function lowerBound(graph: readonly Stream[], slots: number): number {
  const finish = new Map<string, number>();
  for (const s of graph) {
    const start = Math.max(0, ...s.dependsOn.map((d) => finish.get(d) ?? 0));
    finish.set(s.id, start + (s.estimateMinutes ?? 0));
  }
  const total = graph.reduce((sum, s) => sum + (s.estimateMinutes ?? 0), 0);
  return Math.max(Math.max(...finish.values()), total / slots);
}

export function schedulingFigures(): Figure[] {
  const next = random(20_240_610);
  const graphs = Array.from({ length: GRAPHS }, () => randomGraph(next));
  const figures: Figure[] = [];
  for (const slots of [2, 4]) {
    const mean = (order: Order) =>
      graphs.reduce((sum, g) => sum + makespan(g, slots, order) / lowerBound(g, slots), 0) / graphs.length;
    figures.push(
      {
        name: `makespan / lower bound, critical-path-first, max-parallel ${slots}`,
        value: round3(mean(criticalPathFirst)),
        unit: `ratio, mean of ${GRAPHS} random graphs`,
        goal: '≤ 1.10',
      },
      {
        name: `makespan / lower bound, document order, max-parallel ${slots}`,
        value: round3(mean(documentOrder)),
        unit: `ratio, mean of ${GRAPHS} random graphs`,
        goal: null,
      },
    );
  }
  return figures;
}
