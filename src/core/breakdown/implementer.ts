// Who works on a unit: `Agent: claude` or `Implementer: reviewer-bot` on a line of the unit's own
// (bold or not). The name picks one of the commands the repository's configuration trusts under
// `implementers:`; the issue never supplies a command.

const FIELD = /^\s*(?:[*_]{1,2})?(?:agent|implementer)(?:[*_]{1,2})?\s*:\s*(?:[*_]{1,2})?\s*/i;
/** An implementer's name, as `Agent:` lines write it and `implementers:` in the configuration keys it. */
export const IMPLEMENTER_NAME = '[A-Za-z0-9][A-Za-z0-9_.-]{0,63}';
const NAME = new RegExp(`^${IMPLEMENTER_NAME}`);

export interface ImplementerField {
  /** The name as written, or '' when the line names none that could be one. */
  readonly name: string;
  /** 0-based index of the value in the line. */
  readonly index: number;
}

export function implementerField(line: string): ImplementerField | undefined {
  const field = FIELD.exec(line);
  if (!field) return undefined;
  const rest = line.slice(field[0].length);
  const name = NAME.exec(rest)?.[0] ?? '';
  // A name is one word: `Agent: the backend team` names no configured implementer, and the
  // reader says so rather than run the stream with the default one.
  const after = rest
    .slice(name.length)
    .replace(/^[*_`]+/, '')
    .trim();
  if (after !== '' && !/^[.,;]?$/.test(after)) return { name: '', index: field[0].length };
  return { name, index: field[0].length };
}
