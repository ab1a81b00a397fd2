import { describe, expect, it } from 'vitest';
import { GitHub } from '../../src/coordinator/github.js';
import { reconcileTicks } from '../../src/coordinator/ticks.js';
import { taskKey } from '../../src/core/execution/ledger.js';
import { directOctokit } from '../support/direct-octokit.js';
import { FakeGitHub } from '../support/fake-github.js';

// design.md §4: API calls per task are counted in tests and kept small. A tick costs a read, a
// write and the read that checks it; the ledger comes from git (the Action's), not the API.

describe('API calls per task', () => {
  it('ticking a task costs three requests: read, write, read back', async () => {
    const fake = new FakeGitHub();
    fake.addIssue(3, '## Stream A\n- [ ] one\n- [ ] two\n', ['execute']);
    const github = new GitHub(
      directOctokit(fake, async () => undefined),
      { owner: fake.owner, repo: fake.repo },
    );
    const ledger = { tasks: async () => new Set([taskKey({ id: 'A.1', title: 'one' })]) };
    await reconcileTicks(github, 3, ledger, { pause: async () => undefined });
    expect(fake.calls()).toEqual([
      'GET /repos/acme/chat/issues/3',
      'PATCH /repos/acme/chat/issues/3',
      'GET /repos/acme/chat/issues/3',
    ]);
    expect(fake.issue(3).body).toBe('## Stream A\n- [x] one\n- [ ] two\n');
  });

  it('a tick that is already there costs one read', async () => {
    const fake = new FakeGitHub();
    fake.addIssue(3, '## Stream A\n- [x] one\n', ['execute']);
    const github = new GitHub(
      directOctokit(fake, async () => undefined),
      { owner: fake.owner, repo: fake.repo },
    );
    await reconcileTicks(github, 3, { tasks: async () => new Set([taskKey({ id: 'A.1', title: 'one' })]) });
    expect(fake.calls()).toEqual(['GET /repos/acme/chat/issues/3']);
  });
});
