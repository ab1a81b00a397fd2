import type { LineEdit } from './line-edits.js';

// GSD plans write each task as a block: `<task type="auto">` … `<name>Task 1: …</name>` …
// `</task>`. Each becomes a unit with its name as its one checkbox, written above the block, which
// stays as its description. A checkpoint for a person (`type="checkpoint:human-verify"`) keeps
// that word, so it reads as a person's step. Read a line at a time, with anchored patterns.

const OPEN = /^\s*<task\b([^>]{0,200})>\s*$/;
const CLOSE = /^\s*<\/task>\s*$/;
const NAME = /^\s*<name>([^<]{1,300})<\/name>\s*$/;
const TYPE = /\btype\s*=\s*"([^"]{1,60})"/;

export function xmlTaskEdits(lines: readonly string[]): LineEdit[] {
  const edits: LineEdit[] = [];
  let open: { line: number; type: string | undefined } | undefined;
  let name: string | undefined;
  let count = 0;
  for (const [index, line] of lines.entries()) {
    const opening = OPEN.exec(line);
    if (opening) {
      open = { line: index, type: TYPE.exec(opening[1] as string)?.[1] };
      name = undefined;
      continue;
    }
    if (!open) continue;
    const named = NAME.exec(line);
    if (named) name = (named[1] as string).trim();
    if (!CLOSE.test(line)) continue;
    count++;
    const person = open.type?.startsWith('checkpoint') ? `${open.type.replace(':', ': ')}, ` : '';
    const title = name ?? (person ? 'a person checks the work' : `Task ${count}`);
    const heading = /^task\s+\d+\s*:/i.test(title) ? title : `Task ${count}: ${title}`;
    edits.push({ line: open.line, text: `### ${heading}\n- [ ] ${person}${title}\n\n${lines[open.line]}` });
    open = undefined;
  }
  return edits;
}
