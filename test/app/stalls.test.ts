import { createHmac } from 'node:crypto';
import { connect } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { MARKERS } from '../../src/core/execution/records.js';
import { markedComment, replica, serverlessHost, startedChat, statusComment } from '../support/app-harness.js';
import { FakeGitHub, finishStream } from '../support/fake-github.js';
import { commentCreated, pullRequest } from '../support/webhooks.js';

// What keeps an execution from freezing: a stream workflow that is gone or disabled is one clear
// problem (and commands keep answering), and a claim whose run never appeared is started again.

const cleanups: (() => void)[] = [];
afterEach(() => {
  for (const cleanup of cleanups.splice(0)) cleanup();
});
const started = () => startedChat((done) => cleanups.push(done));
const minutesAgo = (minutes: number) => new Date(Date.now() - minutes * 60_000).toISOString();

describe('a stream workflow that cannot run', () => {
  it.each([
    ['missing', 'does not exist on the default branch (renamed or deleted?)'],
    ['disabled_manually', 'is disabled (`disabled_manually`): enable it in the repository'],
  ])('(%s) is one clear problem until it is fixed, and commands keep answering', async (state, says) => {
    const { fake, deliver } = await started();
    fake.workflowStates.set('execute-stream.yml', state);
    finishStream(fake, 12, 'A', ['A.1', 'A.2']);
    const b = finishStream(fake, 12, 'B', ['B.3', 'B.4']);
    // C is ready now: starting it needs the workflow.
    await deliver('pull_request', pullRequest(fake, 'opened', b));
    await deliver('issue_comment', commentCreated(fake, 12, '/execute status'));
    await deliver('issue_comment', commentCreated(fake, 12, '/execute status'));

    expect(fake.dispatches().map((d) => d.inputs.stream)).toEqual(['A', 'B']);
    const problems = fake.commentsOn(12).filter((c) => c.body.startsWith(MARKERS.workflow));
    expect(problems).toHaveLength(1);
    expect(problems[0]?.body).toContain(`The stream workflow \`execute-stream.yml\` ${says}`);
    expect(statusComment(fake)).toContain(`> The stream workflow \`execute-stream.yml\` ${says}`);
    // Both commands were answered (claimed with a reaction), not dropped by a throwing advance.
    expect([...fake.reactions].filter((r) => r.endsWith('rocket'))).toHaveLength(2);

    fake.workflowStates.delete('execute-stream.yml');
    await deliver('issue_comment', commentCreated(fake, 12, '/execute status'));
    expect(fake.dispatches().map((d) => d.inputs.stream)).toEqual(['A', 'B', 'C']);
    expect(markedComment(fake, MARKERS.workflow)?.body).toContain('✅ The stream workflow can run again');
    expect(statusComment(fake)).not.toContain('> The stream workflow');
    expect(fake.violations).toEqual([]);
  });
});

