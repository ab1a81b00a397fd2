import { convertBreakdown } from '../convert/convert.js';
import { type Breakdown, type Diagnostic, MAX_BODY_CHARACTERS, type Stream, type Task } from '../model.js';
import { findCycles } from '../plan/cycles.js';
import { dependencyField } from './dependency-field.js';
import { type Draft, type Located, shift } from './draft.js';
import { estimateField, parentheticalEstimate } from './estimates.js';
import { externalRefs } from './external-refs.js';
import { implementerField } from './implementer.js';
import { blankMarkup, plainText } from './markup.js';
import { orderByNumbers } from './numbered-order.js';
import { readReferences, type StreamResolver } from './references.js';
import { AMBIGUOUS_LISTED, type Known, knownStreams, MAX_REFERENCES_TEXT, resolver } from './resolver.js';
import { type Note, type ScannedTask, scan } from './scan.js';
import { parseStreamHeading } from './stream-heading.js';
import { streamIdProblem } from './stream-id.js';
import { readTaskDependency } from './task-dependencies.js';
import { documentIdShape, type IdShape, isNumberedUnder, type NativeId, nativeId } from './task-ids.js';
import { personPhrase, taskKind } from './task-kinds.js';
import { readUnits, type SummaryItem, type Unit, unitKey } from './units.js';
import { readWarnings } from './warnings.js';

export interface ParseOptions {
  /** Gate names the repository's configuration defines; when given, `Gates:` lines are checked. */
  readonly gates?: readonly string[];
  /** Implementer names the configuration defines; when given, `Agent:` lines are checked. */
  readonly implementers?: readonly string[];
  /**
   * A body that may hold no task: a parent whose sub-issues are its streams, or a sub-issue
   * without a checklist, which is one task. No "no tasks found" error then.
   */
  readonly mayBeEmpty?: boolean;
}

/** The breakdown plus where each task's checkbox (and its subtasks') sits in the body. */
export interface ParsedBody {
  readonly breakdown: Breakdown;
  readonly checkboxes: ReadonlyMap<string, readonly number[]>;
  /** Where each summary item's checkbox sits, by the stream it names. */
  readonly summaryBoxes: ReadonlyMap<string, readonly number[]>;
}

