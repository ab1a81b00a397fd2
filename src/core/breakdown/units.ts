import { plainText } from './markup.js';
import { type Heading, LABEL_LEVEL, type ScannedTask, type Section } from './scan.js';

// Units as a reader sees them. A heading that names a unit (`Phase 2: API`, `Step 1`, `Chunk 3`,
// `### Task 4: Tests`, `Stream B`) makes a stream, and the headings below it that name none only
// group its tasks, which run in document order: a phase's `### Tests` and `### Implementation`
// are one stream, tests first. Elsewhere every heading is a stream of its own, as before. A heading or bold label that names criteria (Acceptance Criteria, Definition of Done,
// …) holds checklists that are not work.

/** A unit word, then its number or letter: `Phase 2`, `Stream B`, `User Story 3`, `Step 1.2`. */
const UNIT = new RegExp(
  '^(stream|workstream|track|lane|phase|step|stage|wave|milestone|chunk|epic|part|sprint|iteration|user story|story|task)' +
    '\\s+(\\d+(?:\\.\\d+)*[a-z]?|[A-Z]|[A-Z]{1,3}\\d+|[IVX]+)(?=$|[\\s:.)(,—–-])',
  'iu',
);

/** `Stream <ID>` takes any id, as its heading does (`Stream api`, `Stream B2`). */
const STREAM = /^(stream|workstream)\s+([\p{L}\p{N}][\p{L}\p{M}\p{N}_-]*)(?=$|[\s:.)(,—–])/iu;

/** Units of these words are lanes that run side by side unless told otherwise; the rest are steps. */
const PARALLEL_WORDS = new Set(['stream', 'workstream', 'track', 'lane']);

// Criteria, not work: named at the start of a heading or label (`Acceptance Criteria`, `Final
// validation`, `Prerequisites`), or at its end (`Final Validation Checklist`, `Layout
// Verification`), or anywhere for the unmistakable ones (`Story 2 acceptance criteria`).
const CRITERIA_START = new RegExp(
  '^(?:(?:final|manual|human|overall|pre-merge|pre-release|release|launch|self|peer)\\s+)?' +
    '(?:acceptance|success criteria|success metrics|definition of done|done when|exit criteria|completion criteria|' +
    'validation|verification|checkpoint|review|quality checklist|prerequisites|pre-requisites|dependencies|' +
    'blocked by|risks|out of scope|non-goals|testing checklist|manual testing|qa checklist|requirements checklist|' +
    '最終検証|検証|受け入れ基準|完了条件)(?![\\p{L}\\p{N}])',
  'iu',
);
const CRITERIA_END = /(?:checklist|criteria|checks|preview)$/iu;
const CRITERIA_END_OF_LABEL = /(?:checklist|criteria|verification|checks|preview)$/iu;
const CRITERIA_ANYWHERE = /acceptance\s+criteria|definition\s+of\s+done|success\s+criteria|exit\s+criteria/iu;

export interface UnitName {
  /** The unit word, lower case (`phase`, `user story`). */
  readonly word: string;
  /** Its number or letter as written (`2`, `B`, `3.1`). */
  readonly number: string;
}

export interface Unit {
  /** Undefined for the tasks above every heading. */
  readonly heading: Heading | undefined;
  readonly name: UnitName | undefined;
  /** The unit's own section and every section it groups, in document order. */
  readonly sections: Section[];
}

/** An item of a checklist that names the units (`- [ ] Phase 1: Foundation`): ticked as they complete. */
export interface SummaryItem {
  readonly task: ScannedTask;
  /** The unit it names, as `unitKey` gives it. */
  readonly key: string;
}

export interface Criterion {
  readonly task: ScannedTask;
  /** The unit the checklist stands in, if any. */
  readonly unit: Unit | undefined;
}

/** The text a heading's words start with: without leading numbering (`3.`, `1)`) or emoji. */
function headingWords(text: string): string {
  return plainText(text).replace(/^[^\p{L}\p{N}]*(?:\d+(?:\.\d+)*[.)]\s+)?[^\p{L}\p{N}]*/u, '');
}

