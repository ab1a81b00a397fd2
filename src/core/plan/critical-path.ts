import type { StreamGraph } from './graph.js';

// The chain of streams with the most open tasks: the least time the rest of the work can take.
// Ties go to the stream earliest in the document, at the start and at every step.

export function criticalPath(graph: StreamGraph): string[] {
  const open = (id: string) => graph.streams.get(id)?.tasks.filter((t) => !t.done).length ?? 0;
  const schedulable = graph.order.filter((id) => graph.level.has(id));
  // Deepest first, so every dependent's remaining length is known before its dependencies'.
  const byDepth = [...schedulable].sort((a, b) => (graph.level.get(b) ?? 0) - (graph.level.get(a) ?? 0));
  const remaining = new Map<string, number>();
  const next = new Map<string, string>();
  for (const id of byDepth) {
    let best: string | undefined;
    for (const dependent of graph.dependents.get(id) ?? []) {
      const length = remaining.get(dependent) ?? 0;
      if (length > 0 && (best === undefined || length > (remaining.get(best) ?? 0))) best = dependent;
    }
    remaining.set(id, open(id) + (best === undefined ? 0 : (remaining.get(best) ?? 0)));
    if (best !== undefined) next.set(id, best);
  }

  let start: string | undefined;
  for (const id of schedulable) {
    if ((remaining.get(id) ?? 0) > (start === undefined ? 0 : (remaining.get(start) ?? 0))) start = id;
  }
  const path: string[] = [];
  for (let at = start; at !== undefined; at = next.get(at)) path.push(at);
  // A finished stream at the head adds nothing to the time left.
  while (path.length > 0 && open(path[0] as string) === 0) path.shift();
  return path;
}

/** How many open tasks lie on a path of streams: the critical path's length. */
export function openTasksOn(
  path: readonly string[],
  streams: readonly { id: string; tasks: readonly { done: boolean }[] }[],
): number {
  return streams.filter((s) => path.includes(s.id)).reduce((sum, s) => sum + s.tasks.filter((t) => !t.done).length, 0);
}