const GATES_LINE = /^\s*gates\s*:/i;
const TASK_NUMBER = /^task\s+(\d+)\s*:/i;
const MARKUP = /[*_`~[]/;
const GATE_WORDS = /[^\s,;&/+]+/g;

export function parseBreakdown(body: string, options: ParseOptions = {}): Breakdown {
  return parseBody(body, options).breakdown;
}

export function parseBody(body: string, options: ParseOptions = {}): ParsedBody {
  const scanned = scan(body);
  const { source } = scanned;
  const errors: Diagnostic[] = [];
  const warnings: Diagnostic[] = [];
  const error = (at: Located, message: string) => errors.push({ line: at.line, column: at.column, message });
  const warn = (at: Located, message: string) => warnings.push({ line: at.line, column: at.column, message });

  const length = body.length > MAX_BODY_CHARACTERS ? [...body].length : body.length;
  if (length > MAX_BODY_CHARACTERS) {
    const cut = [...body].slice(0, MAX_BODY_CHARACTERS).join('').length;
    error(
      source.position(cut),
      `the body has ${length.toLocaleString('en-US')} characters; GitHub allows at most ${MAX_BODY_CHARACTERS.toLocaleString('en-US')}`,
    );
  }
  for (const box of scanned.emptyBoxes)
    error(box, 'an empty checkbox: GitHub draws it, but it names no task; write the task after it, or remove it');
  const { units: candidates, criteria, summary, summarySections } = readUnits(scanned.sections);
  // Items that are no work (a reference to another issue, a placeholder) leave the tasks here.
  const work = new Map<Unit, ScannedTask[]>();
  // A task's own id is asked for twice (the document's scheme, then the task's id): read once.
  const natives = new Map<ScannedTask, NativeId>();
  for (const unit of candidates) {
    const tasks: ScannedTask[] = [];
    for (const section of unit.sections) {
      if (summarySections.has(section)) continue;
      const references: ScannedTask[] = [];
      for (const task of section.tasks) {
        const kind = taskKind(task.title);
        if (kind === 'work') {
          tasks.push(task);
          const own = nativeId(task.title);
          if (own) natives.set(task, own);
        } else if (kind === 'reference') references.push(task);
        else warn(task, `a placeholder task (“${plainText(task.title)}”) is not run: write the task, or remove it`);
      }
      for (const task of references) criteria.push({ task, unit });
      const first = references[0];
      if (first)
        warn(
          first,
          `${references.length === 1 ? 'a checklist item that only names another issue is' : `${references.length} checklist items that only name other issues are`} tracked there, not run here`,
        );
    }
    work.set(unit, tasks);
  }
  const units = candidates.filter((unit) => (work.get(unit) as ScannedTask[]).length > 0);
  const tasksOf = (unit: Unit) => work.get(unit) as ScannedTask[];
  const conversion =
    units.length === 0 && !options.mayBeEmpty
      ? convertBreakdown(body, { tokens: scanned.tokens, exampleOnly: true })
      : undefined;
  const example = conversion?.example;
  if (example) {
    // The work is there, written otherwise: say how, with one of the document's own items.
    error(
      { line: example.line, column: 1 },
      `no tasks found: the work here is written as ${conversion.kinds.join(' and ')}, and a task is a checkbox: line ${example.line}, \`${cut(example.before)}\`, would be \`${cut(example.after)}\`; \`execution-coordinator convert\` prints the whole breakdown that way, for you to review`,
    );
  } else if (units.length === 0 && !options.mayBeEmpty) {
    error(
      { line: 1, column: 1 },
      criteria.length > 0
        ? 'no tasks found: every checklist here is criteria or names other issues, which are not run; a task is a list item that starts with a checkbox, like `- [ ] Write the schema`'
        : 'no tasks found: a task is a list item that starts with a checkbox, like `- [ ] Write the schema`',
    );
  }

  // A plan of more streams than that is not run (nor read further): it is a list of issues.
  const beyond = units[MAX_STREAMS];
  if (beyond) {
    error(
      beyond.heading ?? (tasksOf(beyond)[0] as ScannedTask),
      `the breakdown has ${units.length.toLocaleString('en-US')} streams; at most ${MAX_STREAMS} can run: split it into several issues`,
    );
  }
  const checkboxes = new Map<string, number[]>();
  const kept = units.slice(0, MAX_STREAMS);
  const taskIds: TaskIds = {
    shape: documentIdShape([...natives.values()]),
    native: (task) => natives.get(task),
    seen: new Map(),
    checkboxes,
  };
  const drafts = kept.map((unit) => draftStream(unit, tasksOf(unit), taskIds, error));
  checkDuplicateStreams(drafts, error);
  const resolve = resolver(drafts);
  const known = knownStreams([...new Set(drafts.map((d) => d.stream.id))]);
  const read = new Set<number>();
  for (const draft of drafts) readNotes(draft, resolve, known, options, error, read);
  const outside = new Set<string>();
  for (const draft of drafts) {
    for (const ref of draft.stream.external ?? []) outside.add(ref);
    if (outside.size > MAX_EXTERNAL_IN_PLAN) {
      error(
        draft.at,
        `the plan waits for more than ${MAX_EXTERNAL_IN_PLAN} issues outside it; at most ${MAX_EXTERNAL_IN_PLAN} are read: split it into several issues`,
      );
      break;
    }
  }
  orderByNumbers(drafts, warn);
  checkCycles(drafts, error);
  readWarnings(scanned, new Set(drafts.flatMap((d) => d.unit.sections)), read, warn);

  const byLine = (a: Diagnostic, b: Diagnostic) => a.line - b.line || a.column - b.column;
  errors.sort(byLine);
  warnings.sort(byLine);
  const unitIds = new Map(drafts.map((d) => [d.unit, d.stream.id]));
  const keyIds = new Map(drafts.flatMap((d) => (d.unit.name ? [[unitKey(d.unit.name), d.stream.id] as const] : [])));
  return {
    breakdown: {
      streams: drafts.map((d) => d.stream),
      errors,
      warnings,
      criteria: [...criteria]
        .sort((a, b) => a.task.line - b.task.line)
        .map(({ task, unit }) => ({
          title: task.title,
          line: task.line,
          done: task.done,
          stream: (unit && unitIds.get(unit)) ?? null,
        })),
      summary: summary.map(({ task, key }) => ({
        title: task.title,
        line: task.line,
        done: task.done,
        stream: keyIds.get(key) ?? null,
      })),
    },
    checkboxes,
    summaryBoxes: summaryBoxesOf(summary, keyIds),
  };
}

