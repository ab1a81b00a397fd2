// `/execute status`, `/execute retry <stream>`, `/execute cancel`, on a line of their own.

export type Command =
  | { readonly name: 'status' }
  | { readonly name: 'cancel' }
  | { readonly name: 'retry'; readonly stream: string };

export type CommandParse = { readonly command: Command } | { readonly error: string } | undefined;

const LINE = /^\s*\/execute(?:\s+(.*?))?\s*$/m;

/** The command in a comment; undefined when the comment holds none. */
export function parseCommand(body: string): CommandParse {
  const match = LINE.exec(body);
  if (!match) return undefined;
  const [name, ...rest] = (match[1] ?? '').split(/\s+/).filter(Boolean);
  if (name === 'status' && rest.length === 0) return { command: { name: 'status' } };
  if (name === 'cancel' && rest.length === 0) return { command: { name: 'cancel' } };
  if (name === 'retry' && rest.length === 1) return { command: { name: 'retry', stream: rest[0] as string } };
  return { error: 'usage: `/execute status`, `/execute retry <stream>` or `/execute cancel`' };
}
