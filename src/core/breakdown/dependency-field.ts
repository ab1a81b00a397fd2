import { blankMarkup } from './markup.js';

// Where a line states a unit's dependencies: `Depends on: A, B` (also `Dependencies:`, `Needs:`,
// `Blocked by:`, `After:`, any case, bold or italic) at the start of the line, or a bold field
// anywhere in it, as roadmaps write several fields to a line:
// `**Goal**: … **Depends on**: Phase 1 **Requirements**: AUTH-01`. The value ends at the next
// bold field.

const AT_START = /^\s*(?:depends\s+on|dependencies|needs|blocked\s+by|after)\s*:/i;
const BOLD = /\*\*\s*(?:depends\s+on|dependencies|needs|blocked\s+by)\s*(?::\s*\*\*|\*\*\s*:)/i;
const NEXT_FIELD = /\*\*[^*\n]{1,60}?(?::\*\*|\*\*\s*:)/;

export interface DependencyField {
  /** 0-based index of the label's start and of the value's start in the line. */
  readonly label: number;
  readonly value: number;
  /** The value: the line from `value` up to the next bold field, markup blanked. */
  readonly text: string;
}

export function dependencyField(line: string): DependencyField | undefined {
  const blanked = blankMarkup(line);
  const start = AT_START.exec(blanked);
  let label: number;
  let value: number;
  if (start) {
    label = start[0].length - start[0].trimStart().length;
    value = start[0].length;
  } else {
    const bold = BOLD.exec(line);
    if (!bold) return undefined;
    label = bold.index;
    value = bold.index + bold[0].length;
  }
  // A bold label's own closing `**` may follow the value's start (`**Depends on:** A`).
  const next = NEXT_FIELD.exec(line.slice(value + (line.startsWith('**', value) ? 2 : 0)));
  const end = next ? value + (line.startsWith('**', value) ? 2 : 0) + next.index : line.length;
  const text = blanked.slice(value, end);
  // `After:` alone labels what follows (a code block after a change), not a dependency list.
  if (start && /^\s*after\s*:$/i.test(start[0]) && text.trim() === '') return undefined;
  return { label, value, text };
}
