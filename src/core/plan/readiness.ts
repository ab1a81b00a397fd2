import type { Stream } from '../model.js';
import { streamGraph } from './graph.js';

/** Every task ticked. */
export function isStreamDone(stream: Stream): boolean {
  return stream.tasks.every((task) => task.done);
}

/**
 * Streams that may start now, in document order: not complete, not already started, and every
 * dependency complete. What "complete" means (tasks ticked, or also merged) is the caller's call.
 */
export function readyStreams(
  plan: { readonly streams: readonly Stream[] },
  complete: ReadonlySet<string>,
  started: ReadonlySet<string> = new Set(),
): string[] {
  const graph = streamGraph(plan.streams);
  return graph.order.filter((id) => {
    const stream = graph.streams.get(id);
    if (!stream || !graph.level.has(id) || complete.has(id) || started.has(id)) return false;
    return stream.dependsOn.every((dependency) => complete.has(dependency));
  });
}

/** The dependencies of a stream that are not complete yet. */
export function blockers(stream: Stream, complete: ReadonlySet<string>): string[] {
  return stream.dependsOn.filter((dependency) => !complete.has(dependency));
}
