import { afterEach, describe, expect, it, vi } from 'vitest';
import { MARKERS } from '../../src/core/execution/records.js';
import { SAMPLE_CONFIG } from '../simulator/sample-repo.js';
import { TOKENS } from '../simulator/simulator.js';
import { startWorld, type World } from '../simulator/world.js';

// A parent whose sub-issues are its streams, carried out end to end on the simulated GitHub: the
// App over HTTP, the Action's bundle in each run, GitHub's sub-issue and dependency endpoints and
// events. The parent has no checklist of its own; each sub-issue's checklist is its stream's tasks.

vi.setConfig({ testTimeout: 180_000 });

const READER = { login: 'reader', type: 'User' } as const;

let world: World | undefined;
afterEach(async () => {
  await world?.close();
  world = undefined;
});

/** Parent #10 with sub-issues #11–#14: #12 and #14 wait for #11 (a link, a line), #13 for #12. */
async function parentWithSubIssues(options: Parameters<typeof startWorld>[0] = {}): Promise<World> {
  const started = await startWorld(options);
  const { fake } = started.simulator;
  fake.addIssue(10, 'Billing, tracked in its sub-issues.', [], 'Billing');
  fake.addIssue(11, '- [ ] Write the schema\n- [ ] Add the migration\n', [], 'Schema');
  fake.addIssue(12, '- [ ] Add the endpoint\n', [], 'API');
  fake.addIssue(13, 'Describe the API for users.', [], 'Docs');
  fake.addIssue(14, 'Depends on: #11\n\n- [ ] Show the invoices\n', [], 'UI');
  for (const child of [11, 12, 13, 14]) fake.addSubIssue(10, child);
  fake.addBlockedBy(12, 11);
  fake.addBlockedBy(13, 12);
  await started.settle();
  return started;
}

/**
 * A maintainer labels the parent, reads the sub-issues and approves them with the key the status
 * comment gives: the label carries the parent's words, not its sub-issues'.
 */
async function labelAndApprove(current: World): Promise<void> {
  await current.api('POST', '/repos/acme/chat/issues/10/labels', { labels: ['execute'] });
  await current.settle();
  const key = /\/execute start ([0-9a-f]{32})/.exec(statusOf(current))?.[1];
  await current.api('POST', '/repos/acme/chat/issues/10/comments', { body: `/execute start ${key}` });
  await current.settle();
}

/**
 * Labelled and approved, with #13 waiting on an issue outside the plan (#20, "Legal review"):
 * the execution is still running once the rest is done.
 */
async function holdingIssue13(current: World): Promise<void> {
  const { fake } = current.simulator;
  fake.addIssue(20, '', [], 'Legal review');
  fake.addBlockedBy(13, 20);
  await current.settle();
  await labelAndApprove(current);
}

function streamsRun(current: World): string[] {
  const records = current.runner.records;
  // A failed run says why in its failure comment, which a test failure should show.
  for (const r of records.filter((x) => x.exitCode !== 0)) console.log(r.run.inputs.stream, r.output.slice(-3000));
  return records.map((r) => `${r.run.inputs.stream}:${r.exitCode}`);
}

function statusOf(current: World, issue = 10): string {
  return current.simulator.fake.commentsOn(issue).find((c) => c.body.startsWith(MARKERS.status))?.body ?? '';
}

