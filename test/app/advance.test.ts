import { afterEach, describe, expect, it } from 'vitest';
import { startedChat, statusComment } from '../support/app-harness.js';
import { finishStream } from '../support/fake-github.js';
import { commentCreated, pullRequest, workflowRunCompleted } from '../support/webhooks.js';

let close: (() => void) | undefined;
afterEach(() => close?.());

const started = (config?: string) =>
  startedChat((done) => {
    close = done;
  }, config);

describe('advancing the graph', () => {
  it('starts a stream when its last dependency completes, and nothing else', async () => {
    const { fake, deliver } = await started();
    const a = finishStream(fake, 12, 'A', ['A.1', 'A.2']);
    await deliver('pull_request', pullRequest(fake, 'opened', a));
    expect(fake.dispatches().map((d) => d.inputs.stream)).toEqual(['A', 'B']);

    const b = finishStream(fake, 12, 'B', ['B.3', 'B.4']);
    await deliver('pull_request', pullRequest(fake, 'opened', b));
    expect(fake.dispatches().map((d) => d.inputs.stream)).toEqual(['A', 'B', 'C']);
    expect(fake.violations).toEqual([]);

    // C starts from A's branch with B's merged in: both dependencies' work is there.
    const c = fake.refs.get('execute/12/C') as string;
    expect(fake.commits.get(c)?.message).toBe('Merge stream B into C (#12)');
    expect(fake.commits.get(c)?.parents).toEqual([fake.refs.get('execute/12/A'), fake.refs.get('execute/12/B')]);
    expect(statusComment(fake)).toContain('4/8 tasks (50%)');
    expect(statusComment(fake)).toContain('2 done · 1 running · 0 ready · 1 blocked');
  });

  it('dispatches once however many events report the same completion', async () => {
    const { fake, deliver } = await started();
    const a = finishStream(fake, 12, 'A', ['A.1', 'A.2']);
    const b = finishStream(fake, 12, 'B', ['B.3', 'B.4']);
    await Promise.all([
      deliver('pull_request', pullRequest(fake, 'opened', a)),
      deliver('pull_request', pullRequest(fake, 'opened', b)),
      deliver('workflow_run', workflowRunCompleted(fake, 'execute/12/A', 'success')),
      deliver('workflow_run', workflowRunCompleted(fake, 'execute/12/B', 'success')),
    ]);
    expect(fake.dispatches().map((d) => d.inputs.stream)).toEqual(['A', 'B', 'C']);
  });

  it('fails a stream whose dependencies do not merge, naming both, and starts nothing for it', async () => {
    const { fake, deliver } = await started();
    fake.conflicts.add('A|B');
    finishStream(fake, 12, 'A', ['A.1', 'A.2']);
    const b = finishStream(fake, 12, 'B', ['B.3', 'B.4']);
    await deliver('pull_request', pullRequest(fake, 'opened', b));

    expect(fake.dispatches().map((d) => d.inputs.stream)).toEqual(['A', 'B']);
    const failure = fake.commentsOn(12).find((c) => c.body.includes('### ❌ Stream C failed'));
    expect(failure?.body).toContain('merge conflict: stream C needs A and B, which do not merge cleanly');
    expect(failure?.body).toContain('`/execute retry C`');
    expect(statusComment(fake)).toMatch(
      /#### ❌ C · Real-time infrastructure: failed\nmerge conflict: stream C needs A and B/,
    );
  });

  it('marks a stream failed when its run fails, and keeps its dependents waiting', async () => {
    const { fake, deliver } = await started();
    await deliver('workflow_run', workflowRunCompleted(fake, 'execute/12/A', 'failure'));
    expect(statusComment(fake)).toContain('#### ❌ A · Database foundation: failed\nthe run ended: failure');
    expect(statusComment(fake)).toContain('Fix stream A, then comment `/execute retry A`.');
    expect(statusComment(fake)).toContain('#### ⏸️ C · Real-time infrastructure: blocked\nwaiting for A, B');
    expect(fake.dispatches()).toHaveLength(2);
  });

  it('with on-merge, waits for the dependency’s pull request to merge', async () => {
    const { fake, deliver } = await started('start-dependents: on-merge\n');
    const a = finishStream(fake, 12, 'A', ['A.1', 'A.2']) as NonNullable<ReturnType<typeof finishStream>>;
    const b = finishStream(fake, 12, 'B', ['B.3', 'B.4']) as NonNullable<ReturnType<typeof finishStream>>;
    await deliver('pull_request', pullRequest(fake, 'opened', b));
    expect(fake.dispatches()).toHaveLength(2);
    expect(statusComment(fake)).toContain('waiting for pull request');

    for (const pull of [a, b]) {
      pull.state = 'closed';
      pull.merged = true;
      // The merged work is on main now; dependents start from there.
      fake.refs.set('main', fake.commit(`Merge ${pull.head}`, [fake.refs.get('main') as string, pull.headSha]));
      await deliver('pull_request', pullRequest(fake, 'closed', pull));
    }
    expect(fake.dispatches().map((d) => d.inputs.stream)).toEqual(['A', 'B', 'C']);
    expect(fake.refs.get('execute/12/C')).toBe(fake.refs.get('main'));
  });

  it('does not count a pull request closed without merging, and a retry opens the stream again', async () => {
    const { fake, deliver } = await started();
    const a = finishStream(fake, 12, 'A', ['A.1', 'A.2']) as NonNullable<ReturnType<typeof finishStream>>;
    for (const run of fake.runs.filter((r) => r.branch === 'execute/12/A'))
      Object.assign(run, { status: 'completed', conclusion: 'success' });
    a.state = 'closed';
    await deliver('pull_request', pullRequest(fake, 'closed', a));
    expect(statusComment(fake)).toContain('pull request #');
    expect(statusComment(fake)).toContain('was closed without merging');
    const b = finishStream(fake, 12, 'B', ['B.3', 'B.4']);
    await deliver('pull_request', pullRequest(fake, 'opened', b));
    // C needs A: nothing starts for it, and the execution is not finished.
    expect(fake.dispatches().map((d) => d.inputs.stream)).toEqual(['A', 'B']);
    expect(fake.commentsOn(12).some((c) => c.body.includes('Execution complete'))).toBe(false);
    await deliver('issue_comment', commentCreated(fake, 12, '/execute retry A'));
    expect(fake.dispatches().map((d) => d.inputs.stream)).toEqual(['A', 'B', 'A']);
  });

  it('when every stream is done, writes the final report once and swaps the label', async () => {
    const { fake, deliver } = await started();
    const pulls = [finishStream(fake, 12, 'A', ['A.1', 'A.2']), finishStream(fake, 12, 'B', ['B.3', 'B.4'])];
    await deliver('pull_request', pullRequest(fake, 'opened', pulls[1] as (typeof pulls)[number]));
    const c = finishStream(fake, 12, 'C', ['C.5', 'C.6']);
    await deliver('pull_request', pullRequest(fake, 'opened', c));
    const d = finishStream(fake, 12, 'D', ['D.7', 'D.8']);
    for (const stream of ['A', 'B', 'C', 'D']) {
      fake.checks.push({
        name: 'gate: test',
        headSha: fake.refs.get(`execute/12/${stream}`) as string,
        conclusion: 'success',
        title: '',
        summary: '',
      });
    }
    await Promise.all([
      deliver('pull_request', pullRequest(fake, 'opened', d)),
      deliver('workflow_run', workflowRunCompleted(fake, 'execute/12/D', 'success')),
    ]);

    expect(fake.issue(12).labels).toEqual(['executed']);
    const finals = fake.commentsOn(12).filter((c) => c.body.startsWith('<!-- execution-coordinator:final'));
    expect(finals).toHaveLength(1);
    expect(finals[0]?.body).toContain('All 8 tasks in 4 streams are done; gates passed 4/4.');
    expect(statusComment(fake)).toContain('8/8 tasks (100%)');
    expect(fake.violations).toEqual([]);
  });

  it('runs the system gates once every stream is complete, and reports only after them', async () => {
    const { fake, deliver } = await started('gates: { test: npm test }\nsystem-gates: [test]\n');
    finishStream(fake, 12, 'A', ['A.1', 'A.2']);
    const b = finishStream(fake, 12, 'B', ['B.3', 'B.4']);
    await deliver('pull_request', pullRequest(fake, 'opened', b));
    const c = finishStream(fake, 12, 'C', ['C.5', 'C.6']);
    await deliver('pull_request', pullRequest(fake, 'opened', c));
    const d = finishStream(fake, 12, 'D', ['D.7', 'D.8']);
    await deliver('pull_request', pullRequest(fake, 'opened', d));

    expect(fake.dispatches().at(-1)).toEqual({
      branch: 'execute/12/integration',
      inputs: { issue: '12', stream: 'system' },
    });
    expect(fake.issue(12).labels).toEqual(['execute']);
    await deliver('workflow_run', workflowRunCompleted(fake, 'execute/12/integration', 'success'));
    expect(fake.issue(12).labels).toEqual(['executed']);
  });
});
