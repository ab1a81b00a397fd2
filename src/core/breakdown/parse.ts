import { type Breakdown, type Diagnostic, MAX_BODY_CHARACTERS, type Stream, type Task } from '../model.js';
import { findCycles } from '../plan/cycles.js';
import { blankMarkup } from './markup.js';
import { readReferences, type StreamResolver } from './references.js';
import { type ScannedTask, type Section, scan } from './scan.js';
import { slug } from './slug.js';
import { parseStreamHeading } from './stream-heading.js';

export interface ParseOptions {
  /** Gate names the repository's configuration defines; when given, `Gates:` lines are checked. */
  readonly gates?: readonly string[];
}

/** The breakdown plus where each task's checkbox (and its subtasks') sits in the body. */
export interface ParsedBody {
  readonly breakdown: Breakdown;
  readonly checkboxes: ReadonlyMap<string, readonly number[]>;
}

interface Located {
  readonly line: number;
  readonly column: number;
}

interface Draft {
  readonly stream: Stream;
  readonly at: Located;
  readonly section: Section;
  readonly headingDependencies: { readonly text: string; readonly at: Located } | undefined;
  readonly dependencyAt: Map<string, Located>;
}

const DEPENDENCY_LINE = /^\s*(?:depends\s+on|dependencies|needs|blocked\s+by|after)\s*:/i;
const GATES_LINE = /^\s*gates\s*:/i;
const TASK_NUMBER = /^[*_]{0,2}task\s+(\d+)[*_]{0,2}\s*:/i;
const GATE_WORDS = /[^\s,;&/+]+/g;

export function parseBreakdown(body: string, options: ParseOptions = {}): Breakdown {
  return parseBody(body, options).breakdown;
}

export function parseBody(body: string, options: ParseOptions = {}): ParsedBody {
  const { sections, source } = scan(body);
  const errors: Diagnostic[] = [];
  const error = (at: Located, message: string) => errors.push({ line: at.line, column: at.column, message });

  const length = body.length > MAX_BODY_CHARACTERS ? [...body].length : body.length;
  if (length > MAX_BODY_CHARACTERS) {
    const cut = [...body].slice(0, MAX_BODY_CHARACTERS).join('').length;
    error(
      source.position(cut),
      `the body has ${length.toLocaleString('en-US')} characters; GitHub allows at most ${MAX_BODY_CHARACTERS.toLocaleString('en-US')}`,
    );
  }
  if (sections.length === 0) {
    error(
      { line: 1, column: 1 },
      'no tasks found: a task is a list item that starts with a checkbox, like `- [ ] Write the schema`',
    );
  }

  const checkboxes = new Map<string, number[]>();
  const drafts = sections.map((section) => draftStream(section, checkboxes, error));
  checkDuplicateStreams(drafts, error);
  const resolve = resolver(drafts.map((d) => d.stream));
  const known = [...new Set(drafts.map((d) => d.stream.id))].join(', ');
  for (const draft of drafts) readNotes(draft, resolve, known, options, error);
  checkCycles(drafts, error);

  errors.sort((a, b) => a.line - b.line || a.column - b.column);
  return { breakdown: { streams: drafts.map((d) => d.stream), errors }, checkboxes };
}

function draftStream(
  section: Section,
  checkboxes: Map<string, number[]>,
  error: (at: Located, message: string) => void,
): Draft {
  const first = section.tasks[0] as ScannedTask;
  const heading = section.heading ? parseStreamHeading(section.heading.text) : undefined;
  const at = section.heading ?? { line: first.line, column: 1 };
  const id = heading ? heading.id : 'main';
  if (id === '') {
    error(at, 'this heading has no letters or digits to make a stream id: write it as `Stream <ID>: <title>`');
  }
  const seen = new Map<string, number>();
  const tasks = section.tasks.map((task, position): Task => {
    const number = TASK_NUMBER.exec(task.title)?.[1];
    const taskId = `${id}.${number === undefined ? position + 1 : Number(number)}`;
    const earlier = seen.get(taskId);
    if (earlier === undefined) seen.set(taskId, task.line);
    else error(task, `task id ${taskId} is used twice: here and on line ${earlier}`);
    // A repeated id (an error already) still addresses every task that carries it.
    checkboxes.set(taskId, [...(checkboxes.get(taskId) ?? []), task.checkbox, ...task.subtasks.map((s) => s.checkbox)]);
    return {
      id: taskId,
      title: task.title,
      line: task.line,
      done: task.done,
      subtasks: task.subtasks.map(({ title, line, done }) => ({ title, line, done })),
    };
  });
  const dependencies = heading?.dependencies;
  const headingAt = section.heading;
  return {
    stream: { id, title: heading ? heading.title : 'main', line: at.line, dependsOn: [], gates: [], tasks },
    at,
    section,
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

/** Ids first (exactly, then in any case), then titles, then the slug of the phrase. */
function resolver(streams: readonly Stream[]): StreamResolver {
  const byId = new Map<string, string>();
  const byFoldedId = new Map<string, string>();
  const byTitle = new Map<string, string>();
  for (const { id, title } of streams) {
    if (!byId.has(id)) byId.set(id, id);
    if (!byFoldedId.has(id.toLowerCase())) byFoldedId.set(id.toLowerCase(), id);
    if (!byTitle.has(title.toLowerCase())) byTitle.set(title.toLowerCase(), id);
  }
  return (phrase) =>
    byId.get(phrase) ??
    byFoldedId.get(phrase.toLowerCase()) ??
    byTitle.get(phrase.toLowerCase()) ??
    byId.get(slug(phrase));
}

function readNotes(
  draft: Draft,
  resolve: StreamResolver,
  known: string,
  options: ParseOptions,
  error: (at: Located, message: string) => void,
): void {
  const { stream } = draft;
  const addReferences = (text: string, at: Located) => {
    const { found, unknown } = readReferences(text, resolve);
    for (const { id, index } of found) {
      if (draft.dependencyAt.has(id)) continue;
      draft.dependencyAt.set(id, shift(at, index));
      stream.dependsOn.push(id);
    }
    for (const { text: name, index } of unknown) {
      error(shift(at, index), `stream ${stream.id} depends on an unknown stream "${name}" (streams: ${known})`);
    }
  };
  if (draft.headingDependencies) addReferences(draft.headingDependencies.text, draft.headingDependencies.at);

  for (const note of draft.section.notes) {
    const text = blankMarkup(note.text);
    const dependency = DEPENDENCY_LINE.exec(text);
    if (dependency) {
      addReferences(text.slice(dependency[0].length), { line: note.line, column: note.column + dependency[0].length });
      continue;
    }
    const gates = GATES_LINE.exec(text);
    if (gates) readGates(stream, text.slice(gates[0].length), shift(note, gates[0].length), options, error);
  }
}

function shift(at: Located, by: number): Located {
  return { line: at.line, column: at.column + by };
}

function readGates(
  stream: Stream,
  text: string,
  at: Located,
  options: ParseOptions,
  error: (at: Located, message: string) => void,
): void {
  for (const match of text.matchAll(GATE_WORDS)) {
    const name = match[0].replace(/[.:!?]+$/, '');
    if (name === '' || /^(?:and|none)$/i.test(name) || stream.gates.includes(name)) continue;
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
  }
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
