// One rule for what a stream id may be, asked by everyone who takes one: the breakdown reader
// (with line and column), the Action's `stream` input, and the branch name reader. An id the
// reader accepts is one GitHub can dispatch (a workflow input), git can branch on
// (`execute/<issue>/<id>`) and the Action accepts.

/** The integration run: dispatched as stream `system`, on the branch `execute/<issue>/integration`. */
export const SYSTEM_STREAM = 'system';
export const INTEGRATION_BRANCH = 'integration';

/** Ids no stream of a breakdown may take, in any case (a case-insensitive file system folds them). */
const RESERVED = new Set([SYSTEM_STREAM, INTEGRATION_BRANCH]);

/** A letter or digit, then letters (with their combining marks), digits, `_` and `-`. */
const SHAPE = /^[\p{L}\p{N}][\p{L}\p{M}\p{N}_-]*$/u;
/** Long enough for any title's slug people write; GitHub's ref names allow far more. */
export const MAX_STREAM_ID = 100;

/** Why `id` cannot be a stream id, or undefined when it can. */
export function streamIdProblem(id: string): string | undefined {
  if (id === '') return 'it is empty';
  if (id.length > MAX_STREAM_ID) return `it is longer than ${MAX_STREAM_ID} characters`;
  if (id !== id.normalize('NFC')) return 'it is not in Unicode normal form C';
  if (!SHAPE.test(id)) return 'it must start with a letter or digit and hold only letters, digits, "_" and "-"';
  if (RESERVED.has(id.toLowerCase()))
    return `"${id}" is reserved for the integration run (the branch execute/<issue>/${INTEGRATION_BRANCH})`;
  return undefined;
}

/** The id a title's slug makes: normalized, and trimmed of what may not start or end an id. */
export function idFromSlug(slug: string): string {
  let start = 0;
  let end = slug.length;
  while (start < end && (slug[start] === '-' || slug[start] === '_')) start++;
  while (end > start && (slug[end - 1] === '-' || slug[end - 1] === '_')) end--;
  return slug.slice(start, end).normalize('NFC');
}
