import { type Breakdown, type Diagnostic, MAX_BODY_CHARACTERS, type Stream, type Task } from '../model.js';
import { findCycles } from '../plan/cycles.js';
import { blankMarkup, plainText } from './markup.js';
import { readReferences, type StreamResolver } from './references.js';
import { type Note, type ScannedTask, type Section, scan } from './scan.js';
import { looseWords } from './slug.js';
import { parseStreamHeading } from './stream-heading.js';
import { streamIdProblem } from './stream-id.js';

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
const TASK_NUMBER = /^task\s+(\d+)\s*:/i;
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

  // A plan of more streams than that is not run (nor read further): it is a list of issues.
  const beyond = sections[MAX_STREAMS];
  if (beyond) {
    error(
      beyond.heading ?? (beyond.tasks[0] as ScannedTask),
      `the breakdown has ${sections.length.toLocaleString('en-US')} streams; at most ${MAX_STREAMS} can run: split it into several issues`,
    );
  }
  const checkboxes = new Map<string, number[]>();
  const drafts = sections.slice(0, MAX_STREAMS).map((section) => draftStream(section, checkboxes, error));
  checkDuplicateStreams(drafts, error);
  const resolve = resolver(drafts.map((d) => d.stream));
  const ids = [...new Set(drafts.map((d) => d.stream.id))];
  // Named in each unknown-reference error: a long list would make the errors quadratic in size.
  const known =
    ids.length <= KNOWN_LISTED ? ids.join(', ') : `${ids.slice(0, KNOWN_LISTED).join(', ')}, … ${ids.length} in all`;
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
  } else {
    // The id names a branch and a workflow input: one rule decides, the Action's own.
    const problem = streamIdProblem(id);
    if (problem)
      error(at, `stream id "${id}" cannot be used: ${problem}; write the heading as \`Stream <ID>: <title>\``);
  }
  const seen = new Map<string, number>();
  const tasks = section.tasks.map((task, position): Task => {
    // Markup (`**Task 6**:`) only needs stripping when the plain form does not match.
    const number = (TASK_NUMBER.exec(task.title) ?? TASK_NUMBER.exec(plainText(task.title)))?.[1];
    const taskId = `${id}.${number === undefined ? position + 1 : Number(number)}`;
    const earlier = seen.get(taskId);
    if (earlier === undefined) seen.set(taskId, task.line);
    else error(task, `task id ${taskId} is used twice: here and on line ${earlier}`);
    // A repeated id (an error already) still addresses every task that carries it.
    const boxes = checkboxes.get(taskId) ?? [];
    checkboxes.set(taskId, boxes);
    boxes.push(task.checkbox, ...task.subtasks.map((s) => s.checkbox));
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

/** The most streams a breakdown may have: more than any repository's runners take at once. */
export const MAX_STREAMS = 256;

/** How many stream ids an unknown-reference error lists. */
const KNOWN_LISTED = 20;

/** The longest dependency text read: a hundred streams named by title fit well within it. */
const MAX_REFERENCES_TEXT = 4_000;

/** Ids first (exactly, then in any case), then titles, then the slug, then the title's words. */
function resolver(streams: readonly Stream[]): StreamResolver {
  const byId = new Map<string, string>();
  const byFoldedId = new Map<string, string>();
  const byTitle = new Map<string, string>();
  const byWords = new Map<string, string>();
  const first = (map: Map<string, string>, key: string, id: string) => {
    if (key !== '' && !map.has(key)) map.set(key, id);
  };
  for (const { id, title } of streams) {
    first(byId, id, id);
    first(byFoldedId, id.toLowerCase(), id);
    first(byTitle, title.toLowerCase(), id);
    first(byWords, looseWords(title), id);
  }
  return (phrase) =>
    byId.get(phrase.text) ??
    byFoldedId.get(phrase.lower) ??
    byTitle.get(phrase.lower) ??
    byId.get(phrase.slug) ??
    byWords.get(phrase.loose);
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
    // Each reference may be tried at a dozen lengths: a line no person writes is not read at all.
    const length = text.trim().length;
    if (length > MAX_REFERENCES_TEXT) {
      error(
        shift(at, text.length - text.trimStart().length),
        `stream ${stream.id}’s dependencies run to ${length.toLocaleString('en-US')} characters; at most ${MAX_REFERENCES_TEXT.toLocaleString('en-US')} are read`,
      );
      return;
    }
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

  const notes = draft.section.notes;
  for (let index = 0; index < notes.length; index++) {
    const note = notes[index] as Note;
    const text = blankMarkup(note.text);
    const dependency = DEPENDENCY_LINE.exec(text);
    if (dependency) {
      const rest = text.slice(dependency[0].length);
      if (rest.trim() !== '') {
        addReferences(rest, shift(note, dependency[0].length));
        continue;
      }
      // `**Dependencies:**` over a list: each following plain item names a stream.
      let listed = 0;
      while (notes[index + 1]?.item) {
        const entry = notes[++index] as Note;
        addReferences(blankMarkup(entry.text), entry);
        listed++;
      }
      if (listed === 0)
        error(
          shift(note, dependency[0].length),
          `stream ${stream.id} has a dependency line that names no stream: write \`None\` or the streams it needs`,
        );
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
