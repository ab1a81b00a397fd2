import { readFileSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { appHarness } from '../support/app-harness.js';
import { issuesLabeled } from '../support/webhooks.js';

const chat = readFileSync(new URL('../../examples/chat-system.md', import.meta.url), 'utf8');
let close: (() => void) | undefined;
afterEach(() => close?.());

async function setup(body = chat) {
  const harness = await appHarness();
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
    expect(fake.calls()).toEqual([
      'GET /repos/acme/chat/contents/.github/execution-coordinator.yml',
      'GET /repos/acme/chat/collaborators/maintainer/permission',
      'GET /repos/acme/chat/git/matching-refs/heads/execute/12/',
      'GET /repos/acme/chat/issues/12/comments',
      'GET /repos/acme/chat/git/ref/heads/main',
      'POST /repos/acme/chat/git/refs',
      'POST /repos/acme/chat/actions/workflows/execute-stream.yml/dispatches',
      'POST /repos/acme/chat/git/refs',
      'POST /repos/acme/chat/actions/workflows/execute-stream.yml/dispatches',
      'POST /repos/acme/chat/issues/12/comments',
    ]);
    const [status] = fake.commentsOn(12);
    expect(status?.body).toContain('<!-- execution-coordinator:status -->');
    expect(status?.body).toContain('0/8 tasks (0%)');
    expect(status?.body).toContain('2 running · 0 ready · 2 blocked');
  });
});
