import { type ParsedBody, parseBody } from './parse.js';

// Ticking rewrites single characters between brackets and nothing else, so line endings, tabs,
// `[X]`, list markers and trailing spaces all survive byte for byte.

/** Thrown when asked to tick a task the body does not have: a caller's bug, never user input. */
export class UnknownTaskError extends Error {
  constructor(readonly taskIds: readonly string[]) {
    super(`the breakdown has no task ${taskIds.join(', ')}`);
    this.name = 'UnknownTaskError';
  }
}

/** The body with exactly these tasks (and their subtasks) ticked. */
export function tickTasks(body: string, taskIds: Iterable<string>): string {
  return mark(body, taskIds, 'x');
}

/** The body with exactly these tasks (and their subtasks) unticked. */
export function untickTasks(body: string, taskIds: Iterable<string>): string {
  return mark(body, taskIds, ' ');
}

/** `tickTasks` for a body already parsed (a caller that needed the parse anyway). */
export function tickParsed(body: string, parsed: ParsedBody, taskIds: Iterable<string>): string {
  return mark(body, taskIds, 'x', parsed);
}

/**
 * The body with the summary items that name these streams ticked (`- [x] Phase 1: Foundation`):
 * a summary checklist follows the units it names.
 */
export function tickSummaries(body: string, parsed: ParsedBody, streams: Iterable<string>): string {
  return setBoxes(
    body,
    [...new Set(streams)].flatMap((id) => parsed.summaryBoxes.get(id) ?? []),
    'x',
  );
}

function mark(body: string, taskIds: Iterable<string>, box: 'x' | ' ', { checkboxes } = parseBody(body)): string {
  const ids = [...new Set(taskIds)];
  const unknown = ids.filter((id) => !checkboxes.has(id));
  if (unknown.length > 0) throw new UnknownTaskError(unknown);
  return setBoxes(
    body,
    ids.flatMap((id) => checkboxes.get(id) ?? []),
    box,
  );
}

function setBoxes(body: string, boxes: readonly number[], box: 'x' | ' '): string {
  const offsets = [...boxes].sort((a, b) => a - b);
  const ticked = (offset: number) => /[xX]/.test(body[offset] ?? '');
  let result = '';
  let from = 0;
  for (const offset of offsets) {
    if (ticked(offset) === (box === 'x')) continue;
    result += body.slice(from, offset) + box;
    from = offset + 1;
  }
  return result + body.slice(from);
}
