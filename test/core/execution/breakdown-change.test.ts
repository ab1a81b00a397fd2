import { describe, expect, it } from 'vitest';
import type { SubIssueInput } from '../../../src/core/breakdown/sub-issues.js';
import { aroundChange, type SourceText } from '../../../src/core/execution/breakdown-change.js';

// One event's change, applied to the words as they stand now: the words just before and just
// after it, whatever else changed since.

const sub = (number: number, extra: Partial<SubIssueInput> = {}): SubIssueInput => ({
  number,
  title: `Sub ${number}`,
  body: '- [ ] Do it\n',
  state: 'open',
  stateReason: null,
  blockedBy: [],
  ...extra,
});
const now: SourceText = { title: 'Parent', body: '', subIssues: [sub(11), sub(12, { blockedBy: ['#11'] })] };

describe('a change around the words as they stand', () => {
  it('takes an added sub-issue as the event gave it, not as it reads now', () => {
    const live = { ...now, subIssues: [...now.subIssues, sub(13, { body: '- [ ] Edited since\n' })] };
    const around = aroundChange(live, 10, { kind: 'sub-issue added', subIssue: sub(13) });
    expect(around?.before.subIssues.map((s) => s.number)).toEqual([11, 12]);
    expect(around?.after.subIssues.find((s) => s.number === 13)?.body).toBe('- [ ] Do it\n');
  });

  it('puts a removed link back for the words before it', () => {
    const live = { ...now, subIssues: [sub(11), sub(12)] };
    const around = aroundChange(live, 10, { kind: 'blocked-by removed', issue: 12, blocker: '#11' });
    expect(around?.before.subIssues[1]?.blockedBy).toEqual(['#11']);
    expect(around?.after.subIssues[1]?.blockedBy).toEqual([]);
  });

  it('changes nothing for a close the issue has been reopened since, nor for a sub-issue gone', () => {
    const closed = { kind: 'state', issue: 11 } as const;
    const change = {
      ...closed,
      before: { state: 'open', stateReason: null },
      after: { state: 'closed', stateReason: 'completed' },
    } as const;
    expect(aroundChange(now, 10, change)).toBeUndefined();
    const live = { ...now, subIssues: [sub(11, { state: 'closed', stateReason: 'completed' }), sub(12)] };
    expect(aroundChange(live, 10, change)?.before.subIssues[0]?.state).toBe('open');
    expect(aroundChange(live, 10, { ...change, issue: 99 })).toBeUndefined();
  });
});
