import { type BlockToken, blockTokens } from './markdown.js';
import { SourceLines } from './source-lines.js';

// One pass over the block tokens: which list items are tasks (and which of those are subtasks),
// which headings open sections, and which lines could carry dependencies or gates.

/** A piece of one source line: `column` is 1-based, the position of `text[0]`. */
export interface LineText {
  readonly text: string;
  readonly line: number;
  readonly column: number;
}

export interface ScannedSubtask {
  readonly title: string;
  readonly line: number;
  readonly column: number;
  readonly done: boolean;
  /** Offset in the body of the character between the brackets. */
  readonly checkbox: number;
}

export interface ScannedTask extends ScannedSubtask {
  readonly subtasks: ScannedSubtask[];
}

export interface Note extends LineText {
  /** Whether the line opens a (non-task) list item, rather than standing in a paragraph. */
  readonly item: boolean;
  /** The task it stands under, when it is a plain item nested in one. */
  readonly owner?: ScannedTask;
}

/** A heading, or a paragraph of only bold text directly above a list, which reads as one. */
export interface Heading extends LineText {
  /** 1–6 for Markdown headings; a bold label sits below them all, at 7. */
  readonly level: number;
}

/** Where a bold label stands among the heading levels: inside whatever heading is above it. */
export const LABEL_LEVEL = 7;

export interface Section {
  /** Undefined for the tasks above the first heading. */
  readonly heading: Heading | undefined;
  readonly tasks: ScannedTask[];
  /** Paragraph lines and non-task list item lines: where `Depends on:` and `Gates:` may stand. */
  readonly notes: Note[];
}

/** A fenced code block: where it starts and what it holds (diagrams and data live in these). */
export interface Fence {
  readonly info: string;
  readonly content: string;
  readonly line: number;
  readonly column: number;
}

export interface Scan {
  /** The block tokens it read: a later reader of the same text need not parse it again. */
  readonly tokens: readonly BlockToken[];
  /** Every section in document order, those without tasks too (a unit may hold only subsections). */
  readonly sections: Section[];
  /** Each table's header row. */
  readonly tables: LineText[];
  /** List items that open with a box GitHub does not draw (`[-]`, `[~]`, `[/]`): no tasks. */
  readonly oddBoxes: LineText[];
  /** Checkboxes GitHub draws with nothing after them (`- [ ] `): an error, never skipped in silence. */
  readonly emptyBoxes: LineText[];
  readonly fences: Fence[];
  readonly source: SourceLines;
}

// cmark-gfm's rule, which is what GitHub renders: on the list item's own first line, the line's
// first list marker, white space, then `[ ]`, `[x]` or `[X]`, then a space or tab. A second
// marker (`- - [ ]`), a checkbox on the next line or a tab between the brackets is not a task.
// Read by hand (`taskMarker`), as it is asked of every list item: no match array, no substrings.

function isBlank(code: number): boolean {
  return code === 0x20 || code === 0x09 || code === 0x0b || code === 0x0c;
}

/** A task line's marker: the box's column (0-based, at `[`) and its mark; undefined otherwise. */
export function taskMarker(text: string): { column: number; mark: string } | undefined {
  let i = 0;
  while (isBlank(text.charCodeAt(i))) i++;
  const first = text.charCodeAt(i);
  if (first === 0x2d || first === 0x2b || first === 0x2a) i++;
  else {
    const digits = i;
    while (text.charCodeAt(i) >= 0x30 && text.charCodeAt(i) <= 0x39) i++;
    const after = text.charCodeAt(i);
    if (i === digits || (after !== 0x2e && after !== 0x29)) return undefined;
    i++;
  }
  if (!isBlank(text.charCodeAt(i))) return undefined;
  while (isBlank(text.charCodeAt(i))) i++;
  const mark = text[i + 1];
  if (text[i] !== '[' || (mark !== ' ' && mark !== 'x' && mark !== 'X') || text[i + 2] !== ']') return undefined;
  return isBlank(text.charCodeAt(i + 3)) ? { column: i, mark } : undefined;
}
// A box of another state (Kiro's `[-]` in progress, `[~]`, `[/]`, `[?]`): GitHub draws no checkbox.
const ODD_BOX = /^([ \t]*(?:[-+*]|\d+[.)])[ \t]+)(\[[-~/?!>*.+_]\])[ \t]/;

