import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseBreakdown } from '../../src/core/breakdown/parse.js';
import { approvalOf } from '../../src/core/execution/approval.js';
import { parseCommand } from '../../src/core/execution/commands.js';
import { readTrailers } from '../../src/core/execution/ledger.js';
import { planExecution } from '../../src/core/plan/plan.js';
import {
  ADVERSARIAL_BODIES,
  ADVERSARIAL_COMMENTS,
  ADVERSARIAL_MESSAGES,
  medianMs,
  ordinaryBody,
  ordinaryComment,
  ordinaryMessage,
  pairedRatio,
} from '../support/adversarial.js';

// Text from outside (bodies, comments, commit messages) is read in linear time: an input built
// to make a backtracking pattern explode costs about what an ordinary input of the same size
// does, measured side by side in one run. A quadratic pattern on 65,536 characters costs
// hundreds of times more; the bound leaves room for a noisy machine and for inputs that are
// simply dense (a stream per line), and still catches that.

const BOUND = 20;
/** Below this, timer noise dominates: the ordinary input's cost counts as at least this. */
const FLOOR_MS = 2;

/** What the coordinator does with a body: the plan, and its digests for the approval check. */
const plan = (body: string) => approvalOf({ title: 'Issue', body }, planExecution(parseBreakdown(body)), 'someone');

describe('linear time on adversarial text', () => {
  const body = Math.max(
    FLOOR_MS,
    medianMs(() => plan(ordinaryBody()), 5),
  );
  const ordinary = { body: ordinaryBody(), comment: ordinaryComment(), message: ordinaryMessage() };

  it.each(Object.entries(ADVERSARIAL_BODIES))('issue body: %s', (_, text) => {
    expect(text.length).toBeGreaterThan(65_000);
    expect(
      pairedRatio(
        () => plan(ordinary.body),
        () => plan(text),
        FLOOR_MS,
      ),
    ).toBeLessThan(BOUND);
  });

  it.each(Object.entries(ADVERSARIAL_COMMENTS))('comment: %s', (_, text) => {
    expect(
      pairedRatio(
        () => parseCommand(ordinary.comment),
        () => parseCommand(text),
        FLOOR_MS,
      ),
    ).toBeLessThan(BOUND);
  });

  it.each(Object.entries(ADVERSARIAL_MESSAGES))('commit message: %s', (_, text) => {
    expect(
      pairedRatio(
        () => readTrailers(ordinary.message),
        () => readTrailers(text),
        FLOOR_MS,
      ),
    ).toBeLessThan(BOUND);
  });

  it('holds for any run of markup characters repeated to the size limit', () => {
    const unit = fc.stringMatching(/^[[\]()*_`~<>:!?#|\\ \t\n-]{1,6}$/);
    const word = fc.constantFrom('', '## ', '- [ ] ', 'Depends on: ', '## Stream A ', '(after ', '/execute ');
    fc.assert(
      fc.property(word, unit, fc.constantFrom('', 'x', ')', '\n- [ ] t'), (head, repeated, tail) => {
        const text = head + repeated.repeat(Math.floor((65_536 - head.length - tail.length) / repeated.length)) + tail;
        const cost = medianMs(() => plan(text), 1);
        const command = medianMs(() => parseCommand(text), 1);
        return cost / body < BOUND && command / body < BOUND;
      }),
      { numRuns: 40, seed: 8 },
    );
  });
});
