import { dependencyField } from './dependency-field.js';
import { blankMarkup } from './markup.js';
import type { Fence, LineText, Note, Scan, ScannedTask, Section } from './scan.js';

// Never a silent misread: structure a reader would take as order or work, which the plan does not
// use, is pointed out with its line and column. One small reader per kind of structure. A plan
// with warnings waits for a writer's `/execute start` (unless the config says otherwise).

type Warn = (at: { line: number; column: number }, message: string) => void;

const HOW = 'write `Depends on:` lines under the units instead';

/**
 * Every reader, over the whole document. `read` holds the sections whose notes the plan read;
 * `readLines`, the lines whose order in words it read (a task's `(depends on T001)`).
 */
export function readWarnings(
  scanned: Scan,
  read: ReadonlySet<Section>,
  readLines: ReadonlySet<number>,
  report: Warn,
): void {
  // Front matter is data, whatever Markdown makes of it (`key: value` over `---` reads as a heading).
  const front = frontMatterEnd(scanned);
  const warn: Warn = (at, message) => {
    if (at.line > front) report(at, message);
  };
  frontMatterWarning(scanned, front, report);
  for (const table of scanned.tables) tableWarning(table, warn);
  for (const box of scanned.oddBoxes)
    warn(
      box,
      `a \`${box.text}\` box: GitHub draws no checkbox for it, so this item is not a task; write \`[ ]\` or \`[x]\``,
    );
  for (const fence of scanned.fences) fenceWarning(fence, warn);
  parallelMarkerWarning(scanned.sections, warn);
  for (const section of scanned.sections) {
    if (section.heading) orderHeadingWarning(section.heading, warn);
    // The title starts after `[ ] `.
    for (const task of section.tasks)
      if (!readLines.has(task.line)) proseWarning(task.title, task.line, task.column + 4, 'a task', warn);
    for (const note of section.notes) noteWarning(note, read.has(section), warn);
  }
}

const DEPENDENCY_COLUMN =
  /^(?:depends?(?:\s+on)?|dependenc(?:y|ies)|blocked\s+by|blocks|prerequisites?|requires|after|order|parallel|wave)$/i;

/** A table with a column of dependencies or order. */
function tableWarning(header: LineText, warn: Warn): void {
  const cells = header.text.replace(/^\|/, '').replace(/\|$/, '').split('|');
  let column = header.column + (header.text.startsWith('|') ? 1 : 0);
  for (const cell of cells) {
    const name = blankMarkup(cell).trim();
    if (DEPENDENCY_COLUMN.test(name)) {
      warn(
        { line: header.line, column: column + cell.length - cell.trimStart().length },
        `a table with a “${name}” column: the order it gives is not read; ${HOW}`,
      );
      return;
    }
    column += cell.length + 1;
  }
}

