import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseBreakdown, tickTasks, UnknownTaskError, untickTasks } from '../../src/index.js';
import { bodyArbitrary } from '../support/breakdown-arbitrary.js';

const body = [
  '## Stream A: Database',
  '- [ ] Task 1: Schema  ',
  '  - [ ] sub one',
  '  * [X] sub two',
  '- [x] Task 2: Done already',
  '',
  '## Stream B',
  '1. [ ]\tTask 3: tabbed',
  '',
  '```',
  '- [ ] Task 3: in code',
  '```',
].join('\r\n');

describe('tickTasks', () => {
  it('ticks the task and its subtasks and leaves every other byte alone', () => {
    expect(tickTasks(body, ['A.1'])).toBe(
      body.replace('- [ ] Task 1', '- [x] Task 1').replace('- [ ] sub one', '- [x] sub one'),
    );
  });

  it('keeps CRLF, tabs, [X] and trailing spaces', () => {
    const ticked = tickTasks(body, ['A.1', 'A.2', 'B.3']);
    expect(ticked.split('\r\n')).toEqual([
      '## Stream A: Database',
      '- [x] Task 1: Schema  ',
      '  - [x] sub one',
      '  * [X] sub two',
      '- [x] Task 2: Done already',
      '',
      '## Stream B',
      '1. [x]\tTask 3: tabbed',
      '',
      '```',
      '- [ ] Task 3: in code',
      '```',
    ]);
  });

  it('is idempotent and accepts an empty list', () => {
    const once = tickTasks(body, ['B.3']);
    expect(tickTasks(once, ['B.3'])).toBe(once);
    expect(tickTasks(body, [])).toBe(body);
  });

  it('refuses unknown ids instead of ignoring them', () => {
    expect(() => tickTasks(body, ['A.1', 'Z.9'])).toThrow(UnknownTaskError);
    expect(() => tickTasks(body, ['Z.9'])).toThrow('the breakdown has no task Z.9');
  });
});

describe('untickTasks', () => {
  it('unticks the task and its subtasks, `[X]` included', () => {
    const unticked = untickTasks(body, ['A.1', 'A.2']);
    expect(unticked).toBe(body.replace('* [X] sub two', '* [ ] sub two').replace('- [x] Task 2', '- [ ] Task 2'));
  });
});

describe('properties', () => {
  it('parsing never throws, on any string', () => {
    fc.assert(
      fc.property(
        fc.oneof(
          fc.string({ unit: 'grapheme', maxLength: 300 }),
          fc.string({ unit: 'binary', maxLength: 300 }),
          bodyArbitrary,
        ),
        (text) => {
          const breakdown = parseBreakdown(text);
          expect(Array.isArray(breakdown.errors)).toBe(true);
        },
      ),
      { numRuns: 500 },
    );
  });

  it('tickTasks changes only open boxes of the chosen tasks and their subtasks, each to x', () => {
    fc.assert(
      fc.property(bodyArbitrary, fc.infiniteStream(fc.boolean()), (text, picks) => {
        const before = parseBreakdown(text);
        const tasks = before.streams.flatMap((s) => s.tasks);
        const chosen = [...new Set(tasks.map((t) => t.id))].filter(() => picks.next().value);
        const ticked = tickTasks(text, chosen);

        expect(ticked.length).toBe(text.length);
        for (let i = 0; i < text.length; i++) {
          if (ticked[i] === text[i]) continue;
          expect([text[i - 1], text[i], ticked[i], text[i + 1]]).toEqual(['[', ' ', 'x', ']']);
        }
        const after = parseBreakdown(ticked);
        const afterTasks = after.streams.flatMap((s) => s.tasks);
        expect(afterTasks.map((t) => [t.id, t.title, t.line])).toEqual(tasks.map((t) => [t.id, t.title, t.line]));
        afterTasks.forEach((task, index) => {
          const original = tasks[index];
          if (chosen.includes(task.id)) {
            expect(task.done).toBe(true);
            expect(task.subtasks.every((s) => s.done)).toBe(true);
          } else if (!chosen.includes(original?.id ?? '')) {
            expect(task).toEqual(original);
          }
        });
      }),
      { numRuns: 400 },
    );
  });

  it('tick then untick restores the body when the chosen tasks were open', () => {
    fc.assert(
      fc.property(bodyArbitrary, fc.infiniteStream(fc.boolean()), (text, picks) => {
        const tasks = parseBreakdown(text).streams.flatMap((s) => s.tasks);
        const counts = new Map<string, number>();
        for (const t of tasks) counts.set(t.id, (counts.get(t.id) ?? 0) + 1);
        const open = tasks.filter((t) => counts.get(t.id) === 1 && !t.done && t.subtasks.every((s) => !s.done));
        const chosen = open.map((t) => t.id).filter(() => picks.next().value);
        expect(untickTasks(tickTasks(text, chosen), chosen)).toBe(text);
      }),
      { numRuns: 400 },
    );
  });
});
