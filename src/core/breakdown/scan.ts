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
}

export interface Section {
  /** Undefined for the tasks above the first heading. */
  readonly heading: LineText | undefined;
  readonly tasks: ScannedTask[];
  /** Paragraph lines and non-task list item lines: where `Depends on:` and `Gates:` may stand. */
  readonly notes: Note[];
}

export interface Scan {
  readonly sections: Section[];
  readonly source: SourceLines;
}

// cmark-gfm's rule, which is what GitHub renders: on the list item's own first line, the line's
// first list marker, white space, then `[ ]`, `[x]` or `[X]`, then a space or tab. A second
// marker (`- - [ ]`), a checkbox on the next line or a tab between the brackets is not a task.
const TASK_LINE = /^([ \t\v\f]*(?:[-+*]|\d+[.)])[ \t\v\f]+)\[([ xX])\][ \t\v\f]/;

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
        section = {
          heading: { text: content, line: line + 1, column: source.columnOfTail(line, content) + 1 },
          tasks: [],
          notes: [],
        };
        sections.push(section);
        index += 2;
        break;
      }
      case 'list_item_open': {
        const frame: ItemFrame = { owner: items.at(-1)?.owner, task: false };
        items.push(frame);
        const task = taskOf(tokens, index, source);
        if (!task) {
          if (tokens[index + 1]?.type === 'paragraph_open') {
            section.notes.push(...notesOf(tokens, index + 1, source, true));
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
        if (items.at(-1)?.task) break; // a task's own description, not the stream's
        section.notes.push(...notesOf(tokens, index, source, false));
        break;
      }
    }
  }
  // A heading with no tasks is not a stream.
  return { sections: sections.filter((s) => s.tasks.length > 0), source };
}

/** The task of the list item opened at `index`, if its first line is a task-list item. */
function taskOf(tokens: BlockToken[], index: number, source: SourceLines): ScannedTask | undefined {
  const item = tokens[index] as BlockToken;
  const paragraph = tokens[index + 1];
  const inline = tokens[index + 2];
  if (paragraph?.type !== 'paragraph_open' || inline?.type !== 'inline') return undefined;
  const line = (item.map?.[0] ?? 0) as number;
  const marker = TASK_LINE.exec(source.text(line));
  if (!marker || paragraph.map?.[0] !== line || !inline.content.startsWith(`[${marker[2]}]`)) return undefined;
  const title = inline.content
    .slice(3)
    .split('\n')
    .map((part) => part.trim())
    .filter((part) => part !== '')
    .join(' ');
  if (title === '') return undefined;
  const column = (marker[1] as string).length;
  return {
    title,
    line: line + 1,
    column: column + 1,
    done: marker[2] !== ' ',
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
