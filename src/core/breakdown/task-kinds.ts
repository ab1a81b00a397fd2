import { plainText } from './markup.js';

// Checklist items that are not work for an implementer, whatever section they stand in: an item
// that only points at another issue (`- [ ] #123`, `- [ ] owner/repo#4 - Parser`, an issue URL),
// tracked there and not here; and a placeholder (`- [ ] 07-01: TBD`), work nobody has written yet.
// And tasks that are a person's (`**STOP**: Ask user to review PR #4`, a stakeholder review, a
// manual step): the stream stops before them until a person ticks them.

export type TaskKind = 'work' | 'reference' | 'placeholder';

const REFERENCE =
  /^(?:[\w.-]+\/[\w.-]+)?#\d+(?![\w])|^https?:\/\/(?:www\.)?github\.com\/[^\s/]+\/[^\s/]+\/(?:issues|pull)\/\d+/i;
const PLACEHOLDER = /^(?:tbd|tba|todo|to do|tbc|wip|n\/a|\?+|\.{3}|…|-+)$/i;
// A leading id of any scheme (`T004`, `3.1`, `07-01`, `PR-003`) and what separates it from the title.
const LEADING_ID = /^(?:[A-Z]{1,6}-?)?\d+(?:[.-]\d+)*[a-z]?(?:[\s.:)\-—–]+|$)/;

export function taskKind(title: string): TaskKind {
  // A reference holds a `#` or is a URL; a placeholder is short (`07-01: TBD`): most titles are
  // neither.
  if (title.length > 24 && !title.includes('#') && !title.includes('://')) return 'work';
  const text = plainText(title);
  if (REFERENCE.test(text)) return 'reference';
  // A placeholder is a word or two after an id at most: a longer title is work.
  if (text.length > 32) return 'work';
  const rest = text.replace(LEADING_ID, '').trim();
  return rest === '' || PLACEHOLDER.test(rest) ? 'placeholder' : 'work';
}

// A person's step: a stop sign, asking someone, waiting for a review or an approval, a manual or
// human check. Phrases, not single words: `Add a user review form` is work.
const STOP = /(?:^|[^\p{L}])STOP(?:[^\p{L}]|$)|USER ACTION|HUMAN ACTION/u;
const PERSON = new RegExp(
  [
    'ask\\s+(?:the\\s+|a\\s+)?(?:user|human|maintainer|reviewer|owner|team)',
    'wait(?:ing)?\\s+for\\s+(?:the\\s+|a\\s+)?(?:user|human|maintainer|team|stakeholders?|approval|review|sign-?off)',
    '(?:team|stakeholders?|human|peer|design|product)\\s+review',
    '(?:manual|human)\\s+(?:verification|check|checks|testing|test|step|review|approval|qa)',
    'requires?\\s+(?:user|human|manual)\\s+(?:action|approval|input|verification)',
    'after\\s+(?:user\\s+|team\\s+|stakeholder\\s+)?approval',
    'checkpoint\\s*:\\s*human',
    'sign-?off\\s+(?:by|from)',
  ].join('|'),
  'iu',
);
const PERSON_JA = /手動|ユーザーによる|ユーザーが(?:確認|実施)|レビュー依頼/u;

// Words one of the phrases above must hold: a cheap test that spares most titles the full patterns.
const PERSON_WORDS =
  /\b(?:stop|user action|human action|ask|wait|review|manual|human|requir|after approv|checkpoint|sign)|手動|ユーザー|レビュー/i;

/** What in a task (its title, or a line under it) makes it a person's: the phrase, if any. */
export function personPhrase(title: string, under: readonly string[] = []): string | undefined {
  const found = phraseIn(title);
  if (found !== undefined) return found;
  for (const line of under) {
    const phrase = phraseIn(line);
    if (phrase !== undefined) return phrase;
  }
  return undefined;
}

function phraseIn(raw: string): string | undefined {
  if (raw.length > 2_000 || !PERSON_WORDS.test(raw)) return undefined;
  const text = plainText(raw);
  const match = STOP.exec(text) ?? PERSON.exec(text) ?? PERSON_JA.exec(text);
  return match ? match[0].replace(/^[^\p{L}]+|[^\p{L}]+$/gu, '') : undefined;
}
