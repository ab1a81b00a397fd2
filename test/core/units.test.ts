import { describe, expect, it } from 'vitest';
import { parseBody, parseBreakdown } from '../../src/core/breakdown/parse.js';
import { tickTasks } from '../../src/core/breakdown/tick.js';

// Units as a reader sees them: unit headings, bold labels, order by numbering, criteria, summary
// checklists, and references by unit word and number or by a title's leading name.

const lines = (...text: string[]) => `${text.join('\n')}\n`;
const shape = (body: string) =>
  parseBreakdown(body).streams.map((s) => [s.id, s.dependsOn, s.tasks.map((t) => t.title)]);

describe('units', () => {
  it('reads a bold label directly above a list as a heading', () => {
    const body = lines('**Frontend**', '- [ ] a', '', '**Backend:**', '- [ ] b');
    expect(shape(body)).toEqual([
      ['frontend', [], ['a']],
      ['backend', [], ['b']],
    ]);
  });

  it('groups bold labels inside a unit into it: tests first, then the implementation', () => {
    const body = lines('## Phase 1 — Tracer bullet', '**Tests**', '- [ ] t1', '', '**Implementation**', '- [ ] i1');
    expect(shape(body)).toEqual([['phase-1--tracer-bullet', [], ['t1', 'i1']]]);
  });

  it('keeps a dependency label over a list of streams a dependency list', () => {
    const body = lines('## Stream A', '- [ ] a', '## Stream B', '**Depends on:**', '- Stream A', '', '- [ ] b');
    expect(shape(body)).toEqual([
      ['A', [], ['a']],
      ['B', ['A'], ['b']],
    ]);
  });

  it('a unit heading inside another opens a unit of its own', () => {
    const body = lines('## Chunk 1', '### Task 1: Parser', '- [ ] Step 1', '### Task 2: Printer', '- [ ] Step 1');
    expect(shape(body)).toEqual([
      ['task-1-parser', [], ['Step 1']],
      ['task-2-printer', ['task-1-parser'], ['Step 1']],
    ]);
  });
});

describe('order by numbering', () => {
  it('runs numbered units in their order when the document states no dependencies', () => {
    const body = lines('## Phase 1', '- [ ] a', '## Phase 2', '- [ ] b', '## Phase 3', '- [ ] c');
    const { streams, warnings } = parseBreakdown(body);
    expect(streams.map((s) => [s.id, s.dependsOn])).toEqual([
      ['phase-1', []],
      ['phase-2', ['phase-1']],
      ['phase-3', ['phase-2']],
    ]);
    expect(warnings).toEqual([]);
  });

  it('lets stated dependencies win, and `None` start a unit at once', () => {
    const body = lines(
      '## Phase 1',
      '- [ ] a',
      '## Phase 2',
      'Depends on: None',
      '- [ ] b',
      '## Phase 3',
      'Depends on: Phase 1, Phase 2',
      '- [ ] c',
    );
    const { streams, warnings } = parseBreakdown(body);
    expect(streams.map((s) => [s.id, s.dependsOn])).toEqual([
      ['phase-1', []],
      ['phase-2', []],
      ['phase-3', ['phase-1', 'phase-2']],
    ]);
    expect(warnings).toEqual([]);
  });

  it('serializes, with a warning, a numbered unit that states nothing while others do', () => {
    const body = lines('## Step 1', '- [ ] a', '## Step 2', '- [ ] b', '## Step 3', 'Depends on: Step 1', '- [ ] c');
    const { streams, warnings } = parseBreakdown(body);
    expect(streams.map((s) => [s.id, s.dependsOn])).toEqual([
      ['step-1', []],
      ['step-2', ['step-1']],
      ['step-3', ['step-1']],
    ]);
    expect(warnings).toEqual([
      {
        line: 3,
        column: 4,
        message:
          'stream step-2 states no dependencies while other units do: it runs after step-1, as numbered (write `Depends on: None` to start it at once, or name what it needs)',
      },
    ]);
  });

  it('puts a unit without a number among numbered ones in the sequence, with a warning', () => {
    const body = lines('## Phase 1', '- [ ] a', '## Cleanup', '- [ ] b', '## Phase 2', '- [ ] c');
    const { streams, warnings } = parseBreakdown(body);
    expect(streams.map((s) => [s.id, s.dependsOn])).toEqual([
      ['phase-1', []],
      ['cleanup', ['phase-1']],
      ['phase-2', ['cleanup']],
    ]);
    expect(warnings.map((w) => [w.line, w.message.split(':')[0]])).toEqual([
      [3, 'stream cleanup has no unit number among numbered units'],
    ]);
  });

  it('leaves lettered streams side by side, as before', () => {
    const body = lines('## Stream A', '- [ ] a', '## Stream B', '- [ ] b');
    expect(parseBreakdown(body).streams.map((s) => s.dependsOn)).toEqual([[], []]);
  });

  it('reads a bold field among others on one line: `**Depends on**: Phase 1 **Requirements**: R-1`', () => {
    const body = lines(
      '## Phase 1: Foundation',
      '- [ ] a',
      '## Phase 2: Library',
      '**Goal**: browse **Depends on**: Phase 1 **Requirements**: SPRT-01, SPRT-02',
      '- [ ] b',
    );
    const { streams, errors, warnings } = parseBreakdown(body);
    expect(streams[1]?.dependsOn).toEqual(['phase-1-foundation']);
    expect([errors, warnings]).toEqual([[], []]);
  });
});

