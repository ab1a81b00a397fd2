import { existsSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { SAMPLE_CONFIG } from '../simulator/sample-repo.js';
import { TOKENS } from '../simulator/simulator.js';
import { conform } from '../simulator/webhook-schema.js';
import { CHAT, startWorld, type World } from '../simulator/world.js';
import { seeded } from '../support/random.js';
import { labeledEvent } from '../support/webhooks.js';

// design.md §4, proven on the simulated GitHub with the App served over HTTP and the Action run
// from its bundle: exactly-once dispatch, faults, and security.

// Whole runs with real processes: minutes, not seconds, on a busy machine.
vi.setConfig({ testTimeout: 180_000 });

let world: World | undefined;
afterEach(async () => {
  await world?.close();
  world = undefined;
});

const runsPerStream = (w: World) => {
  const counts = new Map<string, number>();
  for (const { run } of w.runner.records)
    counts.set(run.inputs.stream as string, (counts.get(run.inputs.stream as string) ?? 0) + 1);
  return Object.fromEntries([...counts].sort());
};

async function execute(w: World, body = CHAT): Promise<void> {
  w.simulator.fake.addIssue(12, body, [], 'Chat system');
  await w.api('POST', '/repos/acme/chat/issues/12/labels', { labels: ['execute'] });
  await w.settle();
}

describe('exactly-once dispatch', () => {
  it.each([1, 2, 3])(
    'holds with every webhook delivered 1 to 3 times, in any order, to two replicas, a retry included (seed %i)',
    async (seed) => {
      const random = seeded(seed);
      world = await startWorld({
        replicas: 2,
        delivery: { copies: () => 1 + Math.floor(random() * 3), delay: () => random() * 1500, target: random },
      });
      world.runner.env.FAIL_AT = 'C.5';
      await execute(world);
      delete world.runner.env.FAIL_AT;
      await world.api('POST', '/repos/acme/chat/issues/12/comments', { body: '/execute retry C' });
      await world.settle();
      const { fake, deliveries } = world.simulator;
      expect(fake.issue(12).labels).toEqual(['executed']);
      // C's first attempt failed; its retry is the one other run. Nothing else ran twice.
      expect(runsPerStream(world)).toEqual({ A: 1, B: 1, C: 2, D: 1, system: 1 });
      // Redeliveries happened (same delivery id), reached both replicas, and events overtook each other.
      const copies = new Map<string, Set<string>>();
      for (const d of deliveries) copies.set(d.id, new Set([...(copies.get(d.id) ?? []), d.target]));
      expect([...copies.values()].filter((targets) => targets.size === 2).length).toBeGreaterThan(5);
      expect(deliveries.length).toBeGreaterThan(copies.size);
      const arrived = [...copies.keys()];
      const happened = world.simulator.sent.filter((id) => copies.has(id));
      expect(arrived).not.toEqual(happened);
    },
    180_000,
  );
});

describe('faults', () => {
  it('finishes with nothing lost when 10% of the App’s and the Action’s API calls fail, and some answer slowly', async () => {
    world = await startWorld();
    const { fake: chaos } = world.simulator;
    chaos.failRandomly(0.1, seeded(7));
    world.simulator.slow(0.05, 400, seeded(8));
    // And the writes that matter lose their answer after the work was done.
    chaos.fail('POST', /\/dispatches$/, 502, 2, {}, true);
    chaos.fail('PATCH', /\/issues\/12$/, 502, 2, {}, true);
    chaos.fail('POST', /\/pulls$/, 502, 2, {}, true);
    await execute(world);
    const { fake } = world.simulator;
    const failed = fake.requests.filter((r) => r.status >= 500 || r.status === 403 || r.status === 429);
    expect(failed.length).toBeGreaterThan(10);
    expect(fake.issue(12).labels).toEqual(['executed']);
    expect(fake.issue(12).body.match(/- \[x\]/g)).toHaveLength(8);
    expect(runsPerStream(world)).toEqual({ A: 1, B: 1, C: 1, D: 1, system: 1 });
  });
});

describe('security', () => {
  it('rejects a delivery with a bad signature before any API call, and acts on the same one signed', async () => {
    world = await startWorld();
    const { simulator } = world;
    const { fake } = simulator;
    fake.addIssue(12, CHAT, ['execute']);
    const payload = conform('issues', labeledEvent(fake, 12, 'execute', { login: 'maintainer', type: 'User' }));
    const before = fake.requests.length;
    await simulator.deliver('issues', payload, { signature: `sha256=${'f'.repeat(64)}` });
    await world.settle();
    expect(simulator.deliveries.at(-1)?.status).toBe(400);
    expect(fake.requests.length).toBe(before);
    // The control: the very same delivery, signed, starts the execution.
    await simulator.deliver('issues', payload);
    await world.settle();
    expect(simulator.deliveries.at(-1)?.status).toBe(200);
    expect(fake.requests.length).toBeGreaterThan(before);
    expect(fake.issue(12).labels).toEqual(['executed']);
  });

  it('answers a label from a user who may label but not write (triage) with a refusal and nothing else', async () => {
    world = await startWorld();
    const { fake } = world.simulator;
    fake.addIssue(12, CHAT, [], 'Chat system');
    await world.api('POST', '/repos/acme/chat/issues/12/labels', { labels: ['execute'] }, TOKENS.reader);
    await world.settle();
    expect(fake.commentsOn(12).map((c) => c.body)).toEqual([
      expect.stringContaining('@reader cannot start this execution'),
    ]);
    expect([...fake.refs.keys()]).toEqual(['main']);
    expect(world.runner.records).toEqual([]);
  });

  it('never runs injection strings from task titles or stream headings', async () => {
    const marker = join(tmpdir(), `pwned-e2e-${process.pid}-${Date.now()}`);
    const body = [
      `## Stream A: $(touch ${marker})`,
      `- [ ] Task 1: "; touch ${marker}; echo "`,
      `- [ ] Task 2: $(touch ${marker}) \`touch ${marker}\``,
      '',
      `## Stream B: '; touch ${marker}; '`,
      'Depends on: A',
      `- [ ] Task 3: ${'$'}{IFS}touch${'$'}{IFS}${marker}`,
      '',
    ].join('\n');
    world = await startWorld();
    try {
      await execute(world, body);
      expect(world.simulator.fake.issue(12).labels).toEqual(['executed']);
      expect(existsSync(marker)).toBe(false);
    } finally {
      rmSync(marker, { force: true });
    }
  });

  it('never posts a secret a gate prints, anywhere: comments, check runs, pull requests, summaries', async () => {
    const secret = 'sk_live_e2e_4f9a8c1d2b3e';
    // Both gates print the secret; D.7's test fails (a planted bug), the rest pass.
    const config = SAMPLE_CONFIG.replace(
      '  lint: node scripts/lint.mjs',
      '  lint: "echo lint using $DEPLOY_TOKEN; node scripts/lint.mjs"',
    ).replace(
      '  test: { run: node --test, timeout-minutes: 5 }',
      '  test: { run: "node --test; code=$?; echo test using $DEPLOY_TOKEN; exit $code", timeout-minutes: 5 }',
    );
    world = await startWorld({ config });
    world.runner.env.DEPLOY_TOKEN = secret;
    world.runner.env.FAIL_AT = 'D.7';
    await execute(world);
    const { fake } = world.simulator;
    const checks = fake.checks.map(
      (c) => `${c.title}\n${c.summary}\n${c.text ?? ''}\n${JSON.stringify(c.annotations ?? [])}`,
    );
    const comments = fake.commentsOn(12).map((c) => c.body);
    expect(checks.length).toBeGreaterThan(4);
    expect(checks.join('\n')).toContain('lint using ***');
    expect(comments.join('\n')).toContain('test using ***');
    const posted = [
      ...comments,
      ...checks,
      ...fake.pulls.map((p) => `${p.title}\n${p.body ?? ''}`),
      ...world.runner.records.map((r) => r.summary),
    ];
    expect(posted.join('\n')).not.toContain(secret);
  });
});
