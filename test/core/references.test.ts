import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { type Phrase, readReferences } from '../../src/core/breakdown/references.js';
import { looseWords, slug } from '../../src/core/breakdown/slug.js';

// References are tried at up to a dozen lengths, so their forms are built a word at a time rather
// than by running `slug` and `looseWords` on each phrase. Built so, they must be exactly what the
// whole phrase gives: any text, emoji, marks and punctuation included.

describe('phrases built a word at a time', () => {
  it('equal the whole phrase’s lower case, anchor and loose words', () => {
    const piece = fc.constantFrom(
      'a',
      'B',
      'ß',
      'İ',
      'ΟΔΟΣ',
      'é',
      'e\u0301',
      '—',
      '✅',
      '👍🏽',
      '🇫🇷',
      '_',
      '-',
      'x1',
      '.',
      '!',
      '1',
    );
    const word = fc.array(piece, { minLength: 1, maxLength: 4 }).map((parts) => parts.join(''));
    fc.assert(
      fc.property(fc.array(word, { minLength: 1, maxLength: 14 }), (words) => {
        const seen: Phrase[] = [];
        readReferences(words.join(' '), (phrase) => {
          seen.push(phrase);
          return undefined;
        });
        return seen.every(
          (p) => p.lower === p.text.toLowerCase() && p.slug === slug(p.text) && p.loose === looseWords(p.text),
        );
      }),
      { numRuns: 500, seed: 11 },
    );
  });

  it('still pick the longest phrase that names a stream', () => {
    const names: Record<string, string> = { 'real time': 'R', 'real time chat': 'C' };
    const { found } = readReferences('Real-time chat ✅ and real time', (p, scope) => {
      const stream = scope === 'streams' ? names[p.loose] : undefined;
      return stream === undefined ? undefined : { stream };
    });
    expect(found).toEqual([
      { id: 'C', index: 0 },
      { id: 'R', index: 21 },
    ]);
  });
});