describe('references', () => {
  it('resolves a unit by its word and number, and by its title’s leading name', () => {
    const body = lines(
      '## Setup: the toolchain',
      '- [ ] a',
      '## Phase 2 (API)',
      'Depends on: Setup',
      '- [ ] b',
      '## Docs',
      'Depends on: Phase 2',
      '- [ ] c',
    );
    expect(parseBreakdown(body).streams.map((s) => s.dependsOn)).toEqual([
      [],
      ['setup-the-toolchain'],
      ['phase-2-api'],
    ]);
  });
});

describe('criteria', () => {
  const body = lines(
    '## Phase 1: Parser',
    '- [ ] Write the parser',
    '',
    '### Acceptance Criteria',
    '- [ ] It reads every example',
    '- [x] It is linear',
    '',
    '**Definition of Done:**',
    '- [ ] Reviewed',
    '',
    '## Final Validation Checklist',
    '- [ ] All tests pass',
  );

  it('lists checklists under criteria headings and labels as criteria, not tasks', () => {
    const { streams, criteria } = parseBreakdown(body);
    expect(streams.map((s) => [s.id, s.tasks.map((t) => t.title)])).toEqual([['phase-1-parser', ['Write the parser']]]);
    expect(criteria).toEqual([
      { title: 'It reads every example', line: 5, done: false, stream: 'phase-1-parser' },
      { title: 'It is linear', line: 6, done: true, stream: 'phase-1-parser' },
      { title: 'Reviewed', line: 9, done: false, stream: 'phase-1-parser' },
      { title: 'All tests pass', line: 12, done: false, stream: 'phase-1-parser' },
    ]);
  });

  it('never ticks a criterion', () => {
    const { checkboxes } = parseBody(body);
    expect([...checkboxes.keys()]).toEqual(['phase-1-parser.1']);
    expect(tickTasks(body, ['phase-1-parser.1'])).toBe(body.replace('- [ ] Write', '- [x] Write'));
  });

  it('takes a dependency label over a checklist as a checklist of criteria', () => {
    const { streams, criteria } = parseBreakdown(
      lines('## Stream A', '- [ ] a', '', '**Dependencies:**', '- [ ] #123 merged'),
    );
    expect(streams[0]?.tasks.map((t) => t.title)).toEqual(['a']);
    expect(criteria.map((c) => c.title)).toEqual(['#123 merged']);
  });
});

describe('summary checklists', () => {
  it('reads a checklist whose items name the units as a summary of them, not as work', () => {
    const body = lines(
      '## Progress',
      '- [x] **Phase 1: Foundation** - the toolchain',
      '- [ ] **Phase 2: API**',
      '',
      '## Phase 1: Foundation',
      '- [x] a',
      '## Phase 2: API',
      '- [ ] b',
    );
    const { streams, summary } = parseBreakdown(body);
    expect(streams.map((s) => s.id)).toEqual(['phase-1-foundation', 'phase-2-api']);
    expect(summary).toEqual([
      { title: '**Phase 1: Foundation** - the toolchain', line: 2, done: true, stream: 'phase-1-foundation' },
      { title: '**Phase 2: API**', line: 3, done: false, stream: 'phase-2-api' },
    ]);
  });

  it('is work when its items name no unit of the document', () => {
    const body = lines('## Stream A', '- [ ] Task 1: Message schema', '- [ ] Task 2: User associations');
    expect(parseBreakdown(body).streams[0]?.tasks).toHaveLength(2);
  });
});

