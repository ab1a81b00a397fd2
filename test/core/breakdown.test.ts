import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseBreakdown } from '../../src/index.js';

const lines = (...text: string[]) => text.join('\n');
const ids = (body: string) => parseBreakdown(body).streams.flatMap((s) => s.tasks.map((t) => t.id));
const titles = (body: string) => parseBreakdown(body).streams.flatMap((s) => s.tasks.map((t) => t.title));
const errors = (body: string) => parseBreakdown(body).errors;

describe('tasks', () => {
  it('reads every GFM task-list marker', () => {
    const body = lines('- [ ] dash', '* [x] star', '+ [X] plus', '', '1. [ ] dot', '2) [ ] paren');
    const [stream] = parseBreakdown(body).streams;
    expect(stream?.tasks.map((t) => [t.title, t.done])).toEqual([
      ['dash', false],
      ['star', true],
      ['plus', true],
      ['dot', false],
      ['paren', false],
    ]);
  });

  it('records 1-based lines of each task', () => {
    const [stream] = parseBreakdown(lines('Intro', '', '- [ ] one', '- [ ] two')).streams;
    expect(stream?.tasks.map((t) => t.line)).toEqual([3, 4]);
  });

  it('ignores items inside fenced code, indented code, HTML blocks and block quotes', () => {
    const body = lines(
      '- [ ] real',
      '',
      '```md',
      '- [ ] fenced',
      '```',
      '',
      '~~~',
      '- [ ] tilde fenced',
      '~~~',
      '',
      '    - [ ] indented code',
      '',
      '<details>',
      '- [ ] in html',
      '</details>',
      '',
      '> - [ ] quoted',
      '>   - [ ] quoted nested',
      '',
      '- [ ] also real',
    );
    expect(titles(body)).toEqual(['real', 'also real']);
  });

  it('counts a list after an HTML block and a blank line, as GitHub renders it', () => {
    const body = lines('<details><summary>Tasks</summary>', '', '- [ ] visible', '', '</details>');
    expect(titles(body)).toEqual(['visible']);
  });

  it('is not fooled by near-misses of a checkbox', () => {
    const body = lines('- [ ]', '- [ ]no space', '- [y] other letter', '- [] empty', '- text [ ] later', '- [ ] real');
    expect(titles(body)).toEqual(['real']);
  });

  it('nests subtasks under their task, at any depth, ticked with it', () => {
    const body = lines('- [ ] Parent', '  - [x] first', '  - note, not a task', '    - [ ] deep', '- [ ] Next');
    const [stream] = parseBreakdown(body).streams;
    expect(stream?.tasks).toEqual([
      {
        id: 'main.1',
        title: 'Parent',
        line: 1,
        done: false,
        subtasks: [
          { title: 'first', line: 2, done: true },
          { title: 'deep', line: 4, done: false },
        ],
      },
      { id: 'main.2', title: 'Next', line: 5, done: false, subtasks: [] },
    ]);
  });

  it('treats a task under a plain list item as a top-level task', () => {
    expect(ids(lines('- Group', '  - [ ] inside'))).toEqual(['main.1']);
  });

  it('keeps emoji and tabs in titles, and joins a wrapped title into one line', () => {
    const body = lines('- [ ] 🚀 Ship\tit  ', '- [ ] wrapped', '  title here');
    expect(titles(body)).toEqual(['🚀 Ship\tit', 'wrapped title here']);
  });

  it('handles CRLF line endings', () => {
    const body = '## Stream A: One\r\n- [ ] first\r\n- [x] second\r\n';
    const [stream] = parseBreakdown(body).streams;
    expect(stream?.tasks.map((t) => [t.id, t.title, t.line, t.done])).toEqual([
      ['A.1', 'first', 2, false],
      ['A.2', 'second', 3, true],
    ]);
  });

  it('accepts a tab after the list marker and after the brackets', () => {
    expect(titles(lines('-\t[ ] tab after marker', '- [ ]\ttab after box'))).toEqual([
      'tab after marker',
      'tab after box',
    ]);
  });

  it("follows GitHub's rule: the box directly after the line's first marker, on the item's own line", () => {
    const body = lines(
      '- - [ ] second marker',
      '1. - [ ] second marker',
      '-',
      '  [ ] box on the next line',
      '- [ ]',
      '  title on the next line',
      '- [\t] tab inside',
      '- [ ] real',
    );
    expect(titles(body)).toEqual(['real']);
  });

  it('ignores a byte-order mark at the start', () => {
    const body = '\uFEFF## Stream A\n- [ ] first\n';
    expect(parseBreakdown(body).streams.map((s) => [s.id, s.tasks.map((t) => t.title)])).toEqual([['A', ['first']]]);
  });
});