function summaryBoxesOf(summary: readonly SummaryItem[], ids: ReadonlyMap<string, string>): Map<string, number[]> {
  const boxes = new Map<string, number[]>();
  for (const { task, key } of summary) {
    const stream = ids.get(key);
    if (stream !== undefined) boxes.set(stream, [...(boxes.get(stream) ?? []), task.checkbox]);
  }
  return boxes;
}

/** The most issues outside the plan one stream may wait for: each is one request on every look. */
const MAX_EXTERNAL = 20;
/** And the whole plan. */
const MAX_EXTERNAL_IN_PLAN = 50;

/** An item quoted in a message: its first 80 characters. */
function cut(text: string): string {
  const line = text.replace(/\s+/g, ' ').replaceAll('`', "'");
  return line.length > 80 ? `${line.slice(0, 79)}…` : line;
}

/** What every stream's draft shares: the document's id scheme and the task ids taken so far. */
interface TaskIds {
  readonly shape: IdShape | undefined;
  /** A task's own id, read once per task. */
  readonly native: (task: ScannedTask) => NativeId | undefined;
  /**
   * Every task id taken so far, with the line of the task that took it first and whether it is
   * the document's own: one namespace, so a document's `1.2` and a generated `1.2` collide.
   */
  readonly seen: Map<string, { readonly line: number; readonly own: boolean; readonly unit: Unit }>;
  readonly checkboxes: Map<string, number[]>;
}

/**
 * Kiro numbers subtasks as siblings (`- [ ] 3. Parser` then `- [ ] 3.1 Tokens`): an item numbered
 * under the task before it is that task's subtask, ticked with it.
 */
function foldNumbered(scanned: readonly ScannedTask[], ids: TaskIds): readonly ScannedTask[] {
  if (ids.shape !== 'dotted') return scanned;
  const tasks: ScannedTask[] = [];
  let parent: { task: ScannedTask; id: string } | undefined;
  for (const task of scanned) {
    const id = ids.native(task);
    if (parent && id?.shape === 'dotted' && isNumberedUnder(id.id, parent.id)) {
      parent.task.subtasks.push(task, ...task.subtasks);
      continue;
    }
    tasks.push(task);
    parent = id?.shape === 'dotted' ? { task, id: id.id } : undefined;
  }
  return tasks;
}

