// Emoji, their variation selectors, joiners and skin tones: none of them belong in an id.
const EMOJI = /\p{Extended_Pictographic}|\p{Emoji_Modifier}|\p{Regional_Indicator}|\u{FE0F}|\u{200D}|\u{20E3}/gu;

/** A word (no white space) as `slug` reads it: its part of the anchor, and whether it is only emoji. */
export function slugPiece(word: string): { readonly piece: string; readonly emojiOnly: boolean } {
  const bare = word.replace(EMOJI, '');
  return { piece: bare.toLowerCase().replace(/[^\p{L}\p{M}\p{N}\p{Pc}-]/gu, ''), emojiOnly: bare === '' };
}

/** GitHub's heading anchors (lower case, punctuation dropped, each space a hyphen), emoji left out. */
export function slug(text: string): string {
  return text
    .replace(EMOJI, '')
    .trim()
    .toLowerCase()
    .replace(/[^\p{L}\p{M}\p{N}\p{Pc}\s-]/gu, '')
    .replace(/\s/g, '-');
}

/** Letters and digits only, for matching a reference against a title loosely. */
export function looseWords(text: string): string {
  return text
    .toLowerCase()
    .split(/[^\p{L}\p{N}]+/u)
    .filter(Boolean)
    .join(' ');
}
