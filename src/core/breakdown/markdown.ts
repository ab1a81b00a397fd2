import MarkdownIt from 'markdown-it';
import { HTML_OPEN_CLOSE_TAG_RE } from 'markdown-it/lib/common/html_re.mjs';
import type StateBlock from 'markdown-it/lib/rules_block/state_block.mjs';
import type Token from 'markdown-it/lib/token.mjs';

// CommonMark with GFM tables and raw HTML blocks, as GitHub renders an issue body. Only the block
// structure matters here (lists, headings, paragraphs, code, quotes, HTML), so inline parsing is
// switched off: inline tokens keep their raw text, which is all the scanner reads.
// markdown-it 14, not 15: 15's build creates every token through `defineProperty`, which made
// the whole parse two to three times slower (npm run bench).
//
// Where GitHub's renderer (cmark-gfm) reads blocks otherwise, it wins; `test/core/github-checkboxes
// .test.ts` compares the two on thousands of generated bodies. Two rules here make markdown-it
// agree with it:
// - a line holding only an HTML tag (`<img src=…>`, `</div>`), less indented than the list item
//   or outside the block quote it follows, is no lazy continuation of that item's paragraph: it
//   starts an HTML block, which runs to the next blank line (and swallows the tasks in between);
// - `<textarea>` opens an ordinary HTML block, as in the CommonMark version cmark-gfm follows,
//   not one that runs to `</textarea>` (see `forGitHub`);
// - a link reference definition (`[a]: https://…`) is read as cmark reads it while parsing
//   blocks, as a paragraph: a tag line after it continues it rather than opening an HTML block;
// - a footnote (`[^1]: note`) is a container that interrupts what came before and keeps the lines
//   indented under it (and lazy ones) as its own: never tasks. A block quote behaves so here.
const parser = new MarkdownIt('commonmark', { html: true }).enable('table');
parser.core.ruler.disable(['inline', 'text_join']);

const TAG_LINE = new RegExp(`^(?:${HTML_OPEN_CLOSE_TAG_RE.source})\\s*$`);

function lazyTagLine(state: StateBlock, line: number, _end: number, silent: boolean): boolean {
  // Only ever asked as a terminator: whether this line ends the paragraph or quote before it.
  if (!silent) return false;
  // markdown-it's types name fewer parents than it sets: a quote's and a table's are strings too.
  const parent: string = state.parentType;
  const lazy = parent === 'blockquote' || parent === 'table' || (state.sCount[line] ?? 0) < state.blkIndent;
  if (!lazy) return false;
  const start = (state.bMarks[line] as number) + (state.tShift[line] as number);
  return state.src.charCodeAt(start) === 0x3c && TAG_LINE.test(state.src.slice(start, state.eMarks[line]));
}
parser.block.ruler.before('html_block', 'lazy_tag_line', lazyTagLine, { alt: ['paragraph', 'blockquote'] });

// markdown-it's own normalization (CRLF and CR to LF, NUL to U+FFFD) replaces every line ending,
// LF included: a copy of the whole body on every parse. This one copies only a body that has a
// CR or a NUL, and makes the same text.
parser.core.ruler.at('normalize', (state) => {
  if (state.src.includes('\r')) state.src = state.src.replace(/\r\n?/g, '\n');
  if (state.src.includes('\0')) state.src = state.src.replaceAll('\0', '\uFFFD');
});

export type BlockToken = Token;

// `<textarea` and `</textarea`, renamed for the block parser only (same length, so every offset
// stays): cmark-gfm reads them as ordinary tags, and `</textarea>` does not end a `<pre>` block.
const TEXTAREA = /<(\/?)textarea(?=[\s>/]|$)/gim;
// `[^note]:` at a line's start becomes `> note]:`, a block quote; `[label]:` becomes `\label]:`,
// a paragraph's line; a `===` or `---` right after it stays text, as in cmark (a paragraph of
// definitions only is no setext heading).
const FOOTNOTE = /^( {0,3})\[\^(?=[^\]\n]{1,999}\]:)/gm;
const DEFINITION = /^( {0,3})\[(?=[^\]\n]{1,999}\]:)/gm;
// Only where the definition starts its paragraph: at the top, or after a blank line.
const UNDERLINE = /(?:^|(?<=\n[ \t]*\n))( {0,3}\\[^\n]*\n {0,3})(?:=(?==*[ \t]*(?:\n|$))|-(?=-*[ \t]*(?:\n|$)))/g;

/** The text as the block parser should see it to agree with GitHub; every offset is kept. */
export function forGitHub(text: string): string {
  const tags = text.includes('<') ? text.replace(TEXTAREA, '<$1textarex') : text;
  if (!tags.includes(']:')) return tags;
  return tags.replace(FOOTNOTE, '$1> ').replace(DEFINITION, '$1\\').replace(UNDERLINE, '$1\u0000');
}

export function blockTokens(text: string): BlockToken[] {
  return parser.parse(forGitHub(text), {});
}