function draftStream(
  unit: Unit,
  scanned: readonly ScannedTask[],
  ids: TaskIds,
  error: (at: Located, message: string) => void,
): Draft {
  const first = scanned[0] as ScannedTask;
  const heading = unit.heading ? parseStreamHeading(unit.heading.text) : undefined;
  const at = unit.heading ?? { line: first.line, column: 1 };
  const id = heading ? heading.id : 'main';
  if (id === '') {
    error(at, 'this heading has no letters or digits to make a stream id: write it as `Stream <ID>: <title>`');
  } else {
    // The id names a branch and a workflow input: one rule decides, the Action's own.
    const problem = streamIdProblem(id);
    if (problem)
      error(at, `stream id "${id}" cannot be used: ${problem}; write the heading as \`Stream <ID>: <title>\``);
  }
  const { checkboxes } = ids;
  // The lines nested under each task, where a manual step may be spelled out.
  const under = new Map<ScannedTask, string[]>();
  for (const note of unit.sections.flatMap((section) => section.notes))
    if (note.owner) under.set(note.owner, [...(under.get(note.owner) ?? []), note.text]);
  const folded = foldNumbered(scanned, ids);
  const tasks = folded.map((task, position): Task => {
    const native = ids.native(task);
    // Markup (`**Task 6**:`) only needs stripping when the plain form does not match, and the
    // title has some.
    const number = (TASK_NUMBER.exec(task.title) ??
      (MARKUP.test(task.title) ? TASK_NUMBER.exec(plainText(task.title)) : null))?.[1];
    const own = native !== undefined && native.shape === ids.shape;
    const taskId = own ? native.id : `${id}.${number === undefined ? position + 1 : Number(number)}`;
    // A generated id repeats the document's own, or one generated in this stream; generated ids
    // of two streams can only meet when the stream ids repeat, an error already.
    const global = ids.seen.get(taskId);
    const taken = own ? global : global?.own || global?.unit === unit ? global : undefined;
    if (taken !== undefined) error(task, `task id ${taskId} is used twice: here and on line ${taken.line}`);
    else if (global === undefined) ids.seen.set(taskId, { line: task.line, own, unit });
    // A repeated id (an error already) still addresses every task that carries it. Every id
    // taken so far is in `seen`, so a new one has no boxes yet.
    let boxes = global === undefined ? undefined : checkboxes.get(taskId);
    if (!boxes) {
      boxes = [];
      checkboxes.set(taskId, boxes);
    }
    boxes.push(task.checkbox);
    for (const subtask of task.subtasks) boxes.push(subtask.checkbox);
    // A person's step anywhere in the task (its title, a line under it, a subtask) makes it theirs.
    const person =
      personPhrase(task.title, under.get(task)) !== undefined ||
      (task.subtasks.length > 0 &&
        task.subtasks.some((subtask) => personPhrase(subtask.title, under.get(subtask as ScannedTask)) !== undefined));
    const made: Task = {
      id: taskId,
      title: task.title,
      line: task.line,
      done: task.done,
      subtasks: task.subtasks.map(({ title, line, done }) => ({ title, line, done })),
    };
    if (person) made.person = true;
    const estimate = parentheticalEstimate(task.title);
    if (estimate !== undefined) made.estimateMinutes = estimate;
    return made;
  });
  const dependencies = heading?.dependencies;
  const headingAt = unit.heading;
  const stream: Stream = {
    id,
    title: heading ? heading.title : 'main',
    line: at.line,
    dependsOn: [],
    gates: [],
    tasks,
  };
  const estimate = unit.heading ? parentheticalEstimate(unit.heading.text) : undefined;
  if (estimate !== undefined) stream.estimateMinutes = estimate;
  return {
    stream,
    at,
    unit,
    notes: unit.sections.flatMap((section) => section.notes),
    stated: false,
    scanned: folded,
    headingDependencies:
      dependencies && headingAt
        ? { text: dependencies.text, at: { line: headingAt.line, column: headingAt.column + dependencies.index } }
        : undefined,
    dependencyAt: new Map(),
  };
}

function checkDuplicateStreams(drafts: readonly Draft[], error: (at: Located, message: string) => void): void {
  const seen = new Map<string, number>();
  for (const { stream, at } of drafts) {
    const earlier = seen.get(stream.id);
    if (earlier === undefined) seen.set(stream.id, at.line);
    else if (stream.id !== '') error(at, `stream id ${stream.id} is used twice: here and on line ${earlier}`);
  }
}

/** The most streams a breakdown may have: more than any repository's runners take at once. */
export const MAX_STREAMS = 256;

