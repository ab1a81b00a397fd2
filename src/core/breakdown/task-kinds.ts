import { plainText } from './markup.js';

// Checklist items that are not work for an implementer, whatever section they stand in: an item
// that only points at another issue (`- [ ] #123`, `- [ ] owner/repo#4 - Parser`, an issue URL),
// tracked there and not here; and a placeholder (`- [ ] 07-01: TBD`), work nobody has written yet.

export type TaskKind = 'work' | 'reference' | 'placeholder';

const REFERENCE =
  /^(?:[\w.-]+\/[\w.-]+)?#\d+(?![\w])|^https?:\/\/(?:www\.)?github\.com\/[^\s/]+\/[^\s/]+\/(?:issues|pull)\/\d+/i;
const PLACEHOLDER = /^(?:tbd|tba|todo|to do|tbc|wip|n\/a|\?+|\.{3}|…|-+)$/i;
// A leading id of any scheme (`T004`, `3.1`, `07-01`, `PR-003`) and what separates it from the title.
const LEADING_ID = /^(?:[A-Z]{1,6}-?)?\d+(?:[.-]\d+)*[a-z]?(?:[\s.:)\-—–]+|$)/;

export function taskKind(title: string): TaskKind {
  const text = plainText(title);
  if (REFERENCE.test(text)) return 'reference';
  const rest = text.replace(LEADING_ID, '').trim();
  return rest === '' || PLACEHOLDER.test(rest) ? 'placeholder' : 'work';
}