describe('task ids', () => {
  it('uses the number of a "Task <n>:" title, through inline markup', () => {
    const body = lines(
      '## Stream C',
      '- [ ] Task 5: PubSub',
      '- [ ] **Task 6**: History',
      '- [ ] task 07: padded',
      '- [ ] _Task 8:_ x',
      '- [ ] ~~Task 9:~~ y',
    );
    expect(ids(body)).toEqual(['C.5', 'C.6', 'C.7', 'C.8', 'C.9']);
  });

  it("otherwise uses the position among the stream's top-level tasks", () => {
    expect(ids(lines('## Stream A', '- [ ] one', '  - [ ] sub', '- [ ] two', '## Stream B', '- [ ] three'))).toEqual([
      'A.1',
      'A.2',
      'B.1',
    ]);
  });

  it('reports a task id used twice', () => {
    expect(errors(lines('## Stream A', '- [ ] Task 2: explicit', '- [ ] second by position'))).toEqual([
      { line: 3, column: 3, message: 'task id A.2 is used twice: here and on line 2' },
    ]);
  });
});

describe('streams', () => {
  it('takes the id from "Stream <ID>: title", "Stream <ID> - title" and "Stream <ID>"', () => {
    const body = lines(
      '# Stream A: Database',
      '- [ ] a',
      '## Stream B2 - LiveView',
      '- [ ] b',
      '### Stream api',
      '- [ ] c',
      '#### stream web — Front end',
      '- [ ] d',
    );
    expect(parseBreakdown(body).streams.map((s) => [s.id, s.title, s.line])).toEqual([
      ['A', 'Database', 1],
      ['B2', 'LiveView', 3],
      ['api', 'Stream api', 5],
      ['web', 'Front end', 7],
    ]);
  });

  it("uses any other heading's slug as the id", () => {
    const body = lines(
      '## Backend API',
      '- [ ] a',
      '## Real-time & Presence!',
      '- [ ] b',
      '',
      'Setext Heading',
      '---',
      '- [ ] c',
    );
    expect(parseBreakdown(body).streams.map((s) => [s.id, s.title])).toEqual([
      ['backend-api', 'Backend API'],
      ['real-time--presence', 'Real-time & Presence!'],
      ['setext-heading', 'Setext Heading'],
    ]);
  });

  it('strips inline markup from heading titles', () => {
    const [stream] = parseBreakdown(lines('## **Stream A**: `Database` [schema](https://x.test)', '- [ ] a')).streams;
    expect([stream?.id, stream?.title]).toEqual(['A', 'Database schema']);
  });

  it('puts tasks above the first heading, or in a body with no heading, in stream main', () => {
    const body = lines('- [ ] early', '## Stream A', '- [ ] later');
    expect(parseBreakdown(body).streams.map((s) => [s.id, s.tasks.length])).toEqual([
      ['main', 1],
      ['A', 1],
    ]);
  });

  it('assigns tasks to the nearest heading, and headings without tasks are not streams', () => {
    const body = lines('# Plan', 'Overview.', '## Backend', '### Notes', '- [ ] under notes', '## Empty');
    expect(parseBreakdown(body).streams.map((s) => s.id)).toEqual(['notes']);
  });

  it('groups the headings inside a unit into its stream, in document order', () => {
    const body = lines(
      '# Plan',
      '## Phase 1: Setup',
      '- [ ] scaffold',
      '## Phase 2: User Story 1',
      '### Tests for User Story 1',
      '- [ ] write the failing test',
      '### Implementation for User Story 1',
      '- [ ] make it pass',
      '## Stream A: One',
      '### Notes',
      '- [ ] under notes',
    );
    expect(parseBreakdown(body).streams.map((s) => [s.id, s.tasks.map((t) => t.title)])).toEqual([
      ['phase-1-setup', ['scaffold']],
      ['phase-2-user-story-1', ['write the failing test', 'make it pass']],
      ['A', ['under notes']],
    ]);
  });

  it('reports a stream id used twice', () => {
    expect(errors(lines('## Stream A: One', '- [ ] a', '## Stream A: Two', '- [ ] b'))).toEqual([
      { line: 3, column: 4, message: 'stream id A is used twice: here and on line 1' },
    ]);
  });

  it('reports a heading that cannot make an id', () => {
    expect(errors(lines('## 🚀', '- [ ] a'))).toEqual([
      {
        line: 1,
        column: 4,
        message: 'this heading has no letters or digits to make a stream id: write it as `Stream <ID>: <title>`',
      },
    ]);
  });
});

