import { blankMarkup } from './markup.js';

// A document's own task ids: `T001` (spec-kit), `3.1` and `3.` (Kiro), `001`, `PR-003`, `I-1.2`.
// A task whose title begins with one keeps it as its id, when the document uses that kind of id
// for two tasks or more (one `2 eggs` is not an id scheme). Others are `<stream>.<n>`, as before.

export type IdShape = 'T' | 'prefixed' | 'dotted';

const SHAPES: readonly [IdShape, RegExp][] = [
  ['T', /^T\d+[a-z]?(?=[\s:.,)]|$)/],
  ['prefixed', /^[A-Z][A-Z0-9]{0,9}-\d+(?:\.\d+)*[a-z]?(?=[\s:,)]|\.?\s|$)/],
  ['dotted', /^\d+(?:\.\d+)*(?=\.?[\s:)]|$)/],
];

export interface NativeId {
  readonly shape: IdShape;
  readonly id: string;
}

function isDigit(code: number): boolean {
  return code >= 48 && code <= 57;
}

/** The native id a title begins with (through bold, code or brackets around it), if any. */
export function nativeId(title: string): NativeId | undefined {
  // Every id starts with a capital letter or a digit, possibly behind markup or a bracket; a
  // capital is followed by a digit (`T001`) or, within ten characters, by a hyphen (`PR-003`).
  const first = title.charCodeAt(0);
  const capital = first >= 65 && first <= 90;
  if (capital && !isDigit(title.charCodeAt(1)) && !title.slice(1, 11).includes('-')) return undefined;
  const plain = isDigit(first) || capital;
  const text = plain ? title : blankMarkup(title).replace(/^[\s[]+/, '');
  for (const [shape, pattern] of SHAPES) {
    const match = pattern.exec(text);
    if (match) return { shape, id: match[0] };
  }
  return undefined;
}

/**
 * The kind of id the document uses: the commonest among its tasks' own ids, if two or more use
 * it. Numbers that repeat (`1.` and `2.` in each section) are list numbering, not ids.
 */
export function documentIdShape(ids: readonly (NativeId | undefined)[]): IdShape | undefined {
  const counts = new Map<IdShape, number>();
  const seen = new Set<string>();
  let repeated = false;
  for (const id of ids) {
    if (!id) continue;
    counts.set(id.shape, (counts.get(id.shape) ?? 0) + 1);
    if (id.shape === 'dotted' && seen.has(id.id)) repeated = true;
    if (id.shape === 'dotted') seen.add(id.id);
  }
  if (repeated) counts.delete('dotted');
  let best: IdShape | undefined;
  for (const [shape, count] of counts) if (count >= 2 && count > (best ? (counts.get(best) ?? 0) : 0)) best = shape;
  return best;
}

/** Whether `child` is numbered under `parent` (`3.1` under `3`, `3.1.2` under `3.1`). */
export function isNumberedUnder(child: string, parent: string): boolean {
  return child.startsWith(`${parent}.`);
}
