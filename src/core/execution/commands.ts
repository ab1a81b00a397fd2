import { type BlockToken, blockTokens } from '../breakdown/markdown.js';

// `/execute start [key]`, `/execute status`, `/execute retry <stream>`, `/execute cancel`, on a line of their own, in
// the comment's own words: a line in a code block, an HTML block or a quote (someone citing a
// command) is not a command. Comments come from anyone, so this reads in linear time: the block
// parser, then plain string operations on each line.

export type Command =
  | { readonly name: 'start'; readonly key?: string }
  | { readonly name: 'status' }
  | { readonly name: 'cancel' }
  | { readonly name: 'retry'; readonly stream: string };

export type CommandParse = { readonly command: Command } | { readonly error: string } | undefined;

const PREFIX = '/execute';
export const COMMAND_USAGE =
  'usage: `/execute start <key>`, `/execute status`, `/execute retry <stream>` or `/execute cancel`';
/** GitHub allows comments of this many characters; anything longer is not from GitHub. */
const MAX_COMMENT = 65_536;

/** The lines of a comment that stand in paragraphs outside quotes. */
function ownLines(body: string): string[] {
  const lines: string[] = [];
  let quotes = 0;
  const tokens: BlockToken[] = blockTokens(body.slice(0, MAX_COMMENT));
  for (let i = 0; i < tokens.length; i++) {
    const token = tokens[i] as BlockToken;
    if (token.type === 'blockquote_open') quotes++;
    else if (token.type === 'blockquote_close') quotes--;
    else if (token.type === 'paragraph_open' && quotes === 0) {
      const inline = tokens[i + 1];
      if (inline?.type === 'inline') lines.push(...inline.content.split('\n'));
    }
  }
  return lines;
}

/** The command in a comment; undefined when the comment holds none. */
export function parseCommand(body: string): CommandParse {
  // Most comments hold no command: one search, before any parsing.
  if (!body.includes(PREFIX)) return undefined;
  for (const raw of ownLines(body)) {
    const line = raw.trim();
    if (!line.startsWith(PREFIX)) continue;
    const rest = line.slice(PREFIX.length);
    if (rest !== '' && !/^\s/.test(rest)) continue; // `/executed` is another word
    const [name, ...args] = rest.split(/\s+/).filter(Boolean);
    if ((name === 'start' || name === 'status' || name === 'cancel') && args.length === 0) return { command: { name } };
    if (name === 'start' && args.length === 1)
      return { command: { name: 'start', key: (args[0] as string).toLowerCase() } };
    if (name === 'retry' && args.length === 1) return { command: { name: 'retry', stream: args[0] as string } };
    return { error: COMMAND_USAGE };
  }
  return undefined;
}
