import { execFileSync } from 'node:child_process';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { readInputs } from '../../src/action/inputs.js';
import { parseBreakdown } from '../../src/core/breakdown/parse.js';
import { parseStreamBranch, streamBranch } from '../../src/core/execution/branches.js';

// Every stream id the reader accepts can be dispatched (the Action's `stream` input takes it),
// branched on (git takes the branch name, and it reads back as the same stream), and is not the
// integration run's.

const one = (heading: string) => parseBreakdown(`## ${heading}\n- [ ] Task 1: a\n`);

function actionTakes(stream: string): boolean {
  try {
    readInputs((name) => ({ mode: 'stream', issue: '1', stream, token: 't' })[name] ?? '');
    return true;
  } catch {
    return false;
  }
}

function gitTakes(branch: string): boolean {
  try {
    execFileSync('git', ['check-ref-format', '--branch', branch], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

describe('stream ids', () => {
  it.each([
    ['System', 'reserved for the integration run'],
    ['Stream system: The whole thing', 'reserved for the integration run'],
    ['Integration', 'reserved for the integration run'],
    ['Stream INTEGRATION', 'reserved for the integration run'],
  ])('refuses %j with line and column', (heading, message) => {
    const { errors } = one(heading);
    expect(errors).toEqual([{ line: 1, column: 4, message: expect.stringContaining(message) }]);
  });

  it.each([
    ['डेटाबेस सेटअप', 'डेटाबेस-सेटअप'], // Hindi: vowel signs are combining marks
    ['ฐานข้อมูล', 'ฐานข้อมูล'], // Thai
    ['Cafe\u0301 menu', 'café-menu'], // decomposed é: one id however it was typed
    ['- leading hyphen', 'leading-hyphen'],
    ['Stream कार्य: Work', 'कार्य'],
  ])('reads %j as a dispatchable id', (heading, id) => {
    const { streams, errors } = one(heading);
    expect(errors).toEqual([]);
    expect(streams[0]?.id).toBe(id);
    expect(actionTakes(id)).toBe(true);
    expect(parseStreamBranch(streamBranch(12, id))).toEqual({ issue: 12, stream: id });
    expect(gitTakes(streamBranch(12, id))).toBe(true);
  });

  it('the Action takes `system` as the integration run, and nothing the reader refuses', () => {
    expect(actionTakes('system')).toBe(true);
    expect(actionTakes('integration')).toBe(false);
    expect(actionTakes('-x')).toBe(false);
    expect(actionTakes('a.b')).toBe(false);
  });

  it('every id the reader accepts, from any heading, is one the Action, git and the branch reader accept', () => {
    const text = fc.string({
      unit: fc.oneof(
        fc.constantFrom('a', 'Z', '9', ' ', '-', '_', '.', '/', '(', '\u0301', 'ก', '้', 'é', '😀', '@', '~', '^', ':'),
        fc.string({ minLength: 1, maxLength: 1, unit: 'grapheme' }),
      ),
      minLength: 1,
      maxLength: 24,
    });
    fc.assert(
      fc.property(text, (heading) => {
        const { streams, errors } = one(heading.replace(/[\r\n]/g, ' '));
        if (errors.length > 0 || streams.length !== 1) return true;
        const id = streams[0]?.id as string;
        return (
          actionTakes(id) && gitTakes(streamBranch(12, id)) && parseStreamBranch(streamBranch(12, id))?.stream === id
        );
      }),
      { numRuns: 300, seed: 7 },
    );
  });
});
