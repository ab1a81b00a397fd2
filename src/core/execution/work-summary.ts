import type { Plan } from '../model.js';
import { planSpend } from './budget.js';
import { type TaskTrailers, taskKey } from './ledger.js';
import type { FailureRecord } from './records.js';
import { hasUsage, sumUsage, type Usage } from './usage.js';

// What the task commits say about the work, for the status comment and the final report: the
// attempt that passed each task, and what implementers reported spending per task, stream and
// plan. A fix of a stream's gates is the stream's own spend.

export interface TaskWork {
  /** The attempt whose gates passed (1 for the first try). */
  readonly attempt: number;
  readonly usage?: Usage;
}

export interface WorkSummary {
  /** By task id, for the tasks of the plan as it stands that have a gated commit. */
  readonly tasks: ReadonlyMap<string, TaskWork>;
  /** By stream id: its tasks' usage and its stream-gate fixes'. */
  readonly streams: ReadonlyMap<string, Usage>;
  /** The whole plan's, failed tasks' attempts included. */
  readonly total: Usage;
}

export function workSummary(
  plan: Plan,
  commits: readonly TaskTrailers[],
  failures: readonly FailureRecord[] = [],
): WorkSummary {
  const byKey = new Map<string, TaskTrailers>();
  for (const commit of commits) for (const key of commit.tasks) byKey.set(key, commit);
  const tasks = new Map<string, TaskWork>();
  const streams = new Map<string, Usage>();
  for (const stream of plan.streams) {
    const usages: Usage[] = [];
    for (const task of stream.tasks) {
      const commit = byKey.get(taskKey(task));
      if (!commit) continue;
      // A commit for several tasks (no implement) spent its usage once, on the first.
      const first = commit.tasks[0] === taskKey(task);
      const usage = first ? commit.usage : undefined;
      tasks.set(task.id, { attempt: commit.attempt, ...(usage ? { usage } : {}) });
      if (usage) usages.push(usage);
    }
    for (const commit of commits)
      if (commit.tasks.length === 0 && commit.stream === stream.id && commit.usage) usages.push(commit.usage);
    const total = sumUsage(usages);
    if (hasUsage(total)) streams.set(stream.id, total);
  }
  return { tasks, streams, total: planSpend(commits, failures) };
}