interface ItemFrame {
  /** The top-level task this item belongs to, if any (itself when it is one). */
  owner: ScannedTask | undefined;
  task: boolean;
}

export function scan(body: string): Scan {
  // A byte-order mark is not content (GitHub drops it); a space keeps every offset in place.
  const text = body.startsWith('\uFEFF') ? ` ${body.slice(1)}` : body;
  const source = new SourceLines(text);
  const tokens = blockTokens(text);
  const sections: Section[] = [{ heading: undefined, tasks: [], notes: [] }];
  const tables: LineText[] = [];
  const oddBoxes: LineText[] = [];
  const emptyBoxes: LineText[] = [];
  const fences: Fence[] = [];
  const items: ItemFrame[] = [];
  let quoteDepth = 0;
  let section = sections[0] as Section;

  for (let index = 0; index < tokens.length; index++) {
    const token = tokens[index] as BlockToken;
    if (token.type === 'blockquote_open') quoteDepth++;
    else if (token.type === 'blockquote_close') quoteDepth--;
    // Inside a quote nothing is a task or a heading, but a `Depends on:` line still counts.
    if (quoteDepth > 0) {
      if (token.type === 'paragraph_open') section.notes.push(...notesOf(tokens, index, source, false));
      continue;
    }

    switch (token.type) {
      case 'heading_open': {
        const inline = tokens[index + 1] as BlockToken;
        const line = (token.map?.[0] ?? 0) as number;
        const content = inline.content.split('\n')[0] ?? '';
        const level = Number(token.tag.slice(1));
        section = {
          heading: { text: content, line: line + 1, column: source.columnOfTail(line, content) + 1, level },
          tasks: [],
          notes: [],
        };
        sections.push(section);
        index += 2;
        break;
      }
      case 'table_open': {
        const line = (token.map?.[0] ?? 0) as number;
        const text = source.text(line).trim();
        tables.push({ text, line: line + 1, column: source.columnOfTail(line, text) + 1 });
        break;
      }
      case 'fence': {
        const line = (token.map?.[0] ?? 0) as number;
        if (items.length === 0 || !items.at(-1)?.task)
          fences.push({ info: token.info.trim(), content: token.content, line: line + 1, column: 1 });
        break;
      }
      case 'list_item_open': {
        const frame: ItemFrame = { owner: items.at(-1)?.owner, task: false };
        items.push(frame);
        const task = taskOf(tokens, index, source);
        const empty = task ? undefined : emptyBoxOf(tokens, index, source);
        if (empty) emptyBoxes.push(empty);
        if (!task) {
          const line = (token.map?.[0] ?? 0) as number;
          const odd = ODD_BOX.exec(source.text(line));
          if (odd) oddBoxes.push({ text: odd[2] as string, line: line + 1, column: (odd[1] as string).length + 1 });
          if (tokens[index + 1]?.type === 'paragraph_open') {
            const notes = notesOf(tokens, index + 1, source, true);
            const owner = frame.owner;
            section.notes.push(...(owner ? notes.map((note) => ({ ...note, owner })) : notes));
            index += 3;
          }
          break;
        }
        frame.task = true;
        if (frame.owner) {
          frame.owner.subtasks.push(task);
        } else {
          section.tasks.push(task);
          frame.owner = task;
        }
        index += 3; // the title paragraph: paragraph_open, inline, paragraph_close
        break;
      }
      case 'list_item_close':
        items.pop();
        break;
      case 'paragraph_open': {
        const within = items.at(-1);
        if (within?.task && within.owner) {
          // A task's own description: its lines belong to it (its order, a person's step).
          const owner = within.owner;
          section.notes.push(...notesOf(tokens, index, source, false).map((note) => ({ ...note, owner })));
          break;
        }
        const label = items.length === 0 ? labelOf(tokens, index, source) : undefined;
        if (label) {
          section = { heading: label, tasks: [], notes: [] };
          sections.push(section);
          index += 2;
          break;
        }
        section.notes.push(...notesOf(tokens, index, source, false));
        break;
      }
    }
  }
  return { tokens, sections, tables, oddBoxes, emptyBoxes, fences, source };
}

