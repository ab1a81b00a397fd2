import { looseWords, slugPiece } from './slug.js';

// The stream references after `Depends on:` (or inside a heading's `(depends on …)`):
// `Stream A`, `A`, `Streams A, B`, `A and C`, a stream's title, or `None`. Words after a reference
// (`Stream A complete ✅`) are ignored.

/**
 * A run of words, in the forms a stream may be named by: as written, in lower case, as a heading
 * anchor (`slug`) and as its letters and digits (`looseWords`). Built a word at a time, without a
 * pattern: a reference is tried at up to a dozen lengths, and text from anyone must stay linear.
 */
export interface Phrase {
  readonly text: string;
  readonly lower: string;
  readonly slug: string;
  readonly loose: string;
}

/** What a phrase names: a stream, or a task (and so the stream that holds it). */
export interface Target {
  readonly stream: string;
  /** Set when the phrase named a task of the stream rather than the stream. */
  readonly task?: string;
}

/**
 * Finds what a phrase names: one target, several (it is ambiguous), or none. Streams are asked
 * for first, at every length; tasks only when no length names a stream.
 */
export type StreamResolver = (phrase: Phrase, scope: 'streams' | 'tasks') => Target | readonly Target[] | undefined;

export interface ReferenceResult {
  /** Resolved references, each with the 0-based index of its reference in the text. */
  readonly found: { readonly id: string; readonly task?: string; readonly index: number }[];
  /** References that name nothing, as written. */
  readonly unknown: { readonly text: string; readonly index: number }[];
  /** References that name several things, as written, with what they could be. */
  readonly ambiguous: { readonly text: string; readonly index: number; readonly candidates: readonly Target[] }[];
}

interface Word {
  readonly text: string;
  readonly index: number;
  readonly separator: boolean;
  readonly lower: string;
  readonly piece: string;
  readonly emojiOnly: boolean;
  readonly loose: string;
}

const WORDS = /[,;&/+]|[^\s,;&/+]+/g;
// The whole value says there are none (`None`, `N/A.`, `None (starts right away)`, `—`): not
// `None yet, but it needs Stream A`, which names one.
const NONE = /^\s*(?:none|nothing|n\/a|no\s+dependenc(?:y|ies)|[-—–]+)[\s.!]*(?:\([^()]*\)[\s.!]*)?$/iu;
const STREAM_WORD = /^streams?$/i;
const PLAIN = /^[A-Za-z0-9]+$/;
const AND = /^and$/i;
// A title may run to several words; a reference longer than this is not worth trying.
const LONGEST_TITLE_WORDS = 12;

const OPENERS = new Set('("\'[{<');
const CLOSERS = new Set(')"\']}>.:!?');

