import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseBody, parseBreakdown } from '../../src/core/breakdown/parse.js';
import { scan } from '../../src/core/breakdown/scan.js';
import { tickTasks } from '../../src/core/breakdown/tick.js';
import { githubCheckboxes, githubHtml } from '../support/cmark.js';

// Checkboxes exactly where GitHub draws them: the reader against cmark-gfm, GitHub's own
// renderer, on bodies built from the lines that make Markdown parsers disagree (HTML lines under
// tasks, `<textarea>`, `<pre>`, footnotes, link reference definitions, setext underlines, tables,
// lazy and deep indentation, quotes, fences, empty and odd boxes).
//
// Tolerated: what follows an empty box (`- [ ] ` with nothing after it). cmark-gfm reads the lines
// after one in ways of its own; the reader reports the empty box as an error (line and column),
// so such a body never runs as read.

const LINES = [
  '- [ ] t',
  '- [x] t',
  '* [X] t',
  '+ [ ] t',
  '1. [ ] t',
  '2) [x] t',
  '  - [ ] s',
  '   - [ ] s3',
  '    - [ ] deep',
  '     - [ ] deeper',
  '-  [ ] two',
  '- [ ]\tt',
  '- [ ]',
  '- [ ] ',
  '- [  ] wide',
  '- [-] odd',
  '- - [ ] double',
  '- item',
  '  - item',
  'para',
  'para [ ] x',
  '',
  '',
  '',
  '## h',
  '# [ ] heading',
  '---',
  '***',
  '===',
  '| a | b |',
  '| - | - |',
  '<img src="x">',
  '  <img src="x">',
  '<div>',
  '</div>',
  '<textarea>',
  '</textarea>',
  '<!-- c -->',
  '<!--',
  '-->',
  '<pre>',
  '</pre>',
  '[^1]: note',
  '[a]: https://x',
  '```',
  '~~~',
  '> - [ ] q',
  '> para',
  '    lazy',
  '\t- [ ] tab',
  '  continued',
  '<details>',
  '</details>',
  '<br>',
  '\\- [ ] escaped',
];

const body = fc.array(fc.constantFrom(...LINES), { minLength: 2, maxLength: 24 }).map((l) => `${l.join('\n')}\n`);

/** Where the reader sees a checkbox: every task and subtask it scans, and every empty box. */
function ours(markdown: string): Map<number, boolean> {
  const boxes = new Map<number, boolean>();
  const scanned = scan(markdown);
  for (const section of scanned.sections)
    for (const task of section.tasks) {
      boxes.set(task.line, task.done);
      for (const subtask of task.subtasks) boxes.set(subtask.line, subtask.done);
    }
  for (const empty of scanned.emptyBoxes) boxes.set(empty.line, false);
  return boxes;
}

const EMPTY_BOX = /^[ \t]*(?:[-+*]|\d+[.)])[ \t]+\[ \][ \t]+$/m;

const sorted = (boxes: Map<number, boolean>) => [...boxes].sort((a, b) => a[0] - b[0]);

describe('checkboxes where GitHub draws them', () => {
  it('agrees with cmark-gfm on thousands of generated bodies', () => {
    fc.assert(
      fc.property(body, (markdown) => {
        fc.pre(!EMPTY_BOX.test(markdown));
        expect(sorted(ours(markdown))).toEqual(sorted(githubCheckboxes(markdown)));
      }),
      { numRuns: 4_000, seed: 20261121 },
    );
  });

  it.each([
    [
      'an HTML line under a task, which opens an HTML block to the next blank line',
      '- [ ] a\n<img src="x">\n- [ ] b\n\n- [ ] c\n',
    ],
    ['a tag line after a quote', '> - [ ] q\n<img src="x">\n1. [ ] t\n'],
    ['<textarea>, an ordinary tag to GitHub', '<textarea>\n- [ ] a\n\n- [ ] b\n'],
    ['</textarea> inside <pre>, which does not end it', '<pre>\n</textarea>\n- [ ] a\n'],
    ['a tag line after a table', '| a | b |\n| - | - |\n<br>\n- [x] t\n'],
    ['a footnote, whose indented lines are its own', '- item\n[^1]: note\n\n    - [ ] deep\n- [ ] t\n'],
    ['a link reference definition followed by lines', '[a]: https://x\n<textarea>\n---\n- [ ] t\n'],
    ['a definition over a setext underline', '[a]: https://x\n---\n2) [x] t\n'],
    ['a setext underline under a task', '- [ ] a\n===\n- [ ] b\n'],
    ['a table as a task’s first line', '- [ ] | a | b |\n  | - | - |\n'],
    ['a lazy line indented four', '- [ ] a\n    - [ ] b\n        lazy\n'],
  ])('agrees with cmark-gfm on %s', (_, markdown) => {
    expect(sorted(ours(markdown))).toEqual(sorted(githubCheckboxes(markdown)));
  });

  it('reports an empty box where GitHub draws one, with its line and column', () => {
    const markdown = '## Stream A\n- [ ] a\n  - [ ] \n';
    expect(githubCheckboxes(markdown).has(3)).toBe(true);
    expect(parseBreakdown(markdown).errors).toEqual([
      {
        line: 3,
        column: 5,
        message: 'an empty checkbox: GitHub draws it, but it names no task; write the task after it, or remove it',
      },
    ]);
  });

  it('ticks render as GitHub would: the same boxes, the ticked ones checked, nothing else changed', () => {
    fc.assert(
      fc.property(body, (markdown) => {
        fc.pre(!EMPTY_BOX.test(markdown));
        const { checkboxes } = parseBody(markdown);
        const ids = [...checkboxes.keys()];
        const ticked = tickTasks(markdown, ids);
        const before = githubCheckboxes(markdown);
        const after = githubCheckboxes(ticked);
        expect([...after.keys()].sort()).toEqual([...before.keys()].sort());
        const lines = new Set(
          ids.flatMap((id) => checkboxes.get(id) ?? []).map((offset) => markdown.slice(0, offset).split('\n').length),
        );
        for (const [line, checked] of after)
          expect([line, checked]).toEqual([line, lines.has(line) || before.get(line)]);
        const unchecked = (html: string) => html.replaceAll(' checked=""', '');
        expect(unchecked(githubHtml(ticked))).toBe(unchecked(githubHtml(markdown)));
      }),
      { numRuns: 1_000, seed: 7 },
    );
  });
});
