import MarkdownIt, { type Token } from 'markdown-it';

// CommonMark with GFM tables and raw HTML blocks, as GitHub renders an issue body. Only the block
// structure matters here (lists, headings, paragraphs, code, quotes, HTML), so inline parsing is
// switched off: inline tokens keep their raw text, which is all the scanner reads.
const parser = new MarkdownIt('commonmark', { html: true }).enable('table');
parser.core.ruler.disable(['inline', 'text_join']);

export type BlockToken = Token;

export function blockTokens(text: string): BlockToken[] {
  return parser.parse(text, {});
}
