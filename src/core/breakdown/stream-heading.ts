import { blankMarkup, plainText } from './markup.js';
import { slug } from './slug.js';

// `Stream <ID>: <title>`, `Stream <ID> - <title>`, `Stream <ID>`, or any other heading whose slug
// is the id. A trailing `(depends on A, B)` declares dependencies.

export interface StreamHeading {
  readonly id: string;
  readonly title: string;
  /** The text inside `(depends on …)`, with its 0-based index in the heading text. */
  readonly dependencies: { readonly text: string; readonly index: number } | undefined;
}

const EXPLICIT = /^stream\s+([\p{L}\p{N}][\p{L}\p{N}_-]*)(?:\s*:\s*(.*)|\s+[-–—]\s*(.*)|\s*[–—]\s*(.*))?$/iu;
const HEADING_DEPENDENCIES = /\(\s*(?:depends\s+on|dependencies|needs|blocked\s+by|after)\s*:?\s*([^)]*)\)/diu;

export function parseStreamHeading(text: string): StreamHeading {
  const blanked = blankMarkup(text);
  const declared = HEADING_DEPENDENCIES.exec(blanked);
  const list = declared?.indices?.[1];
  const dependencies = list ? { text: blanked.slice(list[0], list[1]), index: list[0] } : undefined;
  const name = plainText(
    declared ? blanked.slice(0, declared.index) + blanked.slice(declared.index + declared[0].length) : blanked,
  );
  const explicit = EXPLICIT.exec(name);
  if (explicit) {
    const id = explicit[1] as string;
    const title = (explicit[2] ?? explicit[3] ?? explicit[4] ?? '').trim();
    return { id, title: title || `Stream ${id}`, dependencies };
  }
  return { id: slug(name), title: name, dependencies };
}
