import { describe, expect, it } from 'vitest';
import { type SubIssueInput, subIssueBreakdown } from '../../src/core/breakdown/sub-issues.js';
import { streamDigest, textDigest } from '../../src/core/execution/approval.js';
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
    const breakdown = subIssueBreakdown({ body: 'Tracking the rewrite.\n' }, [
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
    expect(breakdown.streams.map((s) => s.issue)).toEqual([11, 12, 13]);
    // The one task of a sub-issue without a checklist has no box to tick.
    expect(breakdown.streams[2]?.tasks[0]?.checkbox).toBe(false);
  });

  it('runs the parent’s own checklist streams beside them; a sibling closed as completed is a done stream', () => {
    const breakdown = subIssueBreakdown({ body: '## Stream A: Setup\nDepends on: #11, #12, #14\n- [ ] Tooling\n' }, [
      sub(11, 'Schema', '- [ ] Write it'),
      sub(12, 'Spike', '- [ ] Try it', { state: 'closed', stateReason: 'completed' }),
      sub(14, 'Dropped', '', { state: 'closed', stateReason: 'not_planned' }),
    ]);
    expect(breakdown.errors).toEqual([]);
    // Closing a sub-issue (as its pull request's merge does) leaves its dependents' plan as it
    // was; one closed as not planned is no stream, and what waits for it goes on waiting.
    expect(breakdown.streams.map((s) => [s.id, s.dependsOn, s.external, s.tasks.map((t) => t.done)])).toEqual([
      ['A', ['issue-11', 'issue-12'], ['#14'], [false]],
      ['issue-11', [], undefined, [false]],
      ['issue-12', [], undefined, [true]],
    ]);
  });

  it('keeps a sub-issue’s acceptance criteria for a person, and says which sub-issues live elsewhere', () => {
    const breakdown = subIssueBreakdown({ body: '', elsewhere: ['acme/web#4'] }, [
      sub(11, 'Schema', '- [ ] Write it\n\n## Acceptance criteria\n- [ ] Reviewed by the DBA\n'),
    ]);
    expect(breakdown.criteria).toEqual([
      { title: 'Reviewed by the DBA', line: 4, done: false, stream: 'issue-11', issue: 11 },
    ]);
    expect(breakdown.warnings.map((w) => w.message)).toEqual([
      'sub-issue acme/web#4 is in another repository: it is not run from here (its branch and pull request would be there)',
    ]);
  });

  it('says in which sub-issue a problem is, and finds a cycle no single body shows', () => {
    const breakdown = subIssueBreakdown({ body: '' }, [
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

  it('still says “no tasks found” for a parent with neither tasks nor sub-issues that are streams', () => {
    const breakdown = subIssueBreakdown({ body: 'Nothing here yet.' }, [
      sub(11, 'Not doing it', '', { state: 'closed', stateReason: 'not_planned' }),
    ]);
    expect(breakdown.errors.map((e) => e.message)).toEqual([
      'no tasks found: a task is a list item that starts with a checkbox, like `- [ ] Write the schema`',
    ]);
  });

  it('orders a sub-issue’s own sections as their dependency lines say', () => {
    const body =
      '## Stream B: Use\nDepends on: A\n- [ ] Call the client\n\n## Stream A: Client\n- [ ] Write the client\n';
    const breakdown = subIssueBreakdown({ body: '' }, [sub(11, 'Client', body)]);
    expect(breakdown.errors).toEqual([]);
    expect(breakdown.streams[0]?.tasks.map((t) => [t.id, t.title])).toEqual([
      ['issue-11.1', 'Write the client'],
      ['issue-11.2', 'Call the client'],
    ]);
  });

  it('changes neither the words nor its dependents when a sub-issue closes as completed; only its own stream', () => {
    const open = [sub(11, 'Schema', '- [ ] Write it'), sub(12, 'API', '- [ ] Add it', { blockedBy: ['#11'] })];
    const closed = [
      { ...(open[0] as SubIssueInput), state: 'closed' as const, stateReason: 'completed' },
      open[1] as SubIssueInput,
    ];
    const [before, after] = [open, closed].map((subIssues) => subIssueBreakdown({ body: '' }, subIssues));
    const digests = (b: typeof before) => b?.streams.map((s) => streamDigest(s));
    expect(digests(after)?.[1]).toBe(digests(before)?.[1]);
    // Closing one is done without its work: that stream's digest changes, so only a writer may.
    expect(digests(after)?.[0]).not.toBe(digests(before)?.[0]);
    expect(textDigest({ title: 'P', body: '', subIssues: closed })).toBe(
      textDigest({ title: 'P', body: '', subIssues: open }),
    );
  });
});
