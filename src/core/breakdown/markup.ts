// Inline markup that may decorate a heading or a dependency line (`**Depends on:**`,
// `[Stream A](#stream-a)`, `` `api` ``). Each is blanked to spaces of the same length, so a
// column found in the result is the column in the source. Every pattern here runs in linear time
// on any text (no two quantifiers can share a character): bodies come from anyone.

// A label holds no bracket and a target no parenthesis or space: a run of `[` or `(` fails at
// once at each position instead of scanning to the end of the line from each.
const LINK = /\[([^[\]]*)\]\([^()\s]*\)/g;
// Underscores emphasise only at word edges: `api_v2` keeps its own.
const DECORATION = /\*+|`+|~~|(?<![\p{L}\p{N}])_+|_+(?![\p{L}\p{N}])/gu;

// The characters every piece of markup above starts with: most lines hold none of them.
const MARKS = /[[*`~_]/;

export function blankMarkup(text: string): string {
  if (!MARKS.test(text)) return text;
  return text
    .replace(LINK, (whole, label: string) => ` ${label}${' '.repeat(whole.length - label.length - 1)}`)
    .replace(DECORATION, (mark) => ' '.repeat(mark.length));
}

/** The text as a reader sees it: markup removed, white space folded. */
export function plainText(text: string): string {
  const blanked = blankMarkup(text);
  // Folding white space only where there is some to fold: the common title has single spaces.
  return /\s\s|[\t\n\r\f\v\u00a0]/.test(blanked) ? blanked.replace(/\s+/g, ' ').trim() : blanked.trim();
}