function readNotes(
  draft: Draft,
  resolve: StreamResolver,
  known: Known,
  options: ParseOptions,
  error: (at: Located, message: string) => void,
  read: Set<number>,
): void {
  const { stream } = draft;
  const externals = new Set<string>();
  // Where each task stands in the stream, asked only for a line under a task (rare): built then.
  let position: Map<string, number> | undefined;
  const positionOf = (id: string) => {
    position ??= new Map(stream.tasks.map((task, index) => [task.id, index]));
    return position.get(id);
  };
  let ownerOf: Map<ScannedTask, string> | undefined;
  /** The task a line under a scanned task belongs to (a subtask folded into a task is its). */
  const taskOf = (scanned: ScannedTask) => {
    if (!ownerOf) {
      ownerOf = new Map();
      for (const [index, task] of draft.scanned.entries()) {
        const id = (stream.tasks[index] as Task).id;
        ownerOf.set(task, id);
        for (const sub of task.subtasks) ownerOf.set(sub as ScannedTask, id);
      }
    }
    return ownerOf.get(scanned);
  };
  /**
   * Reads the references in `text`; `owner` is the task the line stands under, if any. Whether
   * the text states an order within the plan (names a unit or a task, or `None`).
   */
  const addReferences = (text: string, at: Located, owner?: string): boolean => {
    // Each reference may be tried at a dozen lengths: a line no person writes is not read at all.
    const length = text.trim().length;
    if (length > MAX_REFERENCES_TEXT) {
      error(
        shift(at, text.length - text.trimStart().length),
        `stream ${stream.id}’s dependencies run to ${length.toLocaleString('en-US')} characters; at most ${MAX_REFERENCES_TEXT.toLocaleString('en-US')} are read`,
      );
      return true;
    }
    // Other issues first: `#123` is no stream of this document, it is an issue to wait for. Each
    // is asked of GitHub on every look, so a stream names a bounded number of them.
    const outside = externalRefs(text);
    for (const { ref, index } of outside.refs) {
      if (externals.has(ref)) continue;
      if (externals.size === MAX_EXTERNAL) {
        error(
          shift(at, index),
          `stream ${stream.id} waits for more than ${MAX_EXTERNAL} issues outside the plan; at most ${MAX_EXTERNAL} are read: split it, or track them in one issue`,
        );
        break;
      }
      externals.add(ref);
      stream.external = [...externals];
    }
    // Issues outside the plan alone say nothing of the order within it.
    if (outside.refs.length > 0 && outside.rest.trim() === '') return false;
    const { found, unknown, ambiguous } = readReferences(outside.rest, resolve);
    for (const { id, task, index } of found) {
      if (id === stream.id && task !== undefined) {
        // A task of its own stream: the order within a stream is the document's, so only a
        // task that comes later is a problem.
        const from = owner === undefined ? undefined : positionOf(owner);
        if (from !== undefined && (positionOf(task) ?? 0) > from)
          error(
            shift(at, index),
            `task ${owner} depends on task ${task}, which comes after it in stream ${stream.id}: move one of them, or put them in separate streams`,
          );
        continue;
      }
      if (draft.dependencyAt.has(id)) continue;
      draft.dependencyAt.set(id, shift(at, index));
      stream.dependsOn.push(id);
    }
    for (const { text: name, index } of unknown) {
      const hint = known.suggest(name);
      error(
        shift(at, index),
        `stream ${stream.id} depends on an unknown stream "${name}"${hint ? `; did you mean ${hint}?` : ''} (streams: ${known.listed})`,
      );
    }
    for (const { text: name, index, candidates } of ambiguous) {
      const named = candidates.map((c) => (c.task ? `task ${c.task} (in ${c.stream})` : `stream ${c.stream}`));
      error(
        shift(at, index),
        `stream ${stream.id} depends on "${name}", which names ${named.length > AMBIGUOUS_LISTED ? `more than ${AMBIGUOUS_LISTED}` : named.length} things: ${named.slice(0, AMBIGUOUS_LISTED).join(', ')}; name it by its id`,
      );
    }
    return true;
  };
  if (draft.headingDependencies && addReferences(draft.headingDependencies.text, draft.headingDependencies.at))
    draft.stated = true;
  for (const [index, task] of stream.tasks.entries())
    readTaskDependency(task, (draft.scanned[index]?.column ?? -3) + 4, addReferences, resolve, read);

  const notes = draft.notes;
  for (let index = 0; index < notes.length; index++) {
    const note = notes[index] as Note;
    const text = blankMarkup(note.text);
    const dependency = dependencyField(note.text);
    if (dependency) {
      const owner = note.owner ? taskOf(note.owner) : undefined;
      // A line under a task states that task's order; only a line of the unit's own states its.
      const rest = dependency.text;
      if (rest.trim() !== '') {
        if (addReferences(rest, shift(note, dependency.value), owner) && !owner) draft.stated = true;
        continue;
      }
      if (!owner) draft.stated = true;
      // `**Dependencies:**` over a list: each following plain item names a stream.
      let listed = 0;
      while (notes[index + 1]?.item) {
        const entry = notes[++index] as Note;
        addReferences(blankMarkup(entry.text), entry, owner);
        listed++;
      }
      if (listed === 0)
        error(
          shift(note, dependency.value),
          `stream ${stream.id} has a dependency line that names no stream: write \`None\` or the streams it needs`,
        );
      continue;
    }
    const gates = GATES_LINE.exec(text);
    if (gates) {
      readGates(stream, text.slice(gates[0].length), shift(note, gates[0].length), options, error);
      continue;
    }
    const estimate = estimateField(note.text);
    if (estimate !== undefined) {
      // A line under a task estimates that task; a line of the unit's own, the unit.
      const owner = note.owner ? taskOf(note.owner) : undefined;
      const task = owner === undefined ? undefined : stream.tasks.find((t) => t.id === owner);
      if (task) task.estimateMinutes = estimate;
      else if (!note.owner) stream.estimateMinutes = estimate;
      continue;
    }
    if (!note.owner) readImplementer(stream, note, options, error);
  }
}

