// Maps markdown-it's line numbers back to offsets in the original text. markdown-it normalizes
// CRLF and CR to LF and NUL to U+FFFD before parsing; both keep every line's length, so an index
// into a normalized line is the same index into the original line.

export class SourceLines {
  readonly #starts: number[] = [];
  readonly #texts: string[] = [];

  constructor(text: string) {
    const newline = /\r\n?|\n/g;
    let start = 0;
    for (let match = newline.exec(text); match; match = newline.exec(text)) {
      this.#push(text, start, match.index);
      start = match.index + match[0].length;
    }
    this.#push(text, start, text.length);
  }

  #push(text: string, start: number, end: number): void {
    this.#starts.push(start);
    this.#texts.push(text.slice(start, end).replaceAll('\0', '\uFFFD'));
  }

  /** How many lines the text has. */
  get count(): number {
    return this.#texts.length;
  }

  /** The text of a 0-based line, without its line terminator. */
  text(line: number): string {
    return this.#texts[line] ?? '';
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
