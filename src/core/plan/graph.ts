import type { Stream } from '../model.js';

// The stream dependency graph. A stream in a cycle, or after one, can never start: it gets no
// level and is left out of waves, the critical path and readiness (the cycle is an error).

export interface StreamGraph {
  /** Stream ids in document order; a repeated id counts once, at its first stream. */
  readonly order: readonly string[];
  readonly streams: ReadonlyMap<string, Stream>;
  readonly dependents: ReadonlyMap<string, readonly string[]>;
  /** 0 for a stream with no dependencies, else one more than its deepest dependency. */
  readonly level: ReadonlyMap<string, number>;
}

export function streamGraph(all: readonly Stream[]): StreamGraph {
  const streams = new Map<string, Stream>();
  for (const stream of all) if (!streams.has(stream.id)) streams.set(stream.id, stream);
  const order = [...streams.keys()];
  const dependents = new Map<string, string[]>(order.map((id) => [id, []]));
  for (const stream of streams.values()) {
    for (const dependency of stream.dependsOn) dependents.get(dependency)?.push(stream.id);
  }

  const level = new Map<string, number>();
  const blocked = new Set<string>();
  const visiting = new Set<string>();
  const visit = (id: string): number | undefined => {
    if (level.has(id)) return level.get(id);
    if (blocked.has(id) || visiting.has(id)) return undefined;
    visiting.add(id);
    let deepest = -1;
    for (const dependency of streams.get(id)?.dependsOn ?? []) {
      const below = streams.has(dependency) ? visit(dependency) : -1;
      if (below === undefined) {
        deepest = Number.NaN;
        break;
      }
      deepest = Math.max(deepest, below);
    }
    visiting.delete(id);
    if (Number.isNaN(deepest)) {
      blocked.add(id);
      return undefined;
    }
    level.set(id, deepest + 1);
    return deepest + 1;
  };
  for (const id of order) visit(id);
  return { order, streams, dependents, level };
}
