import type { Plan } from '../model.js';

/**
 * What a plan asks to be done, without what is done already: streams, their dependencies and
 * gates, their tasks and subtasks. Two bodies with one shape differ only in ticks and prose.
 */
export function planShape(plan: Pick<Plan, 'streams'>): string {
  return JSON.stringify(
    plan.streams.map((s) => [
      s.id,
      s.title,
      s.dependsOn,
      s.gates,
      s.tasks.map((t) => [t.id, t.title, t.subtasks.map((u) => u.title)]),
    ]),
  );
}
