import type { Draft, Located } from './draft.js';
import { isSequential } from './units.js';

/**
 * Units numbered in sequence (Phase 1, 2, 3; Step 1, 2; `### Task 1`, `### Task 2`) run in that
 * order. Where the document states a unit's dependencies, they win. When unsure (a numbered unit
 * that states none while others do, a unit without a number among numbered ones) the unit takes
 * its place in the sequence, with a warning: slower is safe, too early is not.
 */
export function orderByNumbers(drafts: readonly Draft[], warn: (at: Located, message: string) => void): void {
  const steps = drafts.filter((d) => !d.unit.name || isSequential(d.unit.name));
  if (!steps.some((d) => d.unit.name)) return;
  const anyStated = drafts.some((d) => d.stated);
  // Numbers out of document order (`Phase 2` above `Phase 1`): the document's order is taken,
  // and said.
  let highest: { readonly number: number; readonly id: string } | undefined;
  for (const draft of steps) {
    const number = Number(draft.unit.name?.number);
    if (!Number.isFinite(number)) continue;
    if (highest && number < highest.number)
      warn(
        draft.at,
        `stream ${draft.stream.id} is numbered ${draft.unit.name?.number} but comes after ${highest.id}: the units run in the order they are written`,
      );
    else highest = { number, id: draft.stream.id };
  }
  for (let index = 1; index < steps.length; index++) {
    const draft = steps[index] as Draft;
    const before = steps[index - 1] as Draft;
    if (draft.stated || draft.stream.dependsOn.includes(before.stream.id)) continue;
    draft.stream.dependsOn.push(before.stream.id);
    draft.dependencyAt.set(before.stream.id, draft.at);
    const start = '(write `Depends on: None` to start it at once, or name what it needs)';
    if (!draft.unit.name)
      warn(
        draft.at,
        `stream ${draft.stream.id} has no unit number among numbered units: it runs after ${before.stream.id}, in document order ${start}`,
      );
    else if (anyStated)
      warn(
        draft.at,
        `stream ${draft.stream.id} states no dependencies while other units do: it runs after ${before.stream.id}, as numbered ${start}`,
      );
  }
}