describe('dependencies', () => {
  const streams = lines(
    '## Stream A: Database',
    '- [ ] a',
    '## Stream B: LiveView',
    '- [ ] b',
    '## Stream C: Real-time',
  );
  const dependsOn = (...section: string[]) =>
    parseBreakdown(lines(streams, ...section, '- [ ] c')).streams.find((s) => s.id === 'C')?.dependsOn;

  it.each([
    ['Depends on: Stream A, Stream B', ['A', 'B']],
    ['Dependencies: A, B', ['A', 'B']],
    ['Needs: Streams A, B', ['A', 'B']],
    ['Blocked by: A and B', ['A', 'B']],
    ['After: Stream B', ['B']],
    ['DEPENDS ON: a', ['A']],
    ['**Depends on:** Stream A', ['A']],
    ['**Depends on**: Stream A', ['A']],
    ['Depends on: Database, LiveView', ['A', 'B']],
    ['Depends on: Stream A complete ✅, Stream B (in review)', ['A', 'B']],
    ['Depends on: [Stream A](#stream-a-database)', ['A']],
    ['Depends on: None', []],
    ['Depends on: none (starts right away)', []],
    ['Depends on: N/A', []],
    ['Dependencies: no dependencies', []],
    ['Depends on: _None_', []],
    ['_Depends on:_ A', ['A']],
    ["Depends on: Stream A's schema", ['A']],
  ])('reads "%s"', (line, expected) => {
    expect(dependsOn(line)).toEqual(expected);
  });

  it('reads a dependency written as a non-task list item in the stream list', () => {
    expect(dependsOn('- Depends on: Stream A', '- [ ] c0')).toEqual(['A']);
  });

  it('reads dependencies on the heading line, wherever the clause stands', () => {
    const body = lines(
      '## Stream A:',
      '- [ ] a',
      '## Stream B (depends on A)',
      '- [ ] b',
      '## Stream C: Last (Depends on: A, B) 🔒',
      '- [ ] c',
    );
    expect(parseBreakdown(body).streams.map((s) => [s.id, s.title, s.dependsOn])).toEqual([
      ['A', 'Stream A', []],
      ['B', 'Stream B', ['A']],
      ['C', 'Last 🔒', ['A', 'B']],
    ]);
  });

  it('reads titles of slugged streams, and titles with "and" in them', () => {
    const body = lines(
      '## Search and indexing',
      '- [ ] a',
      '## Backend API',
      '- [ ] b',
      '## UI',
      'Needs: Search and indexing and backend api',
      '- [ ] c',
    );
    expect(parseBreakdown(body).streams.at(-1)?.dependsOn).toEqual(['search-and-indexing', 'backend-api']);
  });

  it('does not treat a task titled "Depends on:" as a dependency', () => {
    expect(dependsOn('- [ ] Depends on: Stream A')).toEqual([]);
  });

  it('reads a task’s own dependency, in its text, as its stream’s; never one in code', () => {
    expect(dependsOn('- [ ] c1', '  Depends on: A', '', '```', 'Depends on: B', '```')).toEqual(['A']);
    expect(dependsOn('```', 'Depends on: B', '```', '- [ ] c1')).toEqual([]);
  });

  it('reads dependencies in a quote and in a plain item nested under a task', () => {
    expect(dependsOn('> **Depends on:** Stream A')).toEqual(['A']);
    expect(dependsOn('- [ ] c0', '  - Depends on: B')).toEqual(['B']);
  });

  it('reads a dependency label over a list of streams', () => {
    expect(dependsOn('**Dependencies:**', '- Stream A', '- LiveView (for the socket)', '', 'Then the work:')).toEqual([
      'A',
      'B',
    ]);
  });

  it('reports a dependency line that names nothing', () => {
    expect(errors(lines(streams, 'Depends on:', '- [ ] c'))).toEqual([
      {
        line: 6,
        column: 12,
        message: 'stream C has a dependency line that names no stream: write `None` or the streams it needs',
      },
    ]);
  });

  it('matches titles that carry emoji, and leaves emoji out of slug ids', () => {
    const body = lines(
      '## 🗄️ Database',
      '- [ ] a',
      '## Stream B: API 🚀',
      '- [ ] b',
      '## UI',
      'Needs: Database, API',
      '- [ ] c',
    );
    expect(parseBreakdown(body).streams.map((s) => [s.id, s.dependsOn])).toEqual([
      ['database', []],
      ['B', []],
      ['ui', ['database', 'B']],
    ]);
  });

  it('needs the colon', () => {
    expect(dependsOn('After the schema lands we start Stream A')).toEqual([]);
  });

  it('reports an unknown stream at its line and column', () => {
    const body = lines(streams, 'Depends on: Stream A, Stream Z complete', '- [ ] c');
    expect(errors(body)).toEqual([
      { line: 6, column: 30, message: 'stream C depends on an unknown stream "Z" (streams: A, B, C)' },
    ]);
  });

  it('does not read a dependency line longer than any person writes, and says where it is', () => {
    const body = lines(streams, `Depends on: ${'Stream A and '.repeat(400)}Stream B`, '- [ ] c');
    expect(errors(body)).toEqual([
      { line: 6, column: 13, message: 'stream C’s dependencies run to 5,208 characters; at most 4,000 are read' },
    ]);
  });

  it('names at most twenty streams in an unknown-reference error', () => {
    const many = Array.from({ length: 25 }, (_, i) => `## Stream S${i}\n- [ ] t${i}`).join('\n');
    const [error] = errors(lines(many, '## Stream X', 'Depends on: Z', '- [ ] x'));
    expect(error?.message).toBe(
      `stream X depends on an unknown stream "Z" (streams: ${Array.from({ length: 20 }, (_, i) => `S${i}`).join(', ')}, … 26 in all)`,
    );
  });

  it('does not read past 256 streams, and says where the 257th begins', () => {
    const body = Array.from({ length: 300 }, (_, i) => `## Stream S${i}\n- [ ] t${i}`).join('\n');
    const { streams, errors: found } = parseBreakdown(body);
    expect(streams).toHaveLength(256);
    expect(found).toEqual([
      {
        line: 513,
        column: 4,
        message: 'the breakdown has 300 streams; at most 256 can run: split it into several issues',
      },
    ]);
  });

  it('reports every problem at once, sorted by position', () => {
    const body = lines('## Stream A', 'Needs: Q', '- [ ] a', '## Stream A', 'Needs: R', '- [ ] b');
    expect(errors(body).map((e) => `${e.line}:${e.column}`)).toEqual(['2:8', '4:4', '5:8']);
  });

  it('names a cycle', () => {
    const body = lines(
      '## Stream A',
      'After: C',
      '- [ ] a',
      '## Stream B',
      'After: A',
      '- [ ] b',
      '## Stream C',
      'After: B',
      '- [ ] c',
    );
    expect(errors(body)).toEqual([{ line: 2, column: 8, message: 'dependency cycle: A → C → B → A' }]);
  });

  it('names a stream that depends on itself', () => {
    expect(errors(lines('## Stream A (depends on A)', '- [ ] a'))).toEqual([
      { line: 1, column: 25, message: 'dependency cycle: A → A' },
    ]);
  });
});

