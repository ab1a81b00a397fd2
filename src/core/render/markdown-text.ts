// Issue text placed in a comment the coordinator writes: it must not open HTML, ping people or
// break out of a fence.

/** Escapes HTML and defuses @mentions, so a title renders as text and notifies no one. */
export function inlineText(text: string): string {
  return text
    .replaceAll('&', '&amp;')
    .replaceAll('<', '&lt;')
    .replaceAll('>', '&gt;')
    .replace(/@(?=[\w-])/g, '@\u200b');
}

/** A fenced block that no run of backticks inside can close. */
export function fenced(text: string): string {
  const longest = Math.max(2, ...[...text.matchAll(/`+/g)].map((m) => m[0].length));
  const fence = '`'.repeat(longest + 1);
  return `${fence}text\n${text.replace(/\n+$/, '')}\n${fence}`;
}

/** Where a line is: `line 3, column 2`, with the sub-issue's number first when it is in one's body. */
export function located(at: {
  readonly line: number;
  readonly column?: number | undefined;
  readonly issue?: number | undefined;
}): string {
  return `${at.issue !== undefined ? `#${at.issue} ` : ''}line ${at.line}${at.column !== undefined ? `, column ${at.column}` : ''}`;
}

const CELLS = 20;

export function progressBar(done: number, total: number): string {
  const filled = total === 0 ? CELLS : Math.round((done / total) * CELLS);
  return `${'█'.repeat(filled)}${'░'.repeat(CELLS - filled)}`;
}

export function percent(done: number, total: number): string {
  return `${total === 0 ? 100 : Math.floor((done / total) * 100)}%`;
}
