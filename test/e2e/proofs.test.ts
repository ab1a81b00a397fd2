import { existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { SAMPLE_CONFIG } from '../simulator/sample-repo.js';
import { TOKENS } from '../simulator/simulator.js';
import { CHAT, startWorld, type World } from '../simulator/world.js';
import { seeded } from '../support/random.js';

// design.md §4, proven on the simulated GitHub with the App served over HTTP and the Action run
// from its bundle: exactly-once dispatch, faults, and security.

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
  it.each([1, 2])(
    'holds with every webhook delivered 1 to 3 times, shuffled, to two replicas (seed %i)',
    async (seed) => {
      const random = seeded(seed);
      world = await startWorld({
        replicas: 2,
        delivery: { copies: () => 1 + Math.floor(random() * 3), shuffle: random },
      });
      await execute(world);
      const { fake, deliveries } = world.simulator;
      expect(fake.issue(12).labels).toEqual(['executed']);
      expect(runsPerStream(world)).toEqual({ A: 1, B: 1, C: 1, D: 1, system: 1 });
      // Duplicates did arrive, at both replicas.
      expect(new Set(deliveries.map((d) => d.id)).size).toBe(deliveries.length);
      expect(deliveries.length).toBeGreaterThan(40);
    },
  );
});

describe('faults', () => {
  it('finishes with nothing lost when 10% of the App’s and the Action’s API calls fail, and some answer slowly', async () => {
    world = await startWorld();
    world.simulator.fake.failRandomly(0.1, seeded(7));
    world.simulator.slow(0.05, 400, seeded(8));
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
  it('rejects a delivery with a bad signature before any API call', async () => {
    world = await startWorld();
    const { simulator } = world;
    simulator.fake.addIssue(12, CHAT, ['execute']);
    const before = simulator.fake.requests.length;
    await simulator.deliver(
      'issues',
      { action: 'labeled', issue: { number: 12 }, label: { name: 'execute' } },
      { signature: `sha256=${'f'.repeat(64)}` },
    );
    expect(simulator.deliveries.at(-1)?.status).toBe(400);
    await world.settle();
    expect(simulator.fake.requests.length).toBe(before);
  });

  it('answers a label from a read-only user with a refusal and nothing else', async () => {
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
    await execute(world, body);
    expect(world.simulator.fake.issue(12).labels).toEqual(['executed']);
    expect(existsSync(marker)).toBe(false);
  });

  it('never posts a secret a gate prints, anywhere', async () => {
    const secret = 'sk_live_e2e_4f9a8c1d2b3e';
    const config = SAMPLE_CONFIG.replace(
      '  lint: node scripts/lint.mjs',
      '  lint: "echo using $DEPLOY_TOKEN; node scripts/lint.mjs; exit 1"',
    );
    world = await startWorld({ config });
    world.runner.env.DEPLOY_TOKEN = secret;
    await execute(world);
    const { fake } = world.simulator;
    const posted = [
      ...fake.commentsOn(12).map((c) => c.body),
      ...fake.checks.map((c) => `${c.title}\n${c.summary}\n${c.text ?? ''}\n${JSON.stringify(c.annotations ?? [])}`),
      ...fake.pulls.map((p) => `${p.title}\n${p.body ?? ''}`),
      ...world.runner.records.map((r) => r.summary),
    ].join('\n');
    expect(posted).toContain('using ***');
    expect(posted).not.toContain(secret);
  });
});
