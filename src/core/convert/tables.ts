import type { BlockToken } from '../breakdown/markdown.js';
import { blankMarkup } from '../breakdown/markup.js';
import { type LineEdit, REMOVED } from './line-edits.js';
import { isWorkHeading } from './markdown-lists.js';

// A table of steps (`| Step | File | Action |`, `| # | Task |`): each row becomes a checkbox that
// keeps the row's words, `Step 1: <file> — <action>`; the table gives way to the checklist.

const STEP_COLUMN = /^(?:step|#|no\.?|task|order)$/i;

function cells(line: string): string[] {
  return line
    .trim()
    .replace(/^\|/, '')
    .replace(/\|$/, '')
    .split('|')
    .map((cell) => cell.trim());
}

export function tableEdits(tokens: readonly BlockToken[], lines: readonly string[]): LineEdit[] {
  const edits: LineEdit[] = [];
  let work = false;
  for (const [index, token] of tokens.entries()) {
    // Only a table in a section of work: a summary table repeats the tasks it sums up.
    if (token.type === 'heading_open') work = isWorkHeading(tokens[index + 1]?.content ?? '');
    if (token.type !== 'table_open' || !token.map || !work) continue;
    const [start, end] = token.map;
    const header = cells(lines[start] ?? '');
    const step = header.findIndex((cell) => STEP_COLUMN.test(blankMarkup(cell).trim()));
    if (step < 0 || header.length < 2) continue;
    const items: string[] = [];
    for (let line = start + 2; line < end; line++) {
      const row = cells(lines[line] ?? '');
      const label = row[step] ?? '';
      const rest = row.filter((_, i) => i !== step && row[i] !== '').join(' — ');
      if (rest === '') continue;
      const name = /^\d+$/.test(label) ? `${header[step] === '#' ? 'Step' : header[step]} ${label}` : label;
      items.push(`- [ ] ${name ? `${name}: ` : ''}${rest}`);
    }
    if (items.length === 0) continue;
    edits.push({ line: start, text: items.join('\n') });
    for (let line = start + 1; line < end; line++) edits.push({ line, text: REMOVED });
  }
  return edits;
}