describe('the document’s own task ids', () => {
  it('keeps T001-style ids, and ticks by them', () => {
    const body = lines('## Phase 1: Setup', '- [ ] T001 Create the project', '- [ ] T002 [P] Add the linter');
    const { streams } = parseBreakdown(body);
    expect(streams[0]?.tasks.map((t) => t.id)).toEqual(['T001', 'T002']);
    expect(tickTasks(body, ['T002'])).toBe(body.replace('- [ ] T002', '- [x] T002'));
  });

  it('keeps PR-003 and 001 ids, through bold', () => {
    expect(
      parseBreakdown(lines('## Stream A', '- [ ] **PR-001**: schema', '- [ ] **PR-002**: index')).streams[0]?.tasks.map(
        (t) => t.id,
      ),
    ).toEqual(['PR-001', 'PR-002']);
    expect(
      parseBreakdown(lines('## Stream A', '- [ ] 001 schema', '- [ ] 002 index')).streams[0]?.tasks.map((t) => t.id),
    ).toEqual(['001', '002']);
  });

  it('reads `3.1` after `3.` as its subtask, written as a sibling (Kiro), ticked with it', () => {
    const body = lines(
      '# Implementation Plan',
      '- [ ] 1. Parser',
      '- [ ] 1.1 Tokens',
      '  - [ ] nested under 1.1',
      '- [ ] 1.2 Grammar',
      '- [ ] 2. Printer',
    );
    const { streams } = parseBreakdown(body);
    expect(streams[0]?.tasks.map((t) => [t.id, t.subtasks.map((s) => s.title)])).toEqual([
      ['1', ['1.1 Tokens', 'nested under 1.1', '1.2 Grammar']],
      ['2', []],
    ]);
    expect(tickTasks(body, ['1'])).toBe(body.replaceAll('- [ ] 1', '- [x] 1').replace('- [ ] nested', '- [x] nested'));
  });

  it('reports an id the document uses twice', () => {
    const { errors } = parseBreakdown(lines('## Phase 1', '- [ ] T001 a', '## Phase 2', '- [ ] T001 b'));
    expect(errors).toEqual([{ line: 4, column: 3, message: 'task id T001 is used twice: here and on line 2' }]);
  });

  it('takes one numbered item for no id scheme', () => {
    const { streams } = parseBreakdown(lines('## Stream A', '- [ ] 2 eggs', '- [ ] milk'));
    expect(streams[0]?.tasks.map((t) => t.id)).toEqual(['A.1', 'A.2']);
  });
});

describe('a person’s steps', () => {
  const persons = (body: string) =>
    parseBreakdown(body).streams.flatMap((s) => s.tasks.filter((t) => t.person).map((t) => t.id));

  it('knows a stop sign, a request to someone, a review by people, a manual check, in the title or under it', () => {
    const body = lines(
      '## Phase 5: PR 5',
      '- [ ] T131 Open the pull request',
      '- [ ] T132 **STOP**: Ask user to review PR #5',
      '- [ ] T133 Squash merge after approval',
      '- [ ] T134 Team and stakeholder review',
      '- [ ] T135 CI確認',
      '  - _ユーザーによる手動実施が必要_',
      '- [ ] T136 Manual verification on a phone',
    );
    expect(persons(body)).toEqual(['T132', 'T133', 'T134', 'T135', 'T136']);
  });

  it('is not fooled by work about reviews or users', () => {
    const body = lines(
      '## Stream A',
      '- [ ] Add a user review form',
      '- [ ] Stop the worker on SIGTERM',
      '- [ ] Ask for the token in the CLI',
    );
    expect(persons(body)).toEqual([]);
  });
});

