import type { StreamGraph } from './graph.js';

/** Streams grouped by level: each wave can start once the waves before it are complete. */
export function waves(graph: StreamGraph): string[][] {
  const result: string[][] = [];
  for (const id of graph.order) {
    const level = graph.level.get(id);
    if (level === undefined) continue;
    while (result.length <= level) result.push([]);
    result[level]?.push(id);
  }
  return result;
}