const MERMAID_EDGE = /-->|---|==>|-\.->|--[^-\n]+-->/;
// One line at a time, blanks and tabs only: `\s` with the `m` flag would run across lines, and
// a block of empty lines would cost the cube of its length.
const DATA_KEY =
  /^[ \t]*-?[ \t]*["']?(depends_on|depends-on|dependsOn|dependencies|blocked_by|blockedBy|blocked-by|needs|after)["']?[ \t]*:/i;

/** The first dependency key of a data block (YAML, JSON), line by line. */
function dataKey(content: string): string | undefined {
  for (const line of content.split('\n')) {
    if (line.length > 400) continue;
    const key = DATA_KEY.exec(line)?.[1];
    if (key) return key;
  }
  return undefined;
}
const TEXT_INFO = new Set(['', 'text', 'txt', 'plain', 'plaintext', 'ascii', 'diagram']);
const ARROW = /[\p{L}\p{N})\]]\s*(?:-->|->|─+>|─*►|→|⟶|=>)\s*[\p{L}\p{N}([]/u;

/** A Mermaid graph, YAML or JSON with dependency keys, or an ASCII graph, inside a code block. */
function fenceWarning(fence: Fence, warn: Warn): void {
  const info = fence.info.split(/\s/)[0]?.toLowerCase() ?? '';
  if (info === 'mermaid') {
    if (/^\s*(?:graph|flowchart)\b/i.test(fence.content) && MERMAID_EDGE.test(fence.content))
      warn(fence, `a Mermaid graph: its edges are not read as dependencies; ${HOW}`);
    return;
  }
  const key = dataKey(fence.content);
  if (key) {
    warn(fence, `a code block with \`${key}\` entries: they are not read as dependencies; ${HOW}`);
    return;
  }
  if (TEXT_INFO.has(info) && fence.content.split('\n').some((line) => line.length < 400 && ARROW.test(line)))
    warn(fence, `a diagram of arrows in a code block: it is not read as dependencies; ${HOW}`);
}

/** The 1-based line of the `---` that closes front matter at the top; 0 when there is none. */
function frontMatterEnd(scanned: Scan): number {
  const { source } = scanned;
  if (source.text(0).trim() !== '---') return 0;
  for (let line = 1; line < Math.min(source.count, 1_000); line++)
    if (source.text(line).trim() === '---') return line + 1;
  return 0;
}

/** YAML front matter (`---` … `---` at the top, as Cursor plans have) with todos or dependencies. */
function frontMatterWarning(scanned: Scan, end: number, warn: Warn): void {
  for (let line = 1; line < end - 1; line++) {
    const text = scanned.source.text(line);
    if (text.length > 400) continue;
    // `todos: []`, `needs: ~`: an empty list is nothing unread. Cut by hand: a `\s*$` pattern
    // after a run of spaces is quadratic.
    const value = text.slice(text.indexOf(':') + 1).trim();
    const empty = value === '[]' || value === '{}' || value === 'null' || value === '~';
    if ((/^[ \t]*(?:todos|tasks)[ \t]*:/.test(text) || DATA_KEY.test(text)) && !empty) {
      warn(
        { line: line + 1, column: 1 },
        'front matter with todos or dependencies: it is not read; tasks are checkboxes under unit headings',
      );
      return;
    }
  }
}

const ORDER_HEADING =
  /(?:execution\s+order|order\s+of\s+(?:work|execution)|dependency\s+graph|task\s+dependencies|dependencies\s*(?:&|and)\s*(?:execution\s+)?order|parallel(?:ization)?\s+(?:opportunities|execution|example|work)|critical\s+path|implementation\s+order|wave\s+plan)/i;

/** A section that describes the order in prose ("Dependencies & Execution Order"). */
function orderHeadingWarning(heading: LineText, warn: Warn): void {
  const text = blankMarkup(heading.text);
  if (text.length > 400) return;
  const match = ORDER_HEADING.exec(text);
  if (match) warn(heading, `the section “${match[0]}” describes an order that is not read; ${HOW}`);
}

/** spec-kit's `[P]` (may run in parallel): tasks of a stream run one at a time, in order. Once a document. */
function parallelMarkerWarning(sections: readonly Section[], warn: Warn): void {
  const marked: ScannedTask[] = [];
  for (const section of sections) for (const task of section.tasks) if (task.title.includes('[P]')) marked.push(task);
  const first = marked[0];
  if (!first) return;
  warn(
    { line: first.line, column: first.column + 4 + first.title.indexOf('[P]') },
    `${marked.length === 1 ? 'a `[P]` marker' : `${marked.length} \`[P]\` markers`} (may run in parallel): not read; the tasks of a stream run one at a time, in order`,
  );
}

// Order stated in words. `after` and `before` count only before a unit or a task id.
const UNIT_AFTER =
  '(?:phase|step|stage|task|stream|chunk|wave|milestone|part|story|user\\s+story|sprint|pr|t\\d{2,}|\\d+\\.\\d+)';
const PROSE = new RegExp(
  `(?<![\\p{L}\\p{N}])(?:(depends\\s+on|dependent\\s+on|blocked\\s+by|sequential(?:ly)?\\s+after)(?![\\p{L}])|(?:only\\s+)?after\\s+${UNIT_AFTER}(?![\\p{L}])|before\\s+${UNIT_AFTER}(?![\\p{L}])|requires\\s+${UNIT_AFTER}(?![\\p{L}])|serializ(?:e|ed|ing)\\s+(?:within|them|these|the\\s+(?:tasks|work|batch|steps))|serialization\\s+applies|not\\s+(?:in\\s+)?parallel|one\\s+after\\s+(?:the\\s+)?(?:other|another)|sequentially)`,
  'giu',
);
// What must follow `depends on` or `blocked by` to make it an order: a unit, a task id, an issue,
// a name (a capital letter); not `depends on the user's input` or `depends on current branch`.
const UNIT_NAMED = new RegExp(`^\\s*:?\\s*(?:the\\s+)?${UNIT_AFTER}(?![\\p{L}])`, 'iu');
const NAMED = /^\s*:?\s*(?:#\d|\p{Lu}|\d)/u;

// Words one of the phrases above must hold: a cheap test that spares most lines the full pattern.
const PROSE_WORDS = /depend|block|sequential|after|before|requir|serializ|parallel/i;

function proseWarning(raw: string, line: number, column: number, what: string, warn: Warn): void {
  if (raw.length > 2_000 || !PROSE_WORDS.test(raw)) return;
  const text = blankMarkup(raw);
  let match: RegExpExecArray | null = null;
  PROSE.lastIndex = 0;
  for (let found = PROSE.exec(text); found; found = PROSE.exec(text)) {
    const rest = text.slice(found.index + found[0].length, found.index + found[0].length + 80);
    if (!found[1] || UNIT_NAMED.test(rest) || NAMED.test(rest)) {
      match = found;
      break;
    }
  }
  if (match)
    warn(
      { line, column: column + match.index },
      `${what} says “${match[0].replace(/[\s:]+$/, '').replace(/\s+/g, ' ')}”: an order in words is not read; ${HOW}`,
    );
}

/** A line of prose: a dependency line in a section the plan did not read, or order in words. */
function noteWarning(note: Note, read: boolean, warn: Warn): void {
  const text = blankMarkup(note.text);
  if (dependencyField(note.text)) {
    if (!read)
      warn(note, 'a dependency line under a heading with no tasks: it is not read (put it under the unit it is for)');
    return;
  }
  if (/^\s*wave\s+\d+\s*[:—–-]/i.test(text)) {
    warn(note, `a wave list: its order is not read; ${HOW}`);
    return;
  }
  proseWarning(note.text, note.line, note.column, 'a line', warn);
}
