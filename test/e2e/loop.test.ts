import { afterEach, describe, expect, it, vi } from 'vitest';
import { CHAT, startWorld, type World } from '../simulator/world.js';

vi.setConfig({ testTimeout: 180_000 });

let world: World | undefined;
afterEach(async () => {
  await world?.close();
  world = undefined;
});

describe('the whole loop, on a simulated GitHub', () => {
  it('carries the chat-system breakdown from the label to the final report', async () => {
    world = await startWorld();
    const { simulator, api, settle } = world;
    const { fake } = simulator;
    fake.addIssue(12, CHAT, [], 'Chat system');
    expect((await api('POST', '/repos/acme/chat/issues/12/labels', { labels: ['execute'] })).status).toBe(200);
    await settle();

    if ((fake.issue(12).body.match(/- \[x\]/g) ?? []).length !== 8)
      for (const r of world.runner.records) console.log(r.run.inputs.stream, r.exitCode, r.output.slice(-1500));
    expect(fake.issue(12).body.match(/- \[x\]/g)).toHaveLength(8);
    expect(fake.issue(12).labels).toEqual(['executed']);
    expect(fake.pulls.map((p) => p.head).sort()).toEqual([
      'execute/12/A',
      'execute/12/B',
      'execute/12/C',
      'execute/12/D',
      'execute/12/integration',
    ]);
    const final = fake.commentsOn(12).find((c) => c.body.startsWith('<!-- execution-coordinator:final'));
    expect(final?.body).toContain('All 8 tasks in 4 streams are done');
    expect(world.runner.records.map((r) => [r.run.inputs.stream, r.exitCode])).toEqual([
      ['A', 0],
      ['B', 0],
      ['C', 0],
      ['D', 0],
      ['system', 0],
    ]);
    expect(simulator.violations.slice(0, 8)).toEqual([]);
    expect(fake.violations.slice(0, 8)).toEqual([]);
  });
});

describe('a failing gate on the simulated GitHub', () => {
  it('stops the stream, keeps its dependents waiting, and a retry finishes the job', async () => {
    world = await startWorld();
    const { simulator, runner, api, settle } = world;
    const { fake } = simulator;
    runner.env.FAIL_AT = 'C.5';
    fake.addIssue(12, CHAT, [], 'Chat system');
    await api('POST', '/repos/acme/chat/issues/12/labels', { labels: ['execute'] });
    await settle();

    const failure = fake.commentsOn(12).find((c) => c.body.includes('### ❌ Stream C failed'));
    expect(failure?.body).toContain('gate `test` failed on task C.5');
    expect(failure?.body).toContain("- 'not C.5'");
    expect(fake.issue(12).body).toContain('- [ ] Task 5: PubSub integration');
    expect(runner.records.map((r) => r.run.inputs.stream)).toEqual(['A', 'B', 'C']);
    expect(fake.issue(12).labels).toEqual(['execute']);

    delete runner.env.FAIL_AT;
    await api('POST', '/repos/acme/chat/issues/12/comments', { body: '/execute retry C' });
    await settle();
    expect(fake.issue(12).labels).toEqual(['executed']);
    expect(runner.records.map((r) => `${r.run.inputs.stream}:${r.exitCode}`)).toEqual([
      'A:0',
      'B:0',
      'C:1',
      'C:0',
      'D:0',
      'system:0',
    ]);
    expect(simulator.violations.slice(0, 8)).toEqual([]);
  });
});

describe('a person editing the issue mid-run', () => {
  it('loses no tick when they save a copy made before the ticks, and keeps their words', async () => {
    world = await startWorld();
    const { simulator, api, settle } = world;
    const { fake } = simulator;
    fake.addIssue(12, CHAT, [], 'Chat system');
    const stale = fake.issue(12).body;
    await api('POST', '/repos/acme/chat/issues/12/labels', { labels: ['execute'] });
    // The moment: stream A's pull request is open, so A's ticks are in the body.
    while (!fake.pulls.some((p) => p.head === 'execute/12/A')) await new Promise((resolve) => setTimeout(resolve, 20));
    expect(fake.issue(12).body).toContain('- [x] Task 1: Message schema');
    await api('PATCH', '/repos/acme/chat/issues/12', {
      body: `${stale}\nNote: keep the schema backwards compatible.\n`,
    });
    await settle();
    expect(fake.issue(12).labels).toEqual(['executed']);
    expect(fake.issue(12).body.match(/- \[x\]/g)).toHaveLength(8);
    expect(fake.issue(12).body).toContain('Note: keep the schema backwards compatible.');
  });
});

describe('ticks only the ledgers still know, through what is deployed', () => {
  it('the App’s edit handler restores them from the REST ledger, the Action’s bundle from the git ledger', async () => {
    world = await startWorld();
    const { simulator, runner, api, settle } = world;
    const { fake } = simulator;
    fake.addIssue(12, CHAT, [], 'Chat system');
    const stale = fake.issue(12).body;
    runner.env.FAIL_AT = 'D.8';
    await api('POST', '/repos/acme/chat/issues/12/labels', { labels: ['execute'] });
    await settle();
    // D stopped at D.8; everything else is committed and ticked, and no run is left to tick again.
    expect(fake.issue(12).body.match(/- \[x\]/g)).toHaveLength(7);

    // A person saves a copy made before any tick: only the App, from the REST ledger, can repair it.
    await api('PATCH', '/repos/acme/chat/issues/12', { body: `${stale}\nNote: ship it behind a flag.\n` });
    await settle();
    expect(fake.issue(12).body.match(/- \[x\]/g)).toHaveLength(7);

    // D.7's tick is lost again, and GitHub never says so (no webhook): the retried run of D
    // (the bundled Action) finds D.7's commit in git, ticks it, and does not do it again.
    fake.issue(12).body = fake.issue(12).body.replace('- [x] Task 7:', '- [ ] Task 7:');
    delete runner.env.FAIL_AT;
    await api('POST', '/repos/acme/chat/issues/12/comments', { body: '/execute retry D' });
    await settle();
    const commitsFor = (task: string) =>
      fake.store
        .history(fake.refs.get('execute/12/D') as string)
        .filter((c) => c.message.includes(`Execute-Task: ${task} `)).length;
    expect([commitsFor('D.7'), commitsFor('D.8')]).toEqual([1, 1]);
    expect(fake.issue(12).body.match(/- \[x\]/g)).toHaveLength(8);
    expect(fake.issue(12).labels).toEqual(['executed']);
  });
});