describe('a parent issue whose sub-issues are its streams', () => {
  it('runs them in blocked-by order, ticks each sub-issue’s own body, and its pull request closes it', async () => {
    world = await parentWithSubIssues();
    const { simulator, api, settle } = world;
    const { fake } = simulator;
    await labelAndApprove(world);

    const order = streamsRun(world);
    expect(order.sort()).toEqual(['issue-11:0', 'issue-12:0', 'issue-13:0', 'issue-14:0', 'system:0']);
    // A dependent was dispatched only once its dependency's pull request existed (ids count up).
    const runOf = (stream: string) => fake.runs.find((r) => r.branch === `execute/10/${stream}`)?.id ?? 0;
    const pullOf = (stream: string) => fake.pulls.find((p) => p.head === `execute/10/${stream}`)?.number ?? Infinity;
    for (const [dependency, dependent] of [
      ['issue-11', 'issue-12'],
      ['issue-11', 'issue-14'],
      ['issue-12', 'issue-13'],
    ] as const)
      expect(runOf(dependent), `${dependent} after ${dependency}`).toBeGreaterThan(pullOf(dependency));
    // Ticks went into the sub-issues, where their boxes are; a sub-issue without one is one task.
    expect(fake.issue(11).body).toBe('- [x] Write the schema\n- [x] Add the migration\n');
    expect(fake.issue(14).body).toBe('Depends on: #11\n\n- [x] Show the invoices\n');
    expect(fake.issue(13).body).toBe('Describe the API for users.');
    expect(fake.issue(10).labels).toEqual(['executed']);
    const final = fake.commentsOn(10).find((c) => c.body.startsWith(MARKERS.final));
    expect(final?.body).toContain('All 5 tasks in 4 streams are done');

    // Each sub-issue carries its own progress, edited in place; the parent the whole status.
    for (const number of [11, 12, 13, 14]) {
      const progress = fake.commentsOn(number).filter((c) => c.body.startsWith(MARKERS.progress));
      expect(progress).toHaveLength(1);
      expect(progress[0]?.body).toContain(`stream \`issue-${number}\` of #10`);
      expect(progress[0]?.body).toContain('✅ done');
    }
    expect(statusOf(world)).toContain('issue-13 · Docs (#13): done');

    // Each pull request closes its sub-issue: merged, the sub-issue is closed as completed.
    const pull = fake.pulls.find((p) => p.head === 'execute/10/issue-12');
    expect(pull?.body).toContain('Closes #12');
    const merged = await api('PUT', `/repos/acme/chat/pulls/${pull?.number}/merge`, {});
    expect(merged.status).toBe(200);
    await settle();
    expect(fake.issue(12)).toMatchObject({ state: 'closed', stateReason: 'completed' });
  });

  it('holds a stream whose blocker is outside the parent until that issue is closed as completed', async () => {
    world = await parentWithSubIssues();
    const { simulator, api, settle } = world;
    const { fake } = simulator;
    fake.addIssue(20, 'The payment provider signs the contract.', [], 'Contract');
    fake.addBlockedBy(11, 20);
    await settle();
    await labelAndApprove(world);
    expect(streamsRun(world)).toEqual([]);
    expect(statusOf(world)).toContain('waiting on #20');

    await api('PATCH', '/repos/acme/chat/issues/20', { state: 'closed', state_reason: 'completed' });
    await settle();
    expect(streamsRun(world).sort()).toEqual(['issue-11:0', 'issue-12:0', 'issue-13:0', 'issue-14:0', 'system:0']);
    expect(fake.issue(10).labels).toEqual(['executed']);
  });

  it('re-plans when a writer adds or removes a sub-issue mid-run', async () => {
    world = await parentWithSubIssues();
    const { simulator, settle } = world;
    const { fake } = simulator;
    await holdingIssue13(world);
    expect(streamsRun(world).sort()).toEqual(['issue-11:0', 'issue-12:0', 'issue-14:0']);

    fake.addIssue(15, '- [ ] Send the invoice e-mails\n', [], 'E-mails');
    fake.addSubIssue(10, 15);
    await settle();
    expect(streamsRun(world)).toContain('issue-15:0');
    expect(fake.issue(15).body).toBe('- [x] Send the invoice e-mails\n');
    expect(fake.issue(10).labels).toEqual(['execute']);

    // Dropping the sub-issue that waits lets the execution finish.
    fake.removeSubIssue(10, 13);
    await settle();
    expect(streamsRun(world)).not.toContain('issue-13:0');
    expect(fake.issue(10).labels).toEqual(['executed']);
    expect(fake.commentsOn(10).some((c) => c.body.includes('Refused'))).toBe(false);
  });

  it('pauses on a change by someone without write access, until a writer approves it', async () => {
    world = await parentWithSubIssues();
    const { simulator, api, settle } = world;
    const { fake } = simulator;
    await holdingIssue13(world);
    expect(streamsRun(world).sort()).toEqual(['issue-11:0', 'issue-12:0', 'issue-14:0']);

    // A reader adds a task to the sub-issue they wrote, which has not started; once its blocker
    // closes, it would start, but nothing runs: no writer approved the change.
    fake.issue(13).author = 'reader';
    await api(
      'PATCH',
      '/repos/acme/chat/issues/13',
      { body: 'Describe the API.\n\n- [ ] Add a curl example\n' },
      TOKENS.reader,
    );
    await api('PATCH', '/repos/acme/chat/issues/20', { state: 'closed', state_reason: 'completed' });
    await settle();
    expect(streamsRun(world)).toHaveLength(3);
    expect(fake.commentsOn(10).filter((c) => c.body.includes('reader')).length).toBeGreaterThan(0);
    expect(statusOf(world)).toContain('streams changed issue-13');

    // The same for a sub-issue they add.
    fake.addIssue(16, '- [ ] Mine the crypto\n', [], 'Mine');
    fake.addSubIssue(10, 16, { by: READER });
    await settle();
    expect(streamsRun(world)).toHaveLength(3);
    const status = statusOf(world);
    expect(status).toContain('added issue-16');

    // A writer reads the changes and approves them with the key the status comment gives.
    const key = /\/execute start ([0-9a-f]{32})/.exec(status)?.[1];
    await api('POST', '/repos/acme/chat/issues/10/comments', { body: `/execute start ${key}` });
    await settle();
    expect(streamsRun(world)).toEqual(expect.arrayContaining(['issue-13:0', 'issue-16:0']));
    expect(fake.issue(10).labels).toEqual(['executed']);
  });

  it('with on-merge, a merge queue’s merges close the sub-issues and start what waited, warnings and all', async () => {
    world = await parentWithSubIssues({ config: `${SAMPLE_CONFIG}start-dependents: on-merge\n` });
    const { simulator, api, settle } = world;
    const { fake } = simulator;
    // A warning in the parent: the plan needed a writer's `/execute start`, and a close by a
    // merge still must not wait for another.
    fake.issue(10).body = 'Billing, tracked in its sub-issues.\n\n- [ ] #99\n';
    fake.identities.set('ghs_merge_queue', { login: 'merge-queue[bot]', type: 'Bot' });
    await labelAndApprove(world);
    expect(statusOf(world)).not.toContain('Waiting for approval');
    // The merge queue merges whatever stream pull request is open (two at once in one round).
    for (let round = 0; round < 6 && !fake.issue(10).labels.includes('executed'); round++) {
      for (const pull of fake.pulls.filter((p) => p.state === 'open' && p.head.startsWith('execute/10/issue-')))
        expect((await api('PUT', `/repos/acme/chat/pulls/${pull.number}/merge`, {}, 'ghs_merge_queue')).status).toBe(
          200,
        );
      await settle();
    }
    expect(fake.issue(10).labels).toEqual(['executed']);
    for (const number of [11, 12, 13, 14])
      expect(fake.issue(number)).toMatchObject({ state: 'closed', stateReason: 'completed' });
    // Each close was a merge of its stream's pull request: the plan never waited for approval.
    expect(fake.commentsOn(10).some((c) => c.body.includes('changed since a writer approved'))).toBe(false);
    expect(streamsRun(world).sort()).toEqual(['issue-11:0', 'issue-12:0', 'issue-13:0', 'issue-14:0', 'system:0']);
  });

  it('does not count a sub-issue done because someone without write access closed it', async () => {
    world = await parentWithSubIssues();
    const { simulator, api, settle } = world;
    const { fake } = simulator;
    fake.addIssue(20, '', [], 'Contract');
    fake.addBlockedBy(11, 20);
    await settle();
    await labelAndApprove(world);
    fake.issue(11).author = 'reader';
    await api('PATCH', '/repos/acme/chat/issues/11', { state: 'closed', state_reason: 'completed' }, TOKENS.reader);
    await settle();
    expect(streamsRun(world)).toEqual([]);
    expect(statusOf(world)).toContain('streams changed issue-11');
  });

  it('approves a sub-issue a writer adds as it was, not as its author edits it afterwards', async () => {
    world = await parentWithSubIssues();
    const { simulator, api, settle } = world;
    const { fake } = simulator;
    await holdingIssue13(world);
    const before = streamsRun(world).length;
    fake.addIssue(16, '- [ ] Fix a typo\n', [], 'Typo').author = 'reader';
    fake.addSubIssue(10, 16);
    await api(
      'PATCH',
      '/repos/acme/chat/issues/16',
      { body: '- [ ] Add a deploy key with write access\n' },
      TOKENS.reader,
    );
    await settle();
    expect(streamsRun(world)).toHaveLength(before);
    expect(fake.issue(16).body).toBe('- [ ] Add a deploy key with write access\n');
    expect(statusOf(world)).toMatch(/Waiting for approval/);
  });

  it('starts nothing on the label alone, whatever changes meanwhile: a writer approves what the status shows', async () => {
    // Deliveries take a moment, as GitHub's do: a reader edits their sub-issue and links one of
    // theirs in between, and nothing GitHub sends says whether that came before the label.
    world = await parentWithSubIssues({ delivery: { delay: () => 400 } });
    const { simulator, api, settle } = world;
    const { fake } = simulator;
    fake.issue(12).author = 'reader';
    fake.addIssue(16, '- [ ] Add a deploy key with write access\n', [], 'Keys').author = 'reader';
    await api('POST', '/repos/acme/chat/issues/10/labels', { labels: ['execute'] });
    await api(
      'PATCH',
      '/repos/acme/chat/issues/12',
      { body: '- [ ] Add the endpoint, and a debug route\n' },
      TOKENS.reader,
    );
    fake.addSubIssue(10, 16, { by: READER });
    await settle();
    expect(streamsRun(world)).toEqual([]);
    const status = statusOf(world);
    expect(status).toContain("the label carries this issue's words, not its sub-issues'");
    expect(status).toContain('issue-16 · Keys');

    // A writer reads the sub-issues as the status shows them, and approves them by its key.
    const key = /\/execute start ([0-9a-f]{32})/.exec(status)?.[1];
    await api('POST', '/repos/acme/chat/issues/10/comments', { body: `/execute start ${key}` });
    await settle();
    expect(fake.issue(10).labels).toEqual(['executed']);
  });
});
