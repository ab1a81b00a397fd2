import { afterEach, describe, expect, it } from 'vitest';
import { appHarness, CONFIG, statusComment } from '../support/app-harness.js';
import type { FakeGitHub } from '../support/fake-github.js';
import { commentCreated, issuesClosed, issuesLabeled } from '../support/webhooks.js';

// A sub-issue reopened under an executing parent, through the App's handler: the event does not
// say how the issue had been closed, so it is reviewed as closed as completed; a writer's reopening
// gives its stream work again, anyone else's waits for a writer.

const READER = { login: 'reader', type: 'User' } as const;
const MAINTAINER = { login: 'maintainer', type: 'User' } as const;

let close: (() => void) | undefined;
afterEach(() => close?.());

/** Parent #10: #11 closed as completed (a done stream), #12 blocked by it; labelled and approved. */
async function started() {
  const harness = await appHarness(CONFIG);
  const { fake, deliver } = harness;
  close = () => fake.close();
  fake.permissions.set('reader', 'triage');
  fake.addIssue(10, 'Tracked in its sub-issues.', ['execute'], 'Billing');
  Object.assign(fake.addIssue(11, '- [ ] Write the schema\n', [], 'Schema'), {
    state: 'closed',
    stateReason: 'completed',
  });
  fake.addIssue(12, '- [ ] Add the endpoint\n', [], 'API');
  fake.addSubIssue(10, 11);
  fake.addSubIssue(10, 12);
  fake.addBlockedBy(12, 11);
  await deliver('issues', issuesLabeled(fake, 10));
  const key = /\/execute start ([0-9a-f]{32})/.exec(statusComment(fake, 10))?.[1];
  await deliver('issue_comment', commentCreated(fake, 10, `/execute start ${key}`));
  expect(streams(fake)).toEqual(['issue-12']);
  return harness;
}

function streams(fake: FakeGitHub): string[] {
  return fake.dispatches().map((d) => d.inputs.stream as string);
}

function reopen(fake: FakeGitHub, number: number) {
  Object.assign(fake.issue(number), { state: 'open', stateReason: 'reopened' });
}

describe('a sub-issue reopened while its parent executes', () => {
  it('has work again when a writer reopens it', async () => {
    const { fake, deliver } = await started();
    reopen(fake, 11);
    await deliver('issues', issuesClosed(fake, 11, MAINTAINER, 'reopened'));
    expect(streams(fake)).toEqual(['issue-12', 'issue-11']);
    expect(statusComment(fake, 10)).not.toContain('Waiting for approval');
  });

  it('waits for a writer when someone else reopens it', async () => {
    const { fake, deliver } = await started();
    reopen(fake, 11);
    await deliver('issues', issuesClosed(fake, 11, READER, 'reopened'));
    expect(streams(fake)).toEqual(['issue-12']);
    expect(statusComment(fake, 10)).toContain('streams changed issue-11');
  });
});