describe('references as people write them', () => {
  it('takes `Stream an owner-only answer` for the heading of that very text, not for stream `an`', () => {
    const body = lines(
      '## Stream an: Answers',
      '- [ ] a',
      '## Stream an owner-only answer',
      '- [ ] b',
      '## Stream C',
      'Blocked by: Stream an owner-only answer',
      '- [ ] c',
    );
    expect(parseBreakdown(body).streams.map((s) => [s.id, s.dependsOn])).toEqual([
      ['an', []],
      ['stream-an-owner-only-answer', []],
      ['C', ['stream-an-owner-only-answer']],
    ]);
  });

  it('reads a reference to a task as the unit that holds it', () => {
    const body = lines(
      '## Phase 1: Setup',
      '- [ ] T001 Create the project',
      '## Phase 2: API',
      'Depends on: T001',
      '- [ ] T002 Add the endpoint',
      '## Docs',
      'Depends on: Task 3',
      '- [ ] Task 3: Write the guide',
      '## Release',
      'Depends on: write the guide',
      '- [ ] Tag it',
    );
    expect(parseBreakdown(body).streams.map((s) => s.dependsOn)).toEqual([[], ['phase-1-setup'], [], ['docs']]);
  });

  it('refuses a reference that names more than one thing, listing them', () => {
    const body = lines(
      '## Stream A: Setup',
      '- [ ] a',
      '## Stream B: Setup',
      '- [ ] b',
      '## Stream C',
      'Depends on: Setup',
      '- [ ] c',
    );
    expect(parseBreakdown(body).errors.map((e) => `${e.line}:${e.column} ${e.message}`)).toEqual([
      '6:13 stream C depends on "Setup", which names 2 things: stream A, stream B; name it by its id',
    ]);
  });

  it('says which stream an unknown reference probably meant', () => {
    const body = lines('## Stream api', '- [ ] a', '## Stream web', 'Depends on: apii', '- [ ] b');
    expect(parseBreakdown(body).errors.map((e) => e.message)).toEqual([
      'stream web depends on an unknown stream "apii"; did you mean api? (streams: api, web)',
    ]);
  });
});

describe('a task’s own dependencies', () => {
  it('make its stream wait for the stream of the task it names', () => {
    const body = lines(
      '## Phase 1: Schema',
      'Depends on: None',
      '- [ ] T001 Write the schema',
      '## Phase 2: API',
      'Depends on: None',
      '- [ ] T002 Add the endpoint (depends on T001)',
      '## Phase 3: UI',
      'Depends on: None',
      '- [ ] T003 Draw the form',
      '  - Depends on: T002',
      '## Phase 4: Docs',
      'Depends on: None',
      '- [ ] 004 sequential after T003',
    );
    const { streams, warnings } = parseBreakdown(body);
    expect(streams.map((s) => s.dependsOn)).toEqual([[], ['phase-1-schema'], ['phase-2-api'], ['phase-3-ui']]);
    expect(warnings).toEqual([]);
  });

  it('is an error when a task depends on a later task of its own stream', () => {
    const body = lines('## Stream A', '- [ ] T001 Deploy (after T002)', '- [ ] T002 Build');
    expect(parseBreakdown(body).errors.map((e) => `${e.line}:${e.column} ${e.message}`)).toEqual([
      '2:26 task T001 depends on task T002, which comes after it in stream A: move one of them, or put them in separate streams',
    ]);
  });

  it('leaves order in words it cannot resolve to the warning', () => {
    const { streams, warnings } = parseBreakdown(lines('## Stream A', '- [ ] Ship it (depends on Billing)'));
    expect(streams[0]?.dependsOn).toEqual([]);
    expect(warnings.map((w) => w.message.split(':')[0])).toEqual(['a task says “depends on”']);
  });
});

describe('dependencies outside the document', () => {
  it('reads #123, owner/repo#123 and issue URLs in a dependency line as issues to wait for', () => {
    const body = lines(
      '## Phase 1',
      '- [ ] a',
      '## Phase 2',
      'Depends on: Phase 1, #123, acme/billing#4 and https://github.com/acme/billing/issues/5',
      '- [ ] b',
    );
    const { streams, errors } = parseBreakdown(body);
    expect(errors).toEqual([]);
    expect(streams[1]).toMatchObject({
      dependsOn: ['phase-1'],
      external: ['#123', 'acme/billing#4', 'acme/billing#5'],
    });
    expect(streams[0]?.external).toBeUndefined();
  });
});

