// A conversion that keeps the document and changes some of its lines in place.

export interface LineEdit {
  /** 0-based line. */
  readonly line: number;
  /** The line's new text (may hold several lines). */
  readonly text: string;
}

/** A line that the edit removes (a table's other rows, once the table is a checklist). */
export const REMOVED = '\u0000';

export function applyEdits(lines: readonly string[], edits: readonly LineEdit[]): string {
  const byLine = new Map(edits.map((e) => [e.line, e.text]));
  return lines
    .map((line, index) => byLine.get(index) ?? line)
    .filter((line) => line !== REMOVED)
    .join('\n');
}
