// Maps markdown-it's line numbers back to offsets in the original text. markdown-it normalizes
// CRLF and CR to LF and NUL to U+FFFD before parsing; both keep every line's length, so an index
// into a normalized line is the same index into the original line.

export class SourceLines {
  readonly #text: string;
  /** Where each line starts, and where its text ends (before its terminator). */
  readonly #starts: number[] = [];
  readonly #ends: number[] = [];
  /** NUL is rare: only a text that has one pays for replacing it. */
  readonly #nul: boolean;

  constructor(text: string) {
    this.#text = text;
    this.#nul = text.includes('\0');
    const cr = text.includes('\r');
    let start = 0;
    for (;;) {
      const newline = text.indexOf('\n', start);
      const end = newline < 0 ? text.length : newline;
      if (cr) {
        // A lone CR ends a line too; a CR before LF belongs to the LF's terminator.
        let from = start;
        for (let at = text.indexOf('\r', from); at >= 0 && at < end; at = text.indexOf('\r', from)) {
          if (at === end - 1 && newline >= 0) break;
          this.#starts.push(start);
          this.#ends.push(at);
          start = from = at + 1;
        }
      }
      this.#starts.push(start);
      this.#ends.push(
        cr && newline > 0 && text.charCodeAt(newline - 1) === 13 && newline - 1 >= start ? newline - 1 : end,
      );
      if (newline < 0) break;
      start = newline + 1;
    }
  }

  /** How many lines the text has. */
  get count(): number {
    return this.#starts.length;
  }

  /** The text of a 0-based line, without its line terminator. */
  text(line: number): string {
    const start = this.#starts[line];
    if (start === undefined) return '';
    const text = this.#text.slice(start, this.#ends[line]);
    return this.#nul ? text.replaceAll('\0', '\uFFFD') : text;
  }

  /** The offset in the original text of a 0-based line and 0-based column. */
  offset(line: number, column: number): number {
    return (this.#starts[line] ?? 0) + column;
  }

  /**
   * The 0-based column where `fragment` ends a line: markdown-it hands out block content with the
   * line's indentation and container markers removed and trailing white space trimmed, so the
   * fragment is the line's tail (a heading's closing `#`s aside). Compared at the end, never
   * searched for: a search of a long line for a long fragment is quadratic.
   */
  columnOfTail(line: number, fragment: string): number {
    const tail = fragment.trimEnd();
    const text = this.text(line).trimEnd();
    if (text.endsWith(tail)) return text.length - tail.length;
    // `## Title ##`: the closing sequence is not part of the heading's content.
    let end = text.length;
    while (end > 0 && text[end - 1] === '#') end--;
    const open = end < text.length && /[ \t]/.test(text[end - 1] ?? '') ? text.slice(0, end).trimEnd() : text;
    return open.endsWith(tail) ? open.length - tail.length : 0;
  }

  /** 1-based line and column of an offset into the original text. */
  position(offset: number): { line: number; column: number } {
    let low = 0;
    let high = this.#starts.length - 1;
    while (low < high) {
      const middle = (low + high + 1) >> 1;
      if ((this.#starts[middle] ?? 0) <= offset) low = middle;
      else high = middle - 1;
    }
    return { line: low + 1, column: offset - (this.#starts[low] ?? 0) + 1 };
  }
}
