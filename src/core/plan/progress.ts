import type { Progress, Stream } from '../model.js';

/** Tasks done over tasks in all, counting tasks, not subtasks. */
export function progress(streams: readonly Stream[]): Progress {
  let done = 0;
  let total = 0;
  for (const stream of streams) {
    for (const task of stream.tasks) {
      total++;
      if (task.done) done++;
    }
  }
  return { done, total };
}
