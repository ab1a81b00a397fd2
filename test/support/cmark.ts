import { createRequire } from 'node:module';

// GitHub's own Markdown renderer (cmark-gfm, the C library, through its Node binding) as the
// oracle for where GitHub draws a checkbox: with source positions on, every list item says
// where it starts, and a task item's first child is its checkbox.

const require = createRequire(import.meta.url);
const cmark = require('cmark-gfm') as {
  renderHtmlSync(markdown: string, options: Record<string, unknown>): string;
};

const OPTIONS = {
  sourcepos: true,
  footnotes: true,
  extensions: { table: true, strikethrough: true, autolink: true, tagfilter: true, tasklist: true },
};

export function githubHtml(markdown: string): string {
  return cmark.renderHtmlSync(markdown, OPTIONS);
}

const BOX =
  /<li data-sourcepos="(\d+):\d+-[^"]*">\s*(?:<p[^>]*>\s*)?<input type="checkbox"( checked="")? disabled="" \/>/g;

/** Where GitHub draws a checkbox: line (1-based) → whether it is ticked. */
export function githubCheckboxes(markdown: string): Map<number, boolean> {
  const boxes = new Map<number, boolean>();
  for (const match of githubHtml(markdown).matchAll(BOX)) boxes.set(Number(match[1]), match[2] !== undefined);
  return boxes;
}
