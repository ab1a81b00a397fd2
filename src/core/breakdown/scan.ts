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

export interface Section {
  /** Undefined for the tasks above the first heading. */
  readonly heading: LineText | undefined;
  readonly tasks: ScannedTask[];
  /** Paragraph lines and non-task list item lines: where `Depends on:` and `Gates:` may stand. */
  readonly notes: LineText[];
}

export interface Scan {
  readonly sections: Section[];
  readonly source: SourceLines;
}

const TASK_MARKER = /^\[([ \txX])\][ \t\n]/;

interface ItemFrame {
  /** The top-level task this item belongs to, if any (itself when it is one). */
  owner: ScannedTask | undefined;
}

export function scan(text: string): Scan {
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
    if (quoteDepth > 0) continue;

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
        const frame: ItemFrame = { owner: items.at(-1)?.owner };
        items.push(frame);
        const task = taskOf(tokens, index, source);
        if (!task) break;
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
        if (items.at(-1)?.owner) break; // inside a task: its description, not the stream's
        const inline = tokens[index + 1] as BlockToken;
        section.notes.push(...linesOf(inline, source));
        break;
      }
    }
  }
  // A heading with no tasks is not a stream.
  return { sections: sections.filter((s) => s.tasks.length > 0), source };
}

/** The task of the list item opened at `index`, if its first block starts with a checkbox. */
function taskOf(tokens: BlockToken[], index: number, source: SourceLines): ScannedTask | undefined {
  const paragraph = tokens[index + 1];
  const inline = tokens[index + 2];
  if (paragraph?.type !== 'paragraph_open' || inline?.type !== 'inline') return undefined;
  const marker = TASK_MARKER.exec(inline.content);
  const title = inline.content
    .slice(3)
    .split('\n')
    .map((part) => part.trim())
    .filter((part) => part !== '')
    .join(' ');
  if (!marker || title === '') return undefined;
  const line = (paragraph.map?.[0] ?? 0) as number;
  const column = source.columnOfTail(line, inline.content.split('\n')[0] ?? '');
  return {
    title,
    line: line + 1,
    column: column + 1,
    done: marker[1] === 'x' || marker[1] === 'X',
    checkbox: source.offset(line, column + 1),
    subtasks: [],
  };
}

function linesOf(inline: BlockToken, source: SourceLines): LineText[] {
  const parts = inline.content.split('\n');
  // Aligned from the paragraph's end: a link reference definition at its start is removed from
  // the content but still counted in the map.
  const last = ((inline.map?.[1] ?? 1) as number) - 1;
  return parts.map((part, k) => {
    const line = last - (parts.length - 1 - k);
    const text = part.trim();
    return { text, line: line + 1, column: source.columnOfTail(line, text) + 1 };
  });
}
