import { load } from 'js-yaml';
import type { BlockToken } from '../breakdown/markdown.js';
import { type LineEdit, REMOVED } from './line-edits.js';
import { type UnitText, unitsText } from './units-text.js';

// Work written as data: task-master's tasks.json, Cursor's front matter `todos`, and YAML lists of
// tasks with ids and dependencies (in a code block of a plan). Each task is a unit, its own
// dependencies its dependency line; its subtasks (or itself) the checkboxes.

type Data = Record<string, unknown>;

const TITLE_KEYS = ['title', 'subject', 'name', 'content', 'description'] as const;
const NEEDS_KEYS = [
  'dependencies',
  'depends-on',
  'depends_on',
  'dependsOn',
  'blocked_by',
  'blockedBy',
  'needs',
] as const;
const DONE = /^(?:done|completed?|closed|finished)$/i;

function isData(value: unknown): value is Data {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function text(value: unknown): string | undefined {
  return typeof value === 'string' || typeof value === 'number' ? String(value) : undefined;
}

function titleOf(item: Data): string | undefined {
  for (const key of TITLE_KEYS) {
    const value = text(item[key]);
    if (value !== undefined && value.trim() !== '') return value;
  }
  return undefined;
}

function needsOf(item: Data): string[] | undefined {
  for (const key of NEEDS_KEYS) {
    const value = item[key];
    if (Array.isArray(value))
      return value
        .slice(0, MAX_UNITS)
        .map((v) => text(v))
        .filter((v): v is string => v !== undefined);
    if (text(value) !== undefined)
      return String(value)
        .split(/[,\s]+/)
        .filter(Boolean);
  }
  return undefined;
}

// Bounds on what data may make: YAML aliases let a few bytes name the same list thousands of
// times, so the units and each one's subtasks are counted, not the text.
const MAX_UNITS = 256;
const MAX_SUBTASKS = 100;
/** A breakdown GitHub would take (65,536 characters) holds fewer tasks than this. */
const MAX_TASKS = 2_000;

/** A list of tasks with ids, as data; undefined when the value is not one. */
export function tasksOfData(value: unknown): UnitText[] | undefined {
  const list = Array.isArray(value)
    ? value
    : isData(value) && Array.isArray(value.tasks)
      ? value.tasks
      : isData(value) && Array.isArray(value.todos)
        ? value.todos
        : isData(value)
          ? Object.values(value).find((v) => isData(v) && Array.isArray(v.tasks)) // task-master's tags
          : undefined;
  const tasks = isData(list) ? (list as Data).tasks : list;
  if (!Array.isArray(tasks) || tasks.length === 0) return undefined;
  const units: UnitText[] = [];
  let room = MAX_TASKS;
  for (const item of tasks.slice(0, MAX_UNITS)) {
    if (!isData(item)) return undefined;
    const id = text(item.id);
    const title = titleOf(item);
    if (id === undefined || title === undefined) return undefined;
    const subtasks = Array.isArray(item.subtasks)
      ? item.subtasks.slice(0, Math.min(MAX_SUBTASKS, Math.max(room, 0))).filter(isData)
      : [];
    room -= Math.max(subtasks.length, 1);
    const done = DONE.test(text(item.status) ?? '');
    units.push({
      id,
      title,
      needs: needsOf(item) ?? [],
      tasks:
        subtasks.length > 0
          ? subtasks.map((s) => ({
              title: `${id}.${text(s.id) ?? ''} ${titleOf(s) ?? ''}`.trim(),
              done: DONE.test(text(s.status) ?? ''),
            }))
          : [{ title, done }],
    });
  }
  return units;
}

/** task-master's tasks.json (the whole file is JSON). */
export function jsonTasks(body: string): string | undefined {
  if (!body.trimStart().startsWith('{') && !body.trimStart().startsWith('[')) return undefined;
  let value: unknown;
  try {
    value = JSON.parse(body);
  } catch {
    return undefined;
  }
  const units = tasksOfData(value);
  return units ? unitsText(units) : undefined;
}

/**
 * Front matter (`---` … `---`) with a list of todos (Cursor plans): the units replace it. `line`
 * is the 0-based line of the list's key in the source.
 */
export function frontMatterTasks(body: string): { readonly text: string; readonly line: number } | undefined {
  const match = /^---\r?\n([\s\S]*?)\r?\n---[ \t]*(?:\r?\n|$)/.exec(body);
  if (!match) return undefined;
  let value: unknown;
  try {
    value = load(match[1] as string);
  } catch {
    return undefined;
  }
  const units = tasksOfData(value);
  if (!units) return undefined;
  const key = (match[1] as string).split(/\r?\n/).findIndex((l) => /^(?:todos|tasks)\s*:/.test(l));
  return { text: `${unitsText(units)}\n${body.slice(match[0].length)}`, line: key < 0 ? 0 : key + 1 };
}

/**
 * A YAML code block listing tasks with ids (and dependencies), or `Task 1: …` entries (PRPs): the
 * units replace the block. Blocks are found by the Markdown parser, never by a pattern over the
 * whole text.
 */
export function yamlFenceEdits(tokens: readonly BlockToken[], lines: readonly string[]): LineEdit[] {
  const edits: LineEdit[] = [];
  for (const token of tokens) {
    if (token.type !== 'fence' || !token.map || !/^ya?ml\b/i.test(token.info.trim())) continue;
    // The source's own lines between the fences (the block parser saw a text made to agree with
    // GitHub, not the words themselves).
    const [start, end] = token.map;
    const closed = /^\s*(?:```|~~~)/.test(lines[end - 1] ?? '') && end - 1 > start;
    const units = fenceUnits(lines.slice(start + 1, closed ? end - 1 : end).join('\n'));
    if (!units) continue;
    edits.push({ line: start, text: unitsText(units, 3).trimEnd() });
    for (let line = start + 1; line < end; line++) edits.push({ line, text: REMOVED });
  }
  return edits;
}

const TASK_ENTRY = /^Task\s+(\d+)\s*:\s*(\S.*)$/;

function fenceUnits(content: string): UnitText[] | undefined {
  try {
    const units = tasksOfData(load(content));
    if (units) return units;
  } catch {
    // Not YAML as a parser reads it (PRPs write `Task 1: CREATE x` over a list): read the entries.
  }
  const units: UnitText[] = [];
  for (const line of content.split('\n')) {
    const entry = TASK_ENTRY.exec(line);
    if (entry)
      units.push({
        id: entry[1] as string,
        title: entry[2] as string,
        heading: `Task ${entry[1]}: ${entry[2]}`,
        needs: undefined,
        tasks: [{ title: entry[2] as string, done: false }],
      });
  }
  return units.length > 0 ? units : undefined;
}

/**
 * task-master's text files (`tasks/task_010.txt`): `# Task ID:`, `# Title:`, `# Dependencies:`,
 * then `## 1. Title [status]` subtasks with `### Dependencies: 10.1`. One unit; each subtask a
 * checkbox carrying its own order (`(after 10.1)`); dependencies on other task files are other
 * files, said in a line that the plan warns about rather than reads.
 */
export function taskMasterText(body: string): string | undefined {
  // task-master writes the id first: a file that does not start so is none of its.
  if (!/^#[ \t]*Task ID[ \t]*:/i.test(body)) return undefined;
  const lines = body.split(/\r?\n/);
  const field = (name: string) => {
    const pattern = new RegExp(`^#\\s*${name}\\s*:\\s*(.*)$`, 'i');
    for (const line of lines) {
      const value = pattern.exec(line)?.[1];
      if (value !== undefined) return value.trim();
    }
    return undefined;
  };
  const id = field('Task ID');
  const title = field('Title');
  if (!id || !/^\d+$/.test(id) || !title) return undefined;
  const done = (status: string | undefined) => DONE.test(status ?? '');
  const tasks: string[] = [];
  for (const [index, line] of lines.entries()) {
    const head = /^##[ \t]+(\d+)\.[ \t]+/.exec(line);
    if (!head) continue;
    // `Title [status]`, cut by hand: a lazy title before an optional `[…]` and `\s*$` is quadratic.
    let title = line.slice(head[0].length).trimEnd();
    let status: string | undefined;
    const open = title.endsWith(']') ? title.lastIndexOf('[') : -1;
    if (open > 0 && title.length - open <= 32) {
      status = title.slice(open + 1, -1);
      title = title.slice(0, open).trimEnd();
    }
    if (title === '') continue;
    const subtask = [line, head[1], title, status] as const;
    const needs = /^###[ \t]*Dependencies[ \t]*:(.*)$/i.exec(lines[index + 1] ?? '')?.[1]?.trim() ?? '';
    const after = /^(?:none|n\/a|-)?$/i.test(needs) ? '' : ` (after ${needs})`;
    tasks.push(`- [${done(subtask[3]) ? 'x' : ' '}] ${id}.${subtask[1]} ${subtask[2]}${after}`);
  }
  if (tasks.length === 0) tasks.push(`- [${done(field('Status')) ? 'x' : ' '}] ${title}`);
  const needs = field('Dependencies') ?? '';
  const outside = /^(?:none|n\/a|-)?$/i.test(needs)
    ? []
    : [`Blocked by task-master tasks ${needs}, which are other task files: name them here, or remove this line.`];
  return [`## Stream ${id}: ${title}`, ...outside, ...tasks, ''].join('\n');
}
