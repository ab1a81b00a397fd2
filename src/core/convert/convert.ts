import { type BlockToken, blockTokens } from '../breakdown/markdown.js';
import { frontMatterTasks, jsonTasks, taskMasterText, yamlFenceEdits } from './data-tasks.js';
import { applyEdits, type LineEdit } from './line-edits.js';
import { listEdits } from './markdown-lists.js';
import { tableEdits } from './tables.js';
import { xmlTaskEdits } from './xml-tasks.js';

// `execution-coordinator convert`: a breakdown whose work is not checkboxes, rewritten so that it
// is, for its author to review and paste. Every rewrite keeps the source's words and stated
// order, invents nothing: items under unit headings get a checkbox where they stand, a table of
// steps becomes a checklist, tasks written as data (task-master JSON, front matter todos, YAML
// lists, GSD `<task>` blocks) become units with their own dependencies.

export interface Conversion {
  readonly text: string;
  /** What the work was written as, for the person reading the result. */
  readonly kinds: readonly string[];
  /** The first item rewritten, to show in an error: its line in the source, and what it became. */
  readonly example: { readonly line: number; readonly before: string; readonly after: string } | undefined;
}

const CHECKBOX = /^\s*(?:[-+*]|\d+[.)])\s+\[[ xX]\]\s/;

export interface ConvertOptions {
  /** The body's block tokens, when the caller has them (a refusal has just parsed it). */
  readonly tokens?: readonly BlockToken[];
  /** Only the kinds and the example are wanted (a refusal's message): the text is left empty. */
  readonly exampleOnly?: boolean;
}

export function convertBreakdown(body: string, options: ConvertOptions = {}): Conversion | undefined {
  const { tokens, exampleOnly = false } = options;
  const source = body.split(/\r?\n/);
  const json = jsonTasks(body);
  if (json !== undefined) return { text: json, kinds: ['task-master JSON'], example: exampleOf(json, 0, source) };
  const taskFile = taskMasterText(body);
  if (taskFile !== undefined)
    return { text: taskFile, kinds: ['a task-master task file'], example: exampleOf(taskFile, 0, source) };
  const front = frontMatterTasks(body);
  const text = front?.text ?? body;
  const lines = text.split(/\r?\n/);
  // One block parse for every reader that needs one: the refusal runs this on untrusted text.
  const blocks = front === undefined && tokens ? tokens : blockTokens(text);
  const data: [string, LineEdit[]][] = [
    ['YAML lists of tasks', yamlFenceEdits(blocks, lines)],
    ['<task> blocks', xmlTaskEdits(lines)],
  ];
  // Where the tasks are written as data, that is the plan: the prose around them (steps that
  // mirror the todos, lists inside a task's block) is description, not more tasks.
  const hasData = front !== undefined || data.some(([, e]) => e.length > 0);
  const readers: [string, LineEdit[]][] = hasData
    ? data
    : [
        ['tables of steps', tableEdits(blocks, lines)],
        ['list items under unit headings', listEdits(blocks, lines)],
      ];
  const edits = mergeEdits(readers.flatMap(([, e]) => e));
  const kinds = [...(front ? ['front matter todos'] : []), ...readers.filter(([, e]) => e.length > 0).map(([k]) => k)];
  if (kinds.length === 0) return undefined;
  const converted = exampleOnly ? '' : applyEdits(lines, edits);
  // The example points into the source: the front matter's todos, or the first line rewritten.
  const first = edits[0];
  const example = front
    ? exampleOf(converted, front.line, source)
    : first
      ? exampleOf(first.text, first.line, lines)
      : undefined;
  return { text: converted, kinds, example };
}

function exampleOf(after: string, line: number, source: readonly string[]): Conversion['example'] {
  const task = after.split('\n').find((l) => CHECKBOX.test(l));
  return task ? { line: line + 1, before: (source[line] ?? '').trim(), after: task.trim() } : undefined;
}

/** Edits sorted by line; where two readers rewrite one line, the first one's stands. */
function mergeEdits(edits: readonly LineEdit[]): LineEdit[] {
  const byLine = new Map<number, LineEdit>();
  for (const edit of edits) if (!byLine.has(edit.line)) byLine.set(edit.line, edit);
  return [...byLine.values()].sort((a, b) => a.line - b.line);
}
