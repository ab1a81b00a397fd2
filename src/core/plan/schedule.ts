import type { Stream, Task } from '../model.js';
import { type StreamGraph, streamGraph } from './graph.js';

// Critical path first: when more streams are ready than may run, start those with the longest
// remaining path to the end of the graph, since a long chain started late delays the finish and
// a short one started late does not (list scheduling by bottom level). A weight is remaining
// work, in minutes where the breakdown gives estimates and in "tasks × minutes per task"
// otherwise, so that streams with and without estimates compare on one scale.

const open = (tasks: readonly Task[]) => tasks.filter((t) => !t.done);

/** Minutes a stream's tasks would take by their own estimates; undefined when none has one. */
function taskMinutes(tasks: readonly Task[]): { all: number; open: number } | undefined {
  const stated = tasks.flatMap((t) => (t.estimateMinutes === undefined ? [] : [t.estimateMinutes]));
  if (stated.length === 0) return undefined;
  // A task without an estimate is taken to be like the stream's others.
  const mean = stated.reduce((sum, m) => sum + m, 0) / stated.length;
  const minutes = (list: readonly Task[]) => list.reduce((sum, t) => sum + (t.estimateMinutes ?? mean), 0);
  return { all: minutes(tasks), open: minutes(open(tasks)) };
}

/**
 * Each stream's remaining work: its stated estimate scaled by the share of its tasks still open,
 * else its open tasks' estimates, else its open task count times the mean minutes per task of the
 * streams that have estimates (1 when none has).
 */
export function streamWeights(streams: readonly Stream[]): Map<string, number> {
  const known = new Map<string, number>();
  let minutes = 0;
  let tasks = 0;
  for (const stream of streams) {
    const total = stream.tasks.length;
    const left = open(stream.tasks).length;
    if (stream.estimateMinutes !== undefined) {
      known.set(stream.id, total === 0 ? 0 : (stream.estimateMinutes * left) / total);
      minutes += stream.estimateMinutes;
      tasks += total;
      continue;
    }
    const byTask = taskMinutes(stream.tasks);
    if (byTask === undefined) continue;
    known.set(stream.id, byTask.open);
    minutes += byTask.all;
    tasks += total;
  }
  const perTask = tasks > 0 && minutes > 0 ? minutes / tasks : 1;
  const weights = new Map<string, number>();
  for (const stream of streams) {
    if (weights.has(stream.id)) continue;
    weights.set(stream.id, known.get(stream.id) ?? open(stream.tasks).length * perTask);
  }
  return weights;
}

/**
 * The longest remaining path from each stream to the end of the graph: its weight plus the
 * longest of its dependents'. A stream in or after a cycle (never startable) counts its weight.
 */
export function remainingPaths(
  streams: readonly Stream[],
  graph: StreamGraph = streamGraph(streams),
  weights: ReadonlyMap<string, number> = streamWeights(streams),
): Map<string, number> {
  // Deepest first, so every dependent's path is known before its dependencies' are.
  const byDepth = [...graph.order].sort((a, b) => (graph.level.get(b) ?? -1) - (graph.level.get(a) ?? -1));
  const paths = new Map<string, number>();
  for (const id of byDepth) {
    let longest = 0;
    if (graph.level.has(id)) {
      for (const dependent of graph.dependents.get(id) ?? []) longest = Math.max(longest, paths.get(dependent) ?? 0);
    }
    paths.set(id, (weights.get(id) ?? 0) + longest);
  }
  return paths;
}

/**
 * `ready` (stream ids) in the order to start them: longest remaining path first, ties (and ids
 * the breakdown does not have) in document order.
 */
export function criticalPathFirst(streams: readonly Stream[], ready: readonly string[]): string[] {
  const paths = remainingPaths(streams);
  const position = new Map<string, number>();
  for (const [index, stream] of streams.entries()) if (!position.has(stream.id)) position.set(stream.id, index);
  const at = (id: string) => position.get(id) ?? Number.MAX_SAFE_INTEGER;
  return [...ready].sort((a, b) => (paths.get(b) ?? 0) - (paths.get(a) ?? 0) || at(a) - at(b));
}
