import MarkdownIt from 'markdown-it';
import type Token from 'markdown-it/lib/token.mjs';

// CommonMark with GFM tables and raw HTML blocks, as GitHub renders an issue body. Only the block
// structure matters here (lists, headings, paragraphs, code, quotes, HTML), so inline parsing is
// switched off: inline tokens keep their raw text, which is all the scanner reads.
// markdown-it 14, not 15: 15's build creates every token through `defineProperty`, which made
// the whole parse two to three times slower (npm run bench).
const parser = new MarkdownIt('commonmark', { html: true }).enable('table');
parser.core.ruler.disable(['inline', 'text_join']);

export type BlockToken = Token;

export function blockTokens(text: string): BlockToken[] {
  return parser.parse(text, {});
}
