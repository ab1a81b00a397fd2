import { describe, expect, it } from 'vitest';
import type { RunFact, StreamFacts } from '../../../src/core/execution/facts.js';
import { type StreamView, streamViews, systemView } from '../../../src/core/execution/status.js';
import { parseBreakdown, planExecution } from '../../../src/index.js';

const body = [
  '## Stream A',
  '- [x] a1',
  '## Stream B',
  '- [ ] b1',
  '## Stream C',
  'Depends on: A, B',
  '- [ ] c1',
  '## Stream D',
  '- [x] d1',
].join('\n');
const plan = planExecution(parseBreakdown(body));
const run = (status: string, conclusion: string | null, createdAt: string): RunFact => ({
  id: 1,
  status,
  conclusion,
  url: 'https://github.com/acme/chat/actions/runs/1',
  createdAt,
});
const pull = (merged = false) => ({
  number: 7,
  url: 'https://github.com/acme/chat/pull/7',
  state: 'open' as const,
  merged,
  headSha: 'abc',
});
const facts = (entries: Record<string, Partial<StreamFacts>>) =>
  new Map(Object.entries(entries).map(([id, f]) => [id, { runs: [], failures: [], retries: [], ...f }]));
const summary = (views: Map<string, StreamView>) =>
  Object.fromEntries([...views].map(([id, v]) => [id, `${v.status}: ${v.detail}`]));

describe('stream status from GitHub facts', () => {
  it('reads a fresh execution: ready, blocked, and done by hand', () => {
    expect(summary(streamViews(plan, facts({}), { startDependents: 'on-complete' }))).toEqual({
      A: 'done: every task ticked',
      B: 'ready: ready to start',
      C: 'blocked: waiting for B',
      D: 'done: every task ticked',
    });
  });

  it('follows a claimed stream through its latest event: run, failure record, retry', () => {
    const failure = {
      record: { stream: 'B', phase: 'run' as const, reason: 'gate `test` failed on task B.1', gate: 'test' },
      at: '2026-11-21T10:05:00Z',
      url: 'u',
      order: 5,
    };
    const views = (f: Partial<StreamFacts>) =>
      summary(streamViews(plan, facts({ B: { branch: 'sha', ...f } }), { startDependents: 'on-complete' })).B;
    expect(views({})).toBe('running: dispatched; waiting for its run to start');
    expect(views({ runs: [run('in_progress', null, '2026-11-21T10:00:00Z')] })).toBe('running: run in progress');
    expect(views({ runs: [run('completed', 'failure', '2026-11-21T10:00:00Z')] })).toBe(
      'failed: the run ended: failure',
    );
    expect(views({ runs: [run('in_progress', null, '2026-11-21T10:00:00Z')], failures: [failure] })).toBe(
      'failed: gate `test` failed on task B.1',
    );
    const retry = { record: { stream: 'B', attempt: 2, by: 'm' }, at: '2026-11-21T10:06:00Z', url: 'u', order: 6 };
    expect(
      views({ runs: [run('completed', 'failure', '2026-11-21T10:00:00Z')], failures: [failure], retries: [retry] }),
    ).toBe('running: retrying (attempt 2); waiting for its run to start');
    expect(views({ runs: [run('completed', 'success', '2026-11-21T10:00:00Z')] })).toBe(
      'failed: the run succeeded but left tasks open or opened no pull request',
    );
  });

  it('does not let a retry and its run’s failure, stamped in the same second, wedge the stream', () => {
    const retry = { record: { stream: 'B', attempt: 2, by: 'm' }, at: '2026-11-21T10:06:00Z', url: 'u', order: 6 };
    const same = run('completed', 'failure', '2026-11-21T10:06:00Z');
    const view = streamViews(plan, facts({ B: { branch: 'sha', runs: [same], retries: [retry] } }), {
      startDependents: 'on-complete',
    });
    expect(summary(view).B).toBe('failed: the run ended: failure');
    expect(view.get('B')?.attempt).toBe(2);
  });

  it('calls a stream done when its tasks are ticked and its pull request exists, and complete per start-dependents', () => {
    const done = body.replace('- [ ] b1', '- [x] b1');
    const donePlan = planExecution(parseBreakdown(done));
    const f = facts({ A: { branch: 'a', pull: pull(false) }, B: { branch: 'b', pull: pull(true) } });
    const onComplete = streamViews(donePlan, f, { startDependents: 'on-complete' });
    expect(summary(onComplete).C).toBe('ready: ready to start');
    const onMerge = streamViews(donePlan, f, { startDependents: 'on-merge' });
    expect(summary(onMerge)).toMatchObject({
      A: 'done: waiting for pull request #7 to merge',
      C: 'blocked: waiting for A',
    });
  });

  it('does not count a pull request closed without merging as done, unless a retry is on its way', () => {
    const closed = { ...pull(false), state: 'closed' as const };
    const success = run('completed', 'success', '2026-11-01T10:00:00Z');
    const f = facts({ A: { branch: 'a', pull: closed, runs: [success] } });
    for (const startDependents of ['on-complete', 'on-merge'] as const) {
      const views = streamViews(plan, f, { startDependents });
      expect(views.get('A')).toMatchObject({ status: 'failed', complete: false });
      expect(summary(views).A).toContain('pull request #7 was closed without merging');
      expect(summary(views).C).toBe('blocked: waiting for A, B');
    }
    // A retry's run is under way: running, not failed.
    const retried = facts({
      A: {
        branch: 'a',
        pull: closed,
        runs: [success, { ...run('in_progress', null, '2026-11-01T11:00:01Z'), id: 2 }],
        retries: [{ record: { stream: 'A', attempt: 2, by: 'm' }, at: '2026-11-01T11:00:00Z', url: '', order: 9 }],
      },
    });
    expect(summary(streamViews(plan, retried, { startDependents: 'on-complete' })).A).toBe('running: run in progress');
  });

  it('holds the system run until every stream is complete', () => {
    const streams = streamViews(plan, facts({}), { startDependents: 'on-complete' });
    expect(systemView(streams, { runs: [], failures: [], retries: [] })).toMatchObject({
      status: 'blocked',
      detail: 'waiting for B, C',
    });
    const all = new Map([...streams].map(([id, v]) => [id, { ...v, complete: true }]));
    expect(systemView(all, { runs: [], failures: [], retries: [] }).status).toBe('ready');
    expect(
      systemView(all, {
        branch: 's',
        runs: [run('completed', 'success', '2026-11-21T10:00:00Z')],
        failures: [],
        retries: [],
      }).status,
    ).toBe('done');
  });
});