// `**Frontend**`, `**Phase 2 — API:**`, `__Tests__:`: bold from end to end (a colon may follow).
const BOLD_LABEL = /^(\*\*|__)([^*_\n][^\n]*?)\1:?$/;

/**
 * A paragraph of one line of only bold text, directly followed by a list, reads as a heading. A
 * dependency or gates label (`**Depends on:**` over a list of streams) stays a note.
 */
function labelOf(tokens: BlockToken[], index: number, source: SourceLines): Heading | undefined {
  const inline = tokens[index + 1] as BlockToken;
  const next = tokens[index + 3]?.type;
  if (next !== 'bullet_list_open' && next !== 'ordered_list_open') return undefined;
  const match = BOLD_LABEL.exec(inline.content);
  if (!match) return undefined;
  const text = (match[2] as string).replace(/:$/, '').trim();
  if (text === '' || text.includes('**')) return undefined;
  // Over a checklist, `**Dependencies:**` heads a list of its own (other issues, criteria).
  if (NOTE_LABEL.test(text) && !taskOf(tokens, index + 4, source)) return undefined;
  const line = ((tokens[index] as BlockToken).map?.[0] ?? 0) as number;
  return { text, line: line + 1, column: source.columnOfTail(line, inline.content) + 3, level: LABEL_LEVEL };
}

const NOTE_LABEL = /^\s*(?:depends\s+on|dependencies|needs|blocked\s+by|after|gates)\s*:?\s*$/i;

/** A checkbox with nothing after it on its line (`- [ ] `), which GitHub still draws. */
function emptyBoxOf(tokens: BlockToken[], index: number, source: SourceLines): LineText | undefined {
  const line = (tokens[index]?.map?.[0] ?? 0) as number;
  const text = source.text(line);
  const marker = taskMarker(text);
  if (!marker || text.slice(marker.column + 4).trim() !== '') return undefined;
  // Its paragraph is the box alone (`[ ]`, nothing after it on any line), or it has none.
  const paragraph = tokens[index + 1];
  const inline = tokens[index + 2];
  if (paragraph?.type === 'paragraph_open' && paragraph.map?.[0] === line && inline?.content.slice(3).trim() !== '')
    return undefined;
  return { text: '', line: line + 1, column: marker.column + 1 };
}

/** The task of the list item opened at `index`, if its first line is a task-list item. */
function taskOf(tokens: BlockToken[], index: number, source: SourceLines): ScannedTask | undefined {
  const item = tokens[index] as BlockToken;
  const paragraph = tokens[index + 1];
  const inline = tokens[index + 2];
  if (paragraph?.type !== 'paragraph_open' || inline?.type !== 'inline') return undefined;
  const line = (item.map?.[0] ?? 0) as number;
  const marker = taskMarker(source.text(line));
  if (
    !marker ||
    paragraph.map?.[0] !== line ||
    inline.content[0] !== '[' ||
    inline.content[1] !== marker.mark ||
    inline.content[2] !== ']'
  )
    return undefined;
  const rest = inline.content.slice(3);
  // Most titles are one line; a title over several lines is joined with single spaces.
  const title = rest.includes('\n')
    ? rest
        .split('\n')
        .map((part) => part.trim())
        .filter((part) => part !== '')
        .join(' ')
    : rest.trim();
  if (title === '') return undefined;
  const column = marker.column;
  return {
    title,
    line: line + 1,
    column: column + 1,
    done: marker.mark !== ' ',
    checkbox: source.offset(line, column + 1),
    subtasks: [],
  };
}

function notesOf(tokens: BlockToken[], index: number, source: SourceLines, item: boolean): Note[] {
  const paragraph = tokens[index] as BlockToken;
  const inline = tokens[index + 1] as BlockToken;
  const parts = inline.content.split('\n');
  // Aligned from the paragraph's end: a link reference definition at its start is removed from
  // the content but still counted in the map.
  const last = ((paragraph.map?.[1] ?? 1) as number) - 1;
  return parts.map((part, k) => {
    const line = last - (parts.length - 1 - k);
    const text = part.trim();
    return { text, line: line + 1, column: source.columnOfTail(line, text) + 1, item: item && k === 0 };
  });
}