/** The word without the brackets, quotes and punctuation around it, nor a possessive `'s`. */
function clean(word: string): string {
  // Trimmed by hand: an unanchored `[…]+$` would rescan a long run of `)` from each of its characters.
  let start = 0;
  let end = word.length;
  while (start < end && OPENERS.has(word[start] as string)) start++;
  while (end > start && CLOSERS.has(word[end - 1] as string)) end--;
  return word.slice(start, end).replace(/['’]s$/i, '');
}

function wordsOf(text: string): Word[] {
  const words: Word[] = [];
  for (const match of text.matchAll(WORDS)) {
    const separator = /^[,;&/+]$/.test(match[0]);
    const word = separator ? match[0] : clean(match[0]);
    if (word === '') continue;
    const lower = word.toLowerCase();
    // Most words are plain letters and digits: every form of them is the lower case.
    const plain = PLAIN.test(word);
    const { piece, emojiOnly } = plain ? { piece: lower, emojiOnly: false } : slugPiece(word);
    words.push({
      text: word,
      index: match.index + match[0].indexOf(word),
      separator,
      lower,
      piece,
      emojiOnly,
      loose: plain ? lower : looseWords(word),
    });
  }
  return words;
}

export function readReferences(text: string, resolve: StreamResolver): ReferenceResult {
  const found: ReferenceResult['found'][number][] = [];
  const unknown: ReferenceResult['unknown'][number][] = [];
  const ambiguous: ReferenceResult['ambiguous'][number][] = [];
  if (NONE.test(text)) return { found, unknown, ambiguous };
  const words = wordsOf(text);

  let i = 0;
  while (i < words.length) {
    const word = words[i] as Word;
    if (word.separator || AND.test(word.text)) {
      i++;
      continue;
    }
    const explicit = STREAM_WORD.test(word.text) && words[i + 1] !== undefined && !words[i + 1]?.separator;
    const from = i;
    if (explicit) i++;
    // The phrase may run up to the next separator; `and` may be part of a title.
    let end = i;
    while (end < words.length && !words[end]?.separator && end - i < LONGEST_TITLE_WORDS) end++;
    // The longest phrase that names something wins; with `Stream` in front, the phrase is tried
    // with it too (`Stream an owner-only answer` may be a whole title, not stream `an`).
    let matched = 0;
    let target: Target | readonly Target[] | undefined;
    for (const scope of ['streams', 'tasks'] as const) {
      for (const [length, phrase] of phrases(words, i, end)) {
        const named = resolve(phrase, scope);
        if (named !== undefined) {
          matched = length;
          target = named;
        }
      }
      if (explicit)
        for (const [length, phrase] of phrases(words, from, end)) {
          const named = resolve(phrase, scope);
          if (named !== undefined && length - 1 > matched) {
            matched = length - 1;
            target = named;
          }
        }
      if (matched > 0) break;
    }
    const at = words[i] as Word;
    if (target !== undefined && !isList(target)) found.push({ id: target.stream, index: at.index, ...taskOf(target) });
    else if (target !== undefined) {
      const last = words[i + matched - 1] as Word;
      ambiguous.push({
        text: text.slice(at.index, last.index + last.text.length),
        index: at.index,
        candidates: target,
      });
    }
    if (matched === 0) {
      let stop = i + 1;
      if (!explicit) while (stop < end && !AND.test(words[stop]?.text ?? '')) stop++;
      const first = words[i] as Word;
      const last = words[stop - 1] as Word;
      unknown.push({ text: text.slice(first.index, last.index + last.text.length), index: first.index });
    }
    // Words after a reference (`complete ✅`) are ignored up to the next `and` or separator.
    i += Math.max(matched, 1);
    while (i < end && !AND.test(words[i]?.text ?? '')) i++;
  }
  return { found, unknown, ambiguous };
}

function isList(target: Target | readonly Target[]): target is readonly Target[] {
  return Array.isArray(target);
}

function taskOf(target: Target): { task?: string } {
  return target.task === undefined ? {} : { task: target.task };
}

/**
 * The phrases `words[start..k]` for each k below `end`, a word at a time. Each form equals what the
 * whole phrase would give: `slug` trims words that were only emoji at either end (they leave only
 * white space) and turns each space into a hyphen; `looseWords` skips words without letters.
 */
function* phrases(words: readonly Word[], start: number, end: number): Generator<[number, Phrase]> {
  let text = '';
  let lower = '';
  let slug = '';
  let loose = '';
  let started = false;
  let pendingEmoji = 0;
  for (let k = start; k < end; k++) {
    const word = words[k] as Word;
    const first = k === start;
    text = first ? word.text : `${text} ${word.text}`;
    lower = first ? word.lower : `${lower} ${word.lower}`;
    if (word.loose !== '') loose = loose === '' ? word.loose : `${loose} ${word.loose}`;
    if (word.emojiOnly) pendingEmoji++;
    else {
      slug = started ? `${slug}${'-'.repeat(pendingEmoji + 1)}${word.piece}` : word.piece;
      started = true;
      pendingEmoji = 0;
    }
    yield [k - start + 1, { text, lower, slug, loose }];
  }
}