describe('what a hostile review found, read right', () => {
  const ids = (body: string) => parseBreakdown(body).streams.map((s) => s.tasks.map((t) => t.id));
  const persons = (body: string) =>
    parseBreakdown(body).streams.flatMap((s) => s.tasks.filter((t) => t.person).map((t) => t.id));

  it('keeps one namespace of task ids: a document’s `1.2` and a generated `1.2` collide', () => {
    const body = lines('## Stream 1: Setup', '- [ ] 1.1 Install', '- [ ] Write the docs', '- [ ] 1.2 Configure CI');
    expect(parseBreakdown(body).errors.map((e) => e.message)).toEqual([
      'task id 1.2 is used twice: here and on line 3',
    ]);
  });

  it('takes numbering that restarts in each section for list numbering, not ids', () => {
    expect(ids(lines('## Stream A', '- [ ] 1. Setup', '- [ ] 2. Build', '## Stream B', '- [ ] 1. Design'))).toEqual([
      ['A.1', 'A.2'],
      ['B.1'],
    ]);
  });

  it('finds a person’s step in a subtask, a folded Kiro item and a description paragraph', () => {
    expect(persons(lines('## Stream A', '- [ ] Deploy', '  - [ ] STOP: ask the user to confirm'))).toEqual(['A.1']);
    expect(
      persons(lines('# Plan', '- [ ] 1. Parser', '- [ ] 1.1 Ask the user to review the grammar', '- [ ] 2. Printer')),
    ).toEqual(['1']);
    expect(persons(lines('## Stream A', '- [ ] Deploy', '', '  STOP: wait for the user to confirm first.'))).toEqual([
      'A.1',
    ]);
  });

  it('reads a dependency in a task’s description paragraph', () => {
    const body = lines('## Stream A', '- [ ] a', '## Stream C', '- [ ] c', '', '  Depends on: Stream A');
    expect(parseBreakdown(body).streams[1]?.dependsOn).toEqual(['A']);
  });

  it('keeps numbered order when a unit waits only for an issue outside', () => {
    const body = lines('## Phase 1: Schema', '- [ ] a', '## Phase 2: API', 'Depends on: #123', '- [ ] b');
    expect(parseBreakdown(body).streams[1]).toMatchObject({ dependsOn: ['phase-1-schema'], external: ['#123'] });
  });

  it('takes `None` only for a value that says none and nothing more', () => {
    const body = lines(
      '## Stream A',
      '- [ ] a',
      '## Stream B',
      "Depends on: None yet, but it needs Stream A's schema",
      '- [ ] b',
    );
    expect(parseBreakdown(body).errors.map((e) => e.message.split(' (')[0])).toEqual([
      'stream B depends on an unknown stream "None yet"',
      `stream B depends on an unknown stream "but it needs Stream A's schema"`,
    ]);
  });

  it('says when units are numbered out of document order', () => {
    expect(
      parseBreakdown(lines('## Phase 2', '- [ ] a', '## Phase 1', '- [ ] b')).warnings.map((w) => w.message),
    ).toEqual(['stream phase-1 is numbered 1 but comes after phase-2: the units run in the order they are written']);
  });

  it('reads a checklist inside a unit as its work, even when it names other units', () => {
    const body = lines(
      '## Phase 1: Schema',
      '- [ ] a',
      '## Phase 2: API',
      '- [ ] b',
      '## Phase 3: Release',
      '- [ ] Phase 1 migrations verified on staging',
      '- [ ] Phase 2 feature flags removed',
    );
    const { streams, summary } = parseBreakdown(body);
    expect(streams.map((s) => s.tasks.length)).toEqual([1, 1, 2]);
    expect(summary).toEqual([]);
  });

  it('reads `Email verification` as work and `Story 1 acceptance criteria` as criteria', () => {
    const work = parseBreakdown(lines('## Stream A', '- [ ] a', '### Email verification', '- [ ] Send the email'));
    expect([work.streams[0]?.tasks.length, work.criteria]).toEqual([2, []]);
    const criteria = parseBreakdown(lines('## Story 1', '- [ ] a', '## Story 1 acceptance criteria', '- [ ] It works'));
    expect(criteria.criteria.map((c) => c.title)).toEqual(['It works']);
  });
});