describe('a claim whose run never appeared', () => {
  /** Stream C claimed (its branch created) by a replica that crashed before it dispatched. */
  async function crashedClaim(createdMinutesAgo: number) {
    const harness = await started();
    const { fake } = harness;
    finishStream(fake, 12, 'A', ['A.1', 'A.2']);
    fake.refs.set('execute/12/C', fake.refs.get('execute/12/A') as string);
    fake.branchCreatedAt.set('execute/12/C', minutesAgo(createdMinutesAgo));
    return harness;
  }

  it('is started again once the limit has passed, once, whichever replicas see it', async () => {
    const { fake } = await crashedClaim(11);
    const [one, two] = await Promise.all([replica(fake), replica(fake)]);
    await Promise.all([
      one.deliver('issue_comment', commentCreated(fake, 12, '/execute status')),
      two.deliver('issue_comment', commentCreated(fake, 12, '/execute status')),
    ]);
    expect(fake.dispatches().map((d) => d.inputs.stream)).toEqual(['A', 'B', 'C']);
    const retries = fake.commentsOn(12).filter((c) => c.body.includes('🔁 Retrying stream C'));
    expect(retries.map((c) => c.body.split('\n')[1])).toEqual([
      '🔁 Retrying stream C (attempt 2): its run never appeared within 10 minutes of its start.',
    ]);
    // Its run exists now: later sweeps leave it alone.
    await one.deliver('issue_comment', commentCreated(fake, 12, '/execute status'));
    expect(fake.dispatches()).toHaveLength(3);
    expect(fake.violations).toEqual([]);
  });

  it('is left alone within the limit, and a retry then is refused: its run may still appear', async () => {
    const { fake, deliver } = await crashedClaim(1);
    await deliver('issue_comment', commentCreated(fake, 12, '/execute status'));
    await deliver('issue_comment', commentCreated(fake, 12, '/execute retry C'));
    expect(fake.dispatches()).toHaveLength(2);
    expect(fake.commentsOn(12).at(-1)?.body).toMatch(
      /@maintainer cannot retry C: stream C's run was requested \d+ s ago and may still appear; if it has not within 10 minutes, the coordinator starts it again by itself/,
    );
  });

  it('is not started again by itself when nothing says when it was claimed; a person may retry it', async () => {
    const { fake, deliver } = await crashedClaim(11);
    // The activity log has no entry (it lags behind a branch just made, or the server has none).
    fake.branchCreatedAt.delete('execute/12/C');
    await deliver('issue_comment', commentCreated(fake, 12, '/execute status'));
    expect(fake.dispatches()).toHaveLength(2);
    await deliver('issue_comment', commentCreated(fake, 12, '/execute retry C'));
    expect(fake.dispatches().map((d) => d.inputs.stream)).toEqual(['A', 'B', 'C']);
  });

  it('keeps the work on its branch: a claim whose branch holds task commits is run again as it is', async () => {
    const { fake, deliver } = await crashedClaim(11);
    const head = fake.pushTaskCommit('execute/12/C', 12, 'C.5');
    await deliver('issue_comment', commentCreated(fake, 12, '/execute status'));
    expect(fake.dispatches().map((d) => d.inputs.stream)).toEqual(['A', 'B', 'C']);
    expect(fake.refs.get('execute/12/C')).toBe(head);
  });

  it('is started again once by itself, not again when the restart’s run does not appear either', async () => {
    const { fake, deliver } = await crashedClaim(11);
    fake.workflowStates.set('execute-stream.yml', 'active');
    fake.onDispatch = (run) => {
      // GitHub accepts the dispatch but the run never shows: as lost as the first.
      fake.runs.splice(fake.runs.indexOf(run), 1);
    };
    await deliver('issue_comment', commentCreated(fake, 12, '/execute status'));
    const retry = fake.commentsOn(12).find((c) => c.body.includes('🔁 Retrying stream C'));
    expect(retry).toBeDefined();
    // Eleven minutes later, nothing again.
    const comment = fake.comments.find((c) => c.id === retry?.id);
    if (comment) comment.createdAt = minutesAgo(11);
    await deliver('issue_comment', commentCreated(fake, 12, '/execute status'));
    expect(fake.commentsOn(12).filter((c) => c.body.includes('🔁 Retrying stream C'))).toHaveLength(1);
    expect(statusComment(fake)).toContain('retrying (attempt 2); waiting for its run to start');
  });

  it('is found by the sweep a scheduler calls on a serverless host, with its token only', async () => {
    const fake = new FakeGitHub().listen();
    cleanups.push(() => fake.close());
    fake.addIssue(12, '## Stream A\n- [ ] Task 1: one\n', ['execute']);
    fake.approve(12);
    fake.refs.set('execute/12/A', fake.refs.get('main') as string);
    fake.branchCreatedAt.set('execute/12/A', minutesAgo(30));
    const host = await serverlessHost({ WEBHOOK_SECRET: 'serverless-secret', SWEEP_TOKEN: 'sweep-secret' });
    cleanups.push(host.close);
    const url = `http://127.0.0.1:${host.port}/api/execution-coordinator/sweep`;
    const sweep = (token: string) => fetch(url, { method: 'POST', headers: { authorization: `Bearer ${token}` } });

    expect((await sweep(createHmac('sha256', 'x').digest('hex'))).status).toBe(401);
    // A request line `new URL` cannot read is answered, not a crash of the host.
    const raw = await new Promise<string>((resolve) => {
      const socket = connect(host.port, '127.0.0.1', () =>
        socket.end('POST //x:99999/ HTTP/1.1\r\nHost: h\r\nContent-Length: 0\r\nConnection: close\r\n\r\n'),
      );
      let text = '';
      socket.on('data', (chunk) => {
        text += chunk;
      });
      socket.on('close', () => resolve(text));
    });
    expect(raw).toMatch(/^HTTP\/1\.1 [45]\d\d/);
    expect(fake.dispatches()).toEqual([]);
    const answer = await sweep('sweep-secret');
    expect(answer.status).toBe(200);
    expect(await answer.json()).toEqual({ queued: 1 });
    // Answered after the work: the stalled claim has its run.
    expect(fake.dispatches()).toEqual([{ branch: 'execute/12/A', inputs: { issue: '12', stream: 'A' } }]);
  });
});
