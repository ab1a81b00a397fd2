import { readFileSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { MARKERS } from '../../src/core/execution/records.js';
import { appHarness, markedComment, replica } from '../support/app-harness.js';
import { issuesLabeled } from '../support/webhooks.js';

const chat = readFileSync(new URL('../../examples/chat-system.md', import.meta.url), 'utf8');
let close: (() => void) | undefined;
afterEach(() => close?.());

async function setup(body = chat, config?: string) {
  const harness = await appHarness(config);
  close = () => harness.fake.close();
  harness.fake.addIssue(12, body, ['execute'], 'Chat system');
  return harness;
}

describe('labelling an issue execute', () => {
  it('creates the ready streams’ branches, dispatches exactly those, and posts the status', async () => {
    const { fake, deliver } = await setup();
    await deliver('issues', issuesLabeled(fake, 12));

    expect(fake.violations).toEqual([]);
    expect(fake.dispatches()).toEqual([
      { branch: 'execute/12/A', inputs: { issue: '12', stream: 'A' } },
      { branch: 'execute/12/B', inputs: { issue: '12', stream: 'B' } },
    ]);
    const main = fake.refs.get('main');
    expect(fake.refs.get('execute/12/A')).toBe(main);
    expect(fake.refs.get('execute/12/B')).toBe(main);
    // label → N streams dispatched: 2N + 10 calls (a claim and a dispatch per stream).
    expect(fake.calls()).toEqual([
      'GET /repos/acme/chat/contents/.github/execution-coordinator.yml',
      'GET /repos/acme/chat/collaborators/maintainer/permission',
      // The approval: what the maintainer labelled is what runs.
      'GET /repos/acme/chat/issues/12/comments',
      'POST /repos/acme/chat/issues/12/comments',
      'GET /repos/acme/chat/git/matching-refs/heads/execute/12/',
      'GET /repos/acme/chat/issues/12/comments',
      // Starting anything needs the stream workflow: is it there, and enabled?
      'GET /repos/acme/chat/actions/workflows/execute-stream.yml',
      'GET /repos/acme/chat/git/ref/heads/main',
      'POST /repos/acme/chat/git/refs',
      'POST /repos/acme/chat/actions/workflows/execute-stream.yml/dispatches',
      'POST /repos/acme/chat/git/refs',
      'POST /repos/acme/chat/actions/workflows/execute-stream.yml/dispatches',
      'POST /repos/acme/chat/issues/12/comments',
      'GET /repos/acme/chat/issues/12/comments',
    ]);
    const [approval, status] = fake.commentsOn(12);
    expect(approval?.body).toContain('✅ @maintainer approved this plan: 4 streams (A, B, C, D).');
    expect(status?.body).toContain('<!-- execution-coordinator:status -->');
    expect(status?.body).toContain('0/8 tasks (0%)');
    expect(status?.body).toContain('2 running · 0 ready · 2 blocked');
  });

  it('ignores other labels', async () => {
    const { fake, deliver } = await setup();
    await deliver('issues', issuesLabeled(fake, 12, 'bug'));
    expect(fake.calls()).toEqual(['GET /repos/acme/chat/contents/.github/execution-coordinator.yml']);
  });

  it('honours a custom trigger label and max-parallel', async () => {
    const { fake, deliver } = await setup(chat, 'trigger-label: go\nmax-parallel: 1\n');
    fake.issue(12).labels = ['go'];
    await deliver('issues', issuesLabeled(fake, 12, 'go'));
    expect(fake.dispatches().map((d) => d.inputs.stream)).toEqual(['A']);
  });

  it('answers an invalid breakdown with one comment listing every error, and dispatches nothing', async () => {
    const body = readFileSync(new URL('../../examples/with-errors.md', import.meta.url), 'utf8');
    const { fake, deliver } = await setup(body);
    await deliver('issues', issuesLabeled(fake, 12));

    expect(fake.dispatches()).toEqual([]);
    expect([...fake.refs.keys()]).toEqual(['main']);
    const comments = fake.commentsOn(12).filter((c) => !c.body.startsWith(MARKERS.approval));
    expect(comments).toHaveLength(1);
    expect(comments[0]?.body).toContain('4 problems in the issue body:');
    expect(comments[0]?.body).toContain('- line 2, column 20: dependency cycle: A → C → A');
    expect(comments[0]?.body).toContain(
      '- line 7, column 15: stream B depends on an unknown stream "Z" (streams: A, B, C)',
    );
    expect(fake.issue(12).labels).toEqual(['execute']);
  });

  it('never takes a stream named like the integration run for it: a `## System` heading is an error', async () => {
    const { fake, deliver } = await setup('## System\n- [ ] Task 1: Deploy\n\n## Integration\n- [ ] Task 2: Wire\n');
    await deliver('issues', issuesLabeled(fake, 12));
    expect(fake.dispatches()).toEqual([]);
    expect([...fake.refs.keys()]).toEqual(['main']);
    const comment = markedComment(fake, MARKERS.invalid);
    expect(comment?.body).toContain('- line 1, column 4: stream id "system" cannot be used: "system" is reserved');
    expect(comment?.body).toContain('- line 4, column 4: stream id "integration" cannot be used');
  });

  it('answers a bad config with the key at fault, and dispatches nothing', async () => {
    const { fake, deliver } = await setup(chat, 'max-parallel: none\n');
    await deliver('issues', issuesLabeled(fake, 12));
    expect(fake.dispatches()).toEqual([]);
    expect(fake.commentsOn(12).map((c) => c.body)).toEqual([
      expect.stringContaining('`max-parallel` must be a number, not "none"'),
    ]);
  });

  it.each([
    ['read', 'it needs write, maintain or admin permission, and reader has read'],
    ['triage', 'it needs write, maintain or admin permission, and reader has triage'],
  ] as const)('refuses a sender with %s permission, with a comment and nothing else', async (permission, reason) => {
    const { fake, deliver } = await setup();
    fake.permissions.set('reader', permission);
    await deliver('issues', issuesLabeled(fake, 12, 'execute', { login: 'reader' }));
    expect(fake.dispatches()).toEqual([]);
    expect(fake.commentsOn(12).map((c) => c.body)).toEqual([
      expect.stringContaining(`@reader cannot start this execution: ${reason}. Nothing was run.`),
    ]);
    expect(fake.calls().filter((c) => !c.startsWith('GET'))).toEqual(['POST /repos/acme/chat/issues/12/comments']);
  });

  it('refuses a bot without even asking for its permission', async () => {
    const { fake, deliver } = await setup();
    await deliver('issues', issuesLabeled(fake, 12, 'execute', { login: 'renovate[bot]', type: 'Bot' }));
    expect(fake.dispatches()).toEqual([]);
    expect(fake.calls()).not.toContain('GET /repos/acme/chat/collaborators/renovate[bot]/permission');
    expect(fake.commentsOn(12)[0]?.body).toContain('bots may not start or steer an execution');
  });

  it('dispatches once when the same delivery arrives twice', async () => {
    const { fake, deliver } = await setup();
    const payload = issuesLabeled(fake, 12);
    await deliver('issues', payload, 'delivery-1');
    await deliver('issues', payload, 'delivery-1');
    expect(fake.dispatches()).toHaveLength(2);
  });

  it('dispatches each stream once when two replicas handle the event at the same time', async () => {
    const { fake } = await setup();
    const [one, two] = await Promise.all([replica(fake), replica(fake)]);
    const payload = issuesLabeled(fake, 12);
    // Two replicas, two deliveries of one event (GitHub redelivered it), concurrently.
    await Promise.all([one.deliver('issues', payload, 'a'), two.deliver('issues', payload, 'b')]);
    expect(
      fake
        .dispatches()
        .map((d) => d.inputs.stream)
        .sort(),
    ).toEqual(['A', 'B']);
    expect(fake.commentsOn(12).filter((c) => c.body.startsWith('<!-- execution-coordinator:status'))).toHaveLength(1);
  });
});