export function unitName(text: string): UnitName | undefined {
  const words = headingWords(text);
  const match = STREAM.exec(words) ?? UNIT.exec(words);
  if (!match) return undefined;
  return { word: (match[1] as string).toLowerCase().replace(/\s+/g, ' '), number: match[2] as string };
}

/** Whether a heading (at `level`; a bold label at `LABEL_LEVEL`) names criteria. */
export function namesCriteria(text: string, level = LABEL_LEVEL): boolean {
  const words = headingWords(text);
  if (words.length > 200) return false;
  const end = level === LABEL_LEVEL ? CRITERIA_END_OF_LABEL : CRITERIA_END;
  return CRITERIA_START.test(words) || end.test(words) || CRITERIA_ANYWHERE.test(words);
}

/** Criteria named so plainly that a unit's name beside them does not make them work. */
export function namesCriteriaOutright(text: string): boolean {
  const words = headingWords(text);
  return words.length <= 200 && CRITERIA_ANYWHERE.test(words);
}

/** Whether units of this name run one after another when the document says nothing else. */
export function isSequential(name: UnitName): boolean {
  return !PARALLEL_WORDS.has(name.word);
}

/** The key a unit is found by: its word and number, in lower case (`phase 2.1`). */
export function unitKey(name: UnitName): string {
  return `${name.word} ${name.number.toLowerCase()}`;
}

export interface Units {
  readonly units: Unit[];
  readonly criteria: Criterion[];
  readonly summary: SummaryItem[];
  /** Sections whose checklist is a summary of the units: none of their items is a task. */
  readonly summarySections: ReadonlySet<Section>;
}

/** Whether every item of a section's checklist names a unit that a heading of the document names. */
function summaryOf(section: Section, keys: ReadonlySet<string>): SummaryItem[] | undefined {
  if (section.tasks.length < 2) return undefined;
  const items: SummaryItem[] = [];
  for (const task of section.tasks) {
    const name = unitName(task.title);
    const key = name && unitKey(name);
    if (!key || !keys.has(key)) return undefined;
    items.push({ task, key });
  }
  return items;
}

export function readUnits(sections: readonly Section[]): Units {
  const units: Unit[] = [];
  const criteria: Criterion[] = [];
  const summary: SummaryItem[] = [];
  const summarySections = new Set<Section>();
  const keys = new Set<string>();
  // Each heading's unit name, read once.
  const names = sections.map((section) => (section.heading ? unitName(section.heading.text) : undefined));
  for (const name of names) if (name) keys.add(unitKey(name));
  let current: Unit | undefined;
  let criteriaLevel: number | undefined;

  for (const [index, section] of sections.entries()) {
    const { heading } = section;
    const name = names[index];
    if (heading && criteriaLevel !== undefined && heading.level <= criteriaLevel) criteriaLevel = undefined;
    // A heading that names criteria outright (`Story 2 acceptance criteria`) is criteria even
    // when it also names a unit; a bold label may end in `Verification`, a heading not (`Email
    // verification` is work).
    const criteriaNamed =
      heading !== undefined &&
      (name ? namesCriteriaOutright(heading.text) : namesCriteria(heading.text, heading.level));
    if (heading && criteriaLevel === undefined && criteriaNamed) criteriaLevel = heading.level;
    if (criteriaLevel !== undefined) {
      for (const task of section.tasks) criteria.push({ task, unit: current });
      continue;
    }
    // A heading inside a named unit (deeper than its heading) groups that unit's tasks, unless
    // it names a unit itself; every other heading opens a unit of its own.
    const inside = heading && !name && current?.name && current.heading && heading.level > current.heading.level;
    // A summary of the units stands outside them: inside a unit, `Phase 1 migrations verified`
    // is that unit's work.
    const items = name || inside || (!heading && current?.name) ? undefined : summaryOf(section, keys);
    if (items) {
      summary.push(...items);
      summarySections.add(section);
    }
    if (inside && current) {
      current.sections.push(section);
      continue;
    }
    current = { heading, name, sections: [section] };
    units.push(current);
  }
  // A unit with no tasks is not a stream (a title, an overview, a section of notes, a summary).
  const working = units.filter((u) => u.sections.some((s) => s.tasks.length > 0 && !summarySections.has(s)));
  return { units: working, criteria, summary, summarySections };
}
