import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseBreakdown } from '../../src/core/breakdown/parse.js';

// Never a silent misread: structure the plan does not use is a warning with line and column.

const lines = (...text: string[]) => `${text.join('\n')}\n`;
const warned = (body: string) => parseBreakdown(body).warnings.map((w) => `${w.line}:${w.column} ${w.message}`);
const HOW = 'write `Depends on:` lines under the units instead';
const stream = ['## Stream A', '- [ ] a', ''];

describe('warnings', () => {
  it('a table with a dependency column', () => {
    expect(warned(lines(...stream, '| Task | Depends on | Owner |', '| --- | --- | --- |', '| a | b | c |'))).toEqual([
      `4:10 a table with a “Depends on” column: the order it gives is not read; ${HOW}`,
    ]);
  });

  it('a Mermaid graph', () => {
    expect(warned(lines(...stream, '```mermaid', 'graph TD', '  A --> B', '```'))).toEqual([
      `4:1 a Mermaid graph: its edges are not read as dependencies; ${HOW}`,
    ]);
  });

  it('YAML with blocked_by or depends_on', () => {
    expect(warned(lines(...stream, '```yaml', '- id: PR-003', '  blocked_by: [PR-001]', '```'))).toEqual([
      `4:1 a code block with \`blocked_by\` entries: they are not read as dependencies; ${HOW}`,
    ]);
  });

  it('an ASCII graph in a plain code block, not arrows in a program', () => {
    expect(warned(lines(...stream, '```', 'PR1 → PR2 → PR3', '```'))).toEqual([
      `4:1 a diagram of arrows in a code block: it is not read as dependencies; ${HOW}`,
    ]);
    expect(warned(lines(...stream, '```rust', 'fn f() -> u8 { 1 }', '```'))).toEqual([]);
  });

  it('front matter with todos', () => {
    expect(warned(lines('---', 'name: plan', 'todos:', '  - id: one', '---', ...stream))).toEqual([
      '3:1 front matter with todos or dependencies: it is not read; tasks are checkboxes under unit headings',
    ]);
  });

  it('a section that states the order in prose', () => {
    expect(warned(lines(...stream, '## Dependencies & Execution Order', 'See above.'))).toEqual([
      `4:4 the section “Dependencies & Execution Order” describes an order that is not read; ${HOW}`,
    ]);
  });

  it('order in words, in a line or a task, and only before a unit for “after” and “before”', () => {
    expect(
      warned(lines('## Stream A', '- [ ] a (depends on Billing)', '', 'Run this after Phase 2 is merged.')),
    ).toEqual([
      `2:10 a task says “depends on”: an order in words is not read; ${HOW}`,
      `4:10 a line says “after Phase”: an order in words is not read; ${HOW}`,
    ]);
    expect(warned(lines(...stream, 'After login the user sees the inbox; before that, nothing.'))).toEqual([]);
    // Not an order: what the output depends on, or a label over a code block.
    expect(
      warned(lines(...stream, 'The expected output depends on current branch.', '', '**After:**', '```', 'x', '```')),
    ).toEqual([]);
  });

  it('a dependency line under a heading with no tasks', () => {
    expect(warned(lines('## Backend', 'Depends on: Frontend', '### API', '- [ ] a'))).toEqual([
      '2:1 a dependency line under a heading with no tasks: it is not read (put it under the unit it is for)',
    ]);
  });

  it('[P] markers, once a document', () => {
    expect(
      warned(lines('## Stream A', '- [ ] T001 [P] a', '- [ ] T002 [P] b', '## Stream B', '- [ ] T003 [P] c')),
    ).toEqual([
      '2:12 3 `[P]` markers (may run in parallel): not read; the tasks of a stream run one at a time, in order',
    ]);
  });

  it('a wave list', () => {
    expect(warned(lines(...stream, 'Wave 1: A, B', ''))).toEqual([`4:1 a wave list: its order is not read; ${HOW}`]);
  });

  it('none for the examples', () => {
    for (const file of ['chat-system.md', 'no-headings.md', 'slug-headings.md']) {
      const body = readFileSync(new URL(`../../examples/${file}`, import.meta.url), 'utf8');
      expect([file, parseBreakdown(body).warnings]).toEqual([file, []]);
    }
  });
});

describe('items that are no work', () => {
  it('a checklist of other issues is tracked there, not run here', () => {
    const body = lines(
      '## Bugs',
      '- [ ] https://github.com/acme/chat/issues/12',
      '- [ ] acme/chat#13',
      '## Stream A',
      '- [ ] #5 - Response building',
      '- [ ] Write the parser',
    );
    const { streams, criteria, warnings } = parseBreakdown(body);
    expect(streams.map((s) => [s.id, s.tasks.map((t) => t.title)])).toEqual([['A', ['Write the parser']]]);
    expect(criteria.map((c) => [c.line, c.stream])).toEqual([
      [2, null],
      [3, null],
      [5, 'A'],
    ]);
    expect(warnings.map((w) => `${w.line}:${w.column} ${w.message}`)).toEqual([
      '2:3 2 checklist items that only name other issues are tracked there, not run here',
      '5:3 a checklist item that only names another issue is tracked there, not run here',
    ]);
  });

  it('refuses a tracking issue, saying why', () => {
    expect(parseBreakdown(lines('- [ ] #3', '- [ ] #4')).errors.map((e) => e.message)).toEqual([
      'no tasks found: every checklist here is criteria or names other issues, which are not run; a task is a list item that starts with a checkbox, like `- [ ] Write the schema`',
    ]);
  });

  it('a placeholder is not run', () => {
    const { streams, warnings } = parseBreakdown(lines('## Phase 7', '- [ ] 07-01: TBD', '- [ ] Seed the data'));
    expect(streams[0]?.tasks.map((t) => t.title)).toEqual(['Seed the data']);
    expect(warnings.map((w) => `${w.line}:${w.column} ${w.message}`)).toEqual([
      '2:3 a placeholder task (“07-01: TBD”) is not run: write the task, or remove it',
    ]);
  });

  it('a box GitHub does not draw is no task, and says so', () => {
    const { streams, warnings } = parseBreakdown(lines('## Stream A', '- [-] 8. In progress', '- [ ] 9. Next'));
    expect(streams[0]?.tasks.map((t) => t.title)).toEqual(['9. Next']);
    expect(warnings.map((w) => `${w.line}:${w.column} ${w.message}`)).toEqual([
      '2:3 a `[-]` box: GitHub draws no checkbox for it, so this item is not a task; write `[ ]` or `[x]`',
    ]);
  });

  it('a preview of the tasks is not the tasks', () => {
    const { streams, criteria } = parseBreakdown(
      lines('## Task Breakdown Preview', '- [ ] Parser', '## Stream A', '- [ ] Write the parser'),
    );
    expect(streams.map((s) => s.id)).toEqual(['A']);
    expect(criteria.map((c) => c.title)).toEqual(['Parser']);
  });
});
