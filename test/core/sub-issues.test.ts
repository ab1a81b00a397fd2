import { describe, expect, it } from 'vitest';
import { type SubIssueInput, subIssueBreakdown } from '../../src/core/breakdown/sub-issues.js';
import { planExecution } from '../../src/index.js';

// A parent whose sub-issues are its streams: titles, checklists, blocked-by links and dependency
// lines read into one plan, with every checkbox's body known for ticking.

const sub = (number: number, title: string, body: string, extra: Partial<SubIssueInput> = {}): SubIssueInput => ({
  number,
  title,
  body,
  state: 'open',
  stateReason: null,
  blockedBy: [],
  ...extra,
});

describe('a parent and its sub-issues', () => {
  it('makes each open sub-issue a stream, ordered by blocked-by links and dependency lines', () => {
    const { breakdown, boxes } = subIssueBreakdown({ number: 10, body: 'Tracking the rewrite.\n' }, [
      sub(11, 'Schema', '- [ ] Write the schema\n- [x] Review it\n'),
      sub(12, 'API', 'Depends on: #11\n\n- [ ] Add the endpoint\n'),
      sub(13, 'Docs', 'Describe the API for users.', { blockedBy: ['#12', 'acme/web#7'] }),
      sub(14, 'Old idea', '- [ ] Never mind', { state: 'closed', stateReason: 'not_planned' }),
    ]);
    expect(breakdown.errors).toEqual([]);
    expect(
      breakdown.streams.map((s) => [
        s.id,
        s.title,
        s.dependsOn,
        s.external,
        s.tasks.map((t) => [t.id, t.title, t.done]),
      ]),
    ).toEqual([
      [
        'issue-11',
        'Schema',
        [],
        undefined,
        [
          ['issue-11.1', 'Write the schema', false],
          ['issue-11.2', 'Review it', true],
        ],
      ],
      ['issue-12', 'API', ['issue-11'], undefined, [['issue-12.1', 'Add the endpoint', false]]],
      // No checklist: one task, the sub-issue itself; a blocker in another repository is external.
      ['issue-13', 'Docs', ['issue-12'], ['acme/web#7'], [['issue-13.1', 'Docs', false]]],
    ]);
    expect(planExecution(breakdown).waves).toEqual([['issue-11'], ['issue-12'], ['issue-13']]);
    // Ticks go into the sub-issue's own body, where its checkbox is.
    expect(boxes.get('issue-11.2')).toEqual({ issue: 11, offsets: [26] });
    expect('- [ ] Write the schema\n- [x] Review it\n'[26]).toBe('x');
  });

  it('runs the parent’s own checklist streams beside them, and a closed sibling is done with', () => {
    const { breakdown } = subIssueBreakdown(
      { number: 10, body: '## Stream A: Setup\nDepends on: #11, #12\n- [ ] Tooling\n' },
      [sub(11, 'Schema', '- [ ] Write it'), sub(12, 'Spike', '', { state: 'closed', stateReason: 'completed' })],
    );
    expect(breakdown.errors).toEqual([]);
    expect(breakdown.streams.map((s) => [s.id, s.dependsOn, s.external])).toEqual([
      ['A', ['issue-11'], undefined],
      ['issue-11', [], undefined],
    ]);
  });

  it('says in which sub-issue a problem is, and finds a cycle no single body shows', () => {
    const { breakdown } = subIssueBreakdown({ number: 10, body: '' }, [
      sub(11, 'Schema', '- [ ] \n- [ ] Write it', { blockedBy: ['#12'] }),
      sub(12, 'API', '- [ ] Add it', { blockedBy: ['#11'] }),
    ]);
    expect(breakdown.errors).toEqual([
      {
        line: 1,
        column: 3,
        issue: 11,
        message: 'an empty checkbox: GitHub draws it, but it names no task; write the task after it, or remove it',
      },
      {
        line: 1,
        column: 1,
        issue: 11,
        message: 'dependency cycle: issue-11 → issue-12 → issue-11 (blocked-by links and dependency lines together)',
      },
    ]);
  });

  it('still says “no tasks found” for a parent with neither tasks nor open sub-issues', () => {
    const { breakdown } = subIssueBreakdown({ number: 10, body: 'Nothing here yet.' }, [
      sub(11, 'Done already', '', { state: 'closed', stateReason: 'completed' }),
    ]);
    expect(breakdown.errors.map((e) => e.message)).toEqual([
      'no tasks found: a task is a list item that starts with a checkbox, like `- [ ] Write the schema`',
    ]);
  });
});
