import { afterEach, describe, expect, it } from 'vitest';
import { appHarness, CONFIG, statusComment } from '../support/app-harness.js';
import type { FakeIssue } from '../support/fake-github.js';
import { commentCreated, issuesClosed, issuesLabeled } from '../support/webhooks.js';

// A unit that depends on an issue outside the breakdown (`Depends on: #7`, `acme/billing#4`)
// waits until that issue is closed as completed; the App looks again when an issue closes.

const BODY = [
  '## Stream A: Schema',
  '- [ ] Write the schema',
  '',
  '## Stream B: Billing hook',
  'Depends on: #7, acme/billing#4',
  '- [ ] Call the billing service',
  '',
].join('\n');

let close: (() => void) | undefined;
afterEach(() => close?.());

describe('dependencies outside the breakdown', () => {
  it('take a pull request as done when it merged, not when it closed unmerged', async () => {
    const { fake, deliver } = await appHarness(CONFIG);
    close = () => fake.close();
    const pull: FakeIssue = {
      number: 9,
      title: 'Hook',
      body: '',
      labels: [],
      state: 'closed',
      pullRequest: { mergedAt: null },
    };
    fake.otherIssues.set('acme/billing#9', pull);
    fake.addIssue(12, BODY.replace('#7, acme/billing#4', 'acme/billing#9'), ['execute'], 'Billing');
    await deliver('issues', issuesLabeled(fake, 12));
    expect(statusComment(fake)).toContain('waiting on acme/billing#9');
    pull.pullRequest = { mergedAt: '2026-11-21T10:00:00Z' };
    await deliver('issue_comment', commentCreated(fake, 12, '/execute status'));
    expect(fake.dispatches().map((d) => d.inputs.stream)).toEqual(['A', 'B']);
  });

  it('wait until each issue is closed as completed, and start when the last one closes', async () => {
    const { fake, deliver } = await appHarness(CONFIG);
    close = () => fake.close();
    fake.addIssue(7, 'The billing API key', [], 'Get an API key');
    fake.otherIssues.set('acme/billing#4', { number: 4, title: 'Hook API', body: '', labels: [], state: 'open' });
    fake.addIssue(12, BODY, ['execute'], 'Billing');
    await deliver('issues', issuesLabeled(fake, 12));
    expect(fake.dispatches().map((d) => d.inputs.stream)).toEqual(['A']);
    expect(statusComment(fake)).toContain('waiting on #7, acme/billing#4');

    // Closed as not planned: that is no completion, B still waits.
    Object.assign(fake.issue(7), { state: 'closed', stateReason: 'not_planned' });
    await deliver('issues', issuesClosed(fake, 7));
    expect(fake.dispatches().map((d) => d.inputs.stream)).toEqual(['A']);

    Object.assign(fake.issue(7), { state: 'closed', stateReason: 'completed' });
    await deliver('issues', issuesClosed(fake, 7));
    expect(statusComment(fake)).toContain('waiting on acme/billing#4');
    expect(statusComment(fake)).not.toContain('waiting on #7');

    // The other repository's issue closes where this App may not hear of it: the next look (a
    // command, the sweep) sees it.
    Object.assign(fake.otherIssues.get('acme/billing#4') as object, { state: 'closed', stateReason: 'completed' });
    await deliver('issue_comment', commentCreated(fake, 12, '/execute status'));
    expect(fake.dispatches().map((d) => d.inputs.stream)).toEqual(['A', 'B']);
  });
});