describe('gates', () => {
  it('reads the gate names a stream picks', () => {
    const body = lines(
      '## Stream A',
      'Gates: lint, test',
      '- [ ] a',
      '## Stream B',
      '**Gates:** `build` and test',
      '- [ ] b',
    );
    expect(parseBreakdown(body).streams.map((s) => s.gates)).toEqual([
      ['lint', 'test'],
      ['build', 'test'],
    ]);
  });

  it('reports a gate the configuration does not define, when the configuration is known', () => {
    const body = lines('## Stream A', 'Gates: lint, tset', '- [ ] a');
    expect(parseBreakdown(body, { gates: ['lint', 'test'] })).toMatchObject({
      streams: [{ gates: ['lint'] }],
      errors: [
        {
          line: 2,
          column: 14,
          message:
            'stream A asks for gate "tset", which the configuration does not define (the configuration defines lint, test)',
        },
      ],
    });
  });
});

describe('the body as a whole', () => {
  it('reports a body with no tasks', () => {
    expect(errors('# Just a heading\n\nSome text.')).toEqual([
      {
        line: 1,
        column: 1,
        message: 'no tasks found: a task is a list item that starts with a checkbox, like `- [ ] Write the schema`',
      },
    ]);
  });

  it('reports a body longer than GitHub allows, at the first character past the limit', () => {
    const body = `- [ ] a\n${'x'.repeat(65_536 - 9)}\nover`;
    expect(errors(body)).toEqual([
      { line: 3, column: 1, message: 'the body has 65,540 characters; GitHub allows at most 65,536' },
    ]);
  });

  it('counts characters, not UTF-16 units, against the limit', () => {
    expect(errors(`- [ ] a\n${'🚀'.repeat(65_536 - 8)}`)).toEqual([]);
  });

  it('parses the example breakdowns in examples/', () => {
    for (const name of ['chat-system.md', 'no-headings.md', 'slug-headings.md']) {
      const body = readFileSync(new URL(`../../examples/${name}`, import.meta.url), 'utf8');
      expect(parseBreakdown(body).errors, name).toEqual([]);
    }
    const broken = readFileSync(new URL('../../examples/with-errors.md', import.meta.url), 'utf8');
    expect(parseBreakdown(broken).errors.length).toBeGreaterThanOrEqual(4);
  });
});
