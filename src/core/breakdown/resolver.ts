import type { Draft } from './draft.js';
import { plainText } from './markup.js';
import type { StreamResolver, Target } from './references.js';
import { looseWords } from './slug.js';
import { unitKey } from './units.js';

// What a reference names (a unit or a task), how an unknown one is answered (the stream it
// probably meant), and the bounds that keep both linear on text from anyone.

const TASK_NUMBER = /^task\s+(\d+)\s*:/i;
const TASK_NAME_PREFIX = /^(?:task\s+\d+\s*:|(?:[A-Z]{1,6}-?)?\d+(?:[.-]\d+)*[a-z]?[.:)]?)\s+/i;

/** How many things an ambiguous-reference error lists. */
export const AMBIGUOUS_LISTED = 10;

/** How many stream ids an unknown-reference error lists. */
const KNOWN_LISTED = 20;

export interface Known {
  /** The stream ids, for an error: at most twenty, since a long list would make errors quadratic. */
  readonly listed: string;
  /** The id a mistyped reference most likely meant, if one is close. */
  suggest(name: string): string | undefined;
}

export function knownStreams(ids: readonly string[]): Known {
  let suggestions = 0;
  return {
    listed:
      ids.length <= KNOWN_LISTED ? ids.join(', ') : `${ids.slice(0, KNOWN_LISTED).join(', ')}, … ${ids.length} in all`,
    suggest(name) {
      // Bounded work: short names only, and the first twenty unknown references of a document.
      const wanted = name.toLowerCase();
      if (wanted.length < 3 || wanted.length > 30 || ++suggestions > KNOWN_LISTED) return undefined;
      let best: string | undefined;
      let distance = Math.max(1, Math.floor(wanted.length / 3)) + 1;
      for (const id of ids) {
        const d = editDistance(wanted, id.toLowerCase(), distance);
        if (d < distance) [best, distance] = [id, d];
      }
      return best;
    },
  };
}

/** Levenshtein distance, or `limit` as soon as it is certain to reach it. */
function editDistance(a: string, b: string, limit: number): number {
  if (Math.abs(a.length - b.length) >= limit || b.length > 100) return limit;
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    let smallest = i;
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      const value = Math.min(
        (previous[j] as number) + 1,
        (current[j - 1] as number) + 1,
        (previous[j - 1] as number) + cost,
      );
      current.push(value);
      smallest = Math.min(smallest, value);
    }
    if (smallest >= limit) return limit;
    previous = current;
  }
  return Math.min(previous[b.length] as number, limit);
}

/** The longest dependency text read: a hundred streams named by title fit well within it. */
export const MAX_REFERENCES_TEXT = 4_000;

/**
 * What a reference names, in this order: a stream by its id (exactly, then in any case), its
 * title, its slug, its unit word and number (`Phase 2`), its title's leading name (before `:`,
 * ` — `, ` - ` or `(`); then a task, by its id (`T004`, `A.2`), its `Task <n>`, its title; then a
 * stream by its title's words. The first way that names anything decides; if it names more than
 * one, the reference is ambiguous.
 */
export function resolver(drafts: readonly Draft[]): StreamResolver {
  const byId = new Map<string, Target[]>();
  const byFoldedId = new Map<string, Target[]>();
  const byTitle = new Map<string, Target[]>();
  const byUnit = new Map<string, Target[]>();
  const byLead = new Map<string, Target[]>();
  const byWords = new Map<string, Target[]>();
  for (const { stream, unit } of drafts) {
    const { id, title } = stream;
    const target = { stream: id };
    addTarget(byId, id, target);
    addTarget(byFoldedId, id.toLowerCase(), target);
    addTarget(byTitle, title.toLowerCase(), target);
    if (unit.name) addTarget(byUnit, looseWords(unitKey(unit.name)), target);
    addTarget(byLead, leadingName(title).toLowerCase(), target);
    addTarget(byWords, looseWords(title), target);
  }
  // Tasks are asked for only when no stream is named: built then, once.
  let tasks: ReturnType<typeof taskTargets> | undefined;
  return (phrase, scope) => {
    if (scope === 'streams')
      return (
        decide(byId.get(phrase.text)) ??
        decide(byFoldedId.get(phrase.lower)) ??
        decide(byTitle.get(phrase.lower)) ??
        decide(byId.get(phrase.slug)) ??
        decide(byUnit.get(phrase.loose)) ??
        decide(byLead.get(phrase.lower)) ??
        decide(byWords.get(phrase.loose))
      );
    tasks ??= taskTargets(drafts);
    return (
      decide(tasks.byId.get(phrase.text)) ??
      decide(tasks.byNumber.get(phrase.loose)) ??
      decide(tasks.byTitle.get(phrase.lower))
    );
  };
}

function decide(targets: Target[] | undefined): Target | Target[] | undefined {
  return targets === undefined ? undefined : targets.length === 1 ? (targets[0] as Target) : targets;
}

/** A key names at most a few things worth listing: more are not counted, so a body of thousands of tasks titled alike stays linear. */
function addTarget(map: Map<string, Target[]>, key: string, target: Target): void {
  if (key === '') return;
  const known = map.get(key);
  if (!known) map.set(key, [target]);
  else if (known.length <= AMBIGUOUS_LISTED && !known.some((t) => t.stream === target.stream && t.task === target.task))
    known.push(target);
}

/** Tasks by their id (`T004`, `A.2`), their `Task <n>`, their title (with and without its number or id). */
function taskTargets(drafts: readonly Draft[]) {
  const byId = new Map<string, Target[]>();
  const byNumber = new Map<string, Target[]>();
  const byTitle = new Map<string, Target[]>();
  for (const { stream } of drafts)
    for (const task of stream.tasks) {
      const named = { stream: stream.id, task: task.id };
      addTarget(byId, task.id, named);
      const plain = plainText(task.title);
      const number = TASK_NUMBER.exec(plain)?.[1];
      if (number !== undefined) addTarget(byNumber, `task ${Number(number)}`, named);
      addTarget(byTitle, plain.toLowerCase(), named);
      addTarget(byTitle, plain.replace(TASK_NAME_PREFIX, '').toLowerCase(), named);
    }
  return { byId, byNumber, byTitle };
}

/** `Setup` of `Setup: the toolchain`, `Setup — the toolchain`, `Setup (day 1)`. */
function leadingName(title: string): string {
  let end = title.length;
  for (const mark of [':', ' — ', ' – ', ' - ', '(']) {
    const at = title.indexOf(mark);
    if (at > 0 && at < end) end = at;
  }
  return end === title.length ? '' : title.slice(0, end).trim();
}
