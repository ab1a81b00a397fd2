// The stream references after `Depends on:` (or inside a heading's `(depends on …)`):
// `Stream A`, `A`, `Streams A, B`, `A and C`, a stream's title, or `None`. Words after a reference
// (`Stream A complete ✅`) are ignored.

/** Finds the id of the stream a phrase names, if any. */
export type StreamResolver = (phrase: string) => string | undefined;

export interface ReferenceResult {
  /** Resolved stream ids, each with the 0-based index of its reference in the text. */
  readonly found: { readonly id: string; readonly index: number }[];
  /** References that name no stream, as written. */
  readonly unknown: { readonly text: string; readonly index: number }[];
}

interface Word {
  readonly text: string;
  readonly index: number;
  readonly separator: boolean;
}

const WORDS = /[,;&/+]|[^\s,;&/+]+/g;
const NONE = /^\s*(?:none|nothing|n\/a|no\s+dependenc(?:y|ies)|[-—–]+)(?![\p{L}\p{N}])/iu;
const STREAM_WORD = /^streams?$/i;
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
    if (word !== '') words.push({ text: word, index: match.index + match[0].indexOf(word), separator });
  }
  return words;
}

export function readReferences(text: string, resolve: StreamResolver): ReferenceResult {
  const found: ReferenceResult['found'][number][] = [];
  const unknown: ReferenceResult['unknown'][number][] = [];
  if (NONE.test(text)) return { found, unknown };
  const words = wordsOf(text);

  let i = 0;
  while (i < words.length) {
    const word = words[i] as Word;
    if (word.separator || AND.test(word.text)) {
      i++;
      continue;
    }
    const explicit = STREAM_WORD.test(word.text) && words[i + 1] !== undefined && !words[i + 1]?.separator;
    if (explicit) i++;
    // The phrase may run up to the next separator; `and` may be part of a title.
    let end = i;
    while (end < words.length && !words[end]?.separator && end - i < LONGEST_TITLE_WORDS) end++;
    let matched = 0;
    for (let length = end - i; length > 0 && matched === 0; length--) {
      const phrase = words
        .slice(i, i + length)
        .map((w) => w.text)
        .join(' ');
      const id = resolve(phrase);
      if (id !== undefined) {
        found.push({ id, index: (words[i] as Word).index });
        matched = length;
      }
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
  return { found, unknown };
}