function readImplementer(
  stream: Stream,
  note: Note,
  options: ParseOptions,
  error: (at: Located, message: string) => void,
): void {
  const field = implementerField(note.text);
  if (!field) return;
  const at = shift(note, field.index);
  const defined = options.implementers;
  const known =
    defined === undefined
      ? ''
      : ` (the configuration defines ${['default', ...defined.filter((n) => n !== 'default')].join(', ')})`;
  if (field.name === '') {
    error(at, `stream ${stream.id}’s implementer line names no implementer: write one name${known}`);
    return;
  }
  if (defined !== undefined && field.name !== 'default' && !defined.includes(field.name)) {
    error(
      at,
      `stream ${stream.id} asks for implementer "${field.name}", which the configuration does not define${known}`,
    );
    return;
  }
  const name = field.name === 'default' ? undefined : field.name;
  if (stream.implementer !== undefined && stream.implementer !== name) {
    error(at, `stream ${stream.id} names two implementers, ${stream.implementer} and ${field.name}: keep one`);
    return;
  }
  if (name !== undefined) stream.implementer = name;
}

function readGates(
  stream: Stream,
  text: string,
  at: Located,
  options: ParseOptions,
  error: (at: Located, message: string) => void,
): void {
  const asked = new Set(stream.gates);
  for (const match of text.matchAll(GATE_WORDS)) {
    const name = withoutEndPunctuation(match[0]);
    if (name === '' || /^(?:and|none)$/i.test(name) || asked.has(name)) continue;
    if (options.gates && !options.gates.includes(name)) {
      const defined =
        options.gates.length > 0
          ? `the configuration defines ${options.gates.join(', ')}`
          : 'the configuration defines no gates';
      error(
        shift(at, match.index),
        `stream ${stream.id} asks for gate "${name}", which the configuration does not define (${defined})`,
      );
      continue;
    }
    stream.gates.push(name);
    asked.add(name);
  }
}

/** `lint.` → `lint`. By hand: an unanchored `[.:!?]+$` rescans a run of dots from each of them. */
function withoutEndPunctuation(word: string): string {
  let end = word.length;
  while (end > 0 && '.:!?'.includes(word[end - 1] as string)) end--;
  return word.slice(0, end);
}

function checkCycles(drafts: readonly Draft[], error: (at: Located, message: string) => void): void {
  const graph = new Map<string, string[]>();
  const at = new Map<string, ReadonlyMap<string, Located>>();
  for (const { stream, dependencyAt } of drafts) {
    if (graph.has(stream.id)) continue; // a repeated id is an error of its own
    graph.set(stream.id, stream.dependsOn);
    at.set(stream.id, dependencyAt);
  }
  for (const cycle of findCycles([...graph.keys()], graph)) {
    const [from, to] = cycle as [string, string];
    error(at.get(from)?.get(to) ?? { line: 1, column: 1 }, `dependency cycle: ${cycle.join(' → ')}`);
  }
}
