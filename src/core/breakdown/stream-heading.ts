import { blankMarkup, plainText } from './markup.js';
import { slug } from './slug.js';
import { idFromSlug } from './stream-id.js';

// `Stream <ID>: <title>`, `Stream <ID> - <title>`, `Stream <ID>`, or any other heading whose slug
// is the id. A trailing `(depends on A, B)` declares dependencies.

export interface StreamHeading {
  readonly id: string;
  readonly title: string;
  /** The text inside `(depends on …)`, with its 0-based index in the heading text. */
  readonly dependencies: { readonly text: string; readonly index: number } | undefined;
}

const EXPLICIT = /^stream\s+([\p{L}\p{N}][\p{L}\p{M}\p{N}_-]*)(?:\s*:\s*(.*)|\s+[-–—]\s*(.*)|\s*[–—]\s*(.*))?$/iu;
// Tried only where a `(` stands, anchored there (sticky): linear however many `(` a heading has.
const DEPENDENCY_WORDS = /\(\s*(?:depends\s+on|dependencies|needs|blocked\s+by|after)(?![\p{L}\p{N}])\s*:?/iuy;

interface Declared {
  readonly start: number;
  readonly end: number;
  readonly list: { readonly text: string; readonly index: number };
}

/**
 * `(depends on A, B)`: the first `(` followed by a dependency word, up to the next `)`. The list
 * stops at a `(` too, so that a heading of many `(after ` is read in one pass.
 */
function headingDependencies(text: string): Declared | undefined {
  for (let open = text.indexOf('('); open >= 0; open = text.indexOf('(', open + 1)) {
    DEPENDENCY_WORDS.lastIndex = open;
    if (!DEPENDENCY_WORDS.test(text)) continue;
    let end = DEPENDENCY_WORDS.lastIndex;
    while (end < text.length && text[end] !== ')' && text[end] !== '(') end++;
    if (text[end] !== ')') {
      open = end - 1; // nothing between here and `end` can start another declaration
      continue;
    }
    const from = DEPENDENCY_WORDS.lastIndex;
    const raw = text.slice(from, end);
    const lead = raw.length - raw.trimStart().length;
    return { start: open, end: end + 1, list: { text: raw.trim(), index: from + lead } };
  }
  return undefined;
}

export function parseStreamHeading(text: string): StreamHeading {
  const blanked = blankMarkup(text);
  const declared = headingDependencies(blanked);
  const dependencies = declared && declared.list.text !== '' ? declared.list : undefined;
  const name = plainText(declared ? blanked.slice(0, declared.start) + blanked.slice(declared.end) : blanked);
  const explicit = EXPLICIT.exec(name);
  if (explicit) {
    const id = (explicit[1] as string).normalize('NFC');
    const title = (explicit[2] ?? explicit[3] ?? explicit[4] ?? '').trim();
    return { id, title: title || `Stream ${id}`, dependencies };
  }
  return { id: idFromSlug(slug(name)), title: name, dependencies };
}
