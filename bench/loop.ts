import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { runGates } from '../src/action/gate-runner.js';
import { EXECUTED_LABEL } from '../src/coordinator/advance.js';
import { GitHub } from '../src/coordinator/github.js';
import { type Ledger, reconcileTicks } from '../src/coordinator/ticks.js';
import { branchPrefix } from '../src/core/execution/branches.js';
import { ledgerTasks } from '../src/core/execution/ledger.js';
import { startAppReplica } from '../test/simulator/app-server.js';
import { SAMPLE_CONFIG } from '../test/simulator/sample-repo.js';
import { Simulator } from '../test/simulator/simulator.js';
import { startWorld } from '../test/simulator/world.js';
import { ADVERSARIAL_COMMENTS } from '../test/support/adversarial.js';
import { directOctokit, hops } from '../test/support/direct-octokit.js';
import { FakeGitHub } from '../test/support/fake-github.js';
import { seeded } from '../test/support/random.js';
import { commentEvent } from '../test/support/webhooks.js';
import type { Figure } from './figure.js';

// The system's figures (issue 5): REST calls per tick, webhook acknowledgement and memory on the
// real server, the schedule's makespan against its critical path, and gate parallelism.

export async function loopFigures(): Promise<Figure[]> {
  return [...(await tickCalls()), ...(await webhookAck()), ...(await makespan()), await gateParallelism()];
}

/** REST calls per task ticked: one writer alone, then 16 writers at once. */
async function tickCalls(): Promise<Figure[]> {
  const measure = async (streams: number, seed: number) => {
    const fake = new FakeGitHub();
    const lines = Array.from({ length: streams }, (_, s) => `## Stream S${s}\n- [ ] one\n- [ ] two\n`);
    fake.addIssue(1, lines.join('\n'), ['execute']);
    for (let s = 0; s < streams; s++) fake.refs.set(`execute/1/S${s}`, fake.refs.get('main') as string);
    const hop = hops(seeded(seed));
    const github = new GitHub(directOctokit(fake, hop), { owner: fake.owner, repo: fake.repo });
    const ledger: Ledger = {
      async tasks() {
        const messages = [...fake.refs]
          .filter(([n]) => n.startsWith(branchPrefix(1)))
          .flatMap(([, sha]) => fake.store.history(sha).map((c) => c.message));
        return ledgerTasks(messages, 1);
      },
    };
    await Promise.all(
      Array.from({ length: streams }, async (_, s) => {
        for (const t of [1, 2]) {
          fake.pushTaskCommit(`execute/1/S${s}`, 1, `S${s}.${t}`);
          await reconcileTicks(github, 1, ledger, { also: [fake.taskKey(1, `S${s}.${t}`)], pause: hop });
        }
      }),
    );
    return fake.requests.length / (streams * 2);
  };
  return [
    {
      name: 'REST calls per task ticked, one stream alone (read, write, read back)',
      value: await measure(1, 1),
      unit: 'requests',
      goal: '≤ 3',
    },
    {
      name: 'REST calls per task ticked, 16 streams ticking at once (mean over 5 seeds)',
      value:
        Math.round(
          ((await Promise.all([1, 2, 3, 4, 5].map((seed) => measure(16, seed)))).reduce((a, b) => a + b, 0) / 5) * 100,
        ) / 100,
      unit: 'requests',
      goal: null,
    },
  ];
}

/**
 * 10,000 signed deliveries to the App served over HTTP: how fast it answers, and what it keeps.
 * Then the same traffic with every eighth comment one built to be slow to read (a command padded
 * to GitHub's comment limit, from someone who may not run it), in alternating batches with quiet
 * ones, so that both see the same machine: the p99 of each, side by side.
 */
async function webhookAck(): Promise<Figure[]> {
  const secret = 'bench-secret';
  const simulator = await new Simulator({ files: { 'README.md': '# bench\n' }, webhookSecret: secret }).start();
  const replica = await startAppReplica(simulator.url, secret);
  simulator.targets = [replica.url];
  simulator.fake.addIssue(1, '- [ ] a', ['execute']);
  simulator.fake.permissions.set('someone', 'read');
  const comment = (body: string) =>
    commentEvent(simulator.fake, 1, { id: 1, body }, { login: 'someone', type: 'User' });
  // A comment without a command: verified, parsed, routed and dropped, as most traffic is.
  const quiet = comment('Looks good to me.');
  const hostile = Object.values(ADVERSARIAL_COMMENTS).map(comment);
  const send = (count: number, pick: (i: number) => Record<string, unknown>) =>
    Promise.all(
      Array.from({ length: 8 }, async (_, lane) => {
        for (let i = lane; i < count; i += 8) await simulator.deliver('issue_comment', pick(i));
      }),
    );
  const timed = async (count: number, pick: (i: number) => Record<string, unknown>) => {
    const start = simulator.deliveries.length;
    await send(count, pick);
    const done = simulator.deliveries.slice(start);
    if (done.some((d) => d.status !== 200)) throw new Error('a delivery was not acknowledged with 200');
    return done.map((d) => d.ms as number);
  };
  const p99 = (times: number[]) => {
    const sorted = [...times].sort((a, b) => a - b);
    return Math.round((sorted[Math.floor(0.99 * (sorted.length - 1))] as number) * 100) / 100;
  };
  await send(500, () => quiet); // warm-up
  const gc = (globalThis as { gc?: () => void }).gc;
  gc?.();
  const before = process.memoryUsage().heapUsed;
  const times = await timed(10_000, () => quiet);
  gc?.();
  const after = process.memoryUsage().heapUsed;
  const calm: number[] = [];
  const stormy: number[] = [];
  for (let batch = 0; batch < 5; batch++) {
    calm.push(...(await timed(1_000, () => quiet)));
    stormy.push(
      ...(await timed(1_000, (i) =>
        i % 8 === 0 ? (hostile[(i / 8) % hostile.length] as Record<string, unknown>) : quiet,
      )),
    );
  }
  await replica.coordinator.idle();
  await replica.close();
  await simulator.stop();
  const sorted = [...times].sort((a, b) => a - b);
  const at = (q: number) => Math.round((sorted[Math.floor(q * (sorted.length - 1))] as number) * 100) / 100;
  return [
    {
      name: 'webhook acknowledgement, 10,000 signed deliveries to the App over HTTP, p50',
      value: at(0.5),
      unit: 'ms',
      goal: '≪ 10,000 (GitHub waits 10 s)',
    },
    { name: 'webhook acknowledgement, p99', value: at(0.99), unit: 'ms', goal: '≪ 10,000' },
    {
      name: `heap growth over those 10,000 deliveries${gc ? '' : ' (no --expose-gc: approximate)'}`,
      value: Math.round(((after - before) / 1024 / 1024) * 10) / 10,
      unit: 'MiB',
      goal: 'bounded (delivery ids kept: 10,000 at most)',
    },
    {
      name: 'webhook acknowledgement p99, quiet batches (5 × 1,000, alternating)',
      value: p99(calm),
      unit: 'ms',
      goal: null,
    },
    {
      name: `webhook acknowledgement p99 while one comment in eight is adversarial (${hostile.length} kinds, 65,536 characters, from a reader)`,
      value: p99(stormy),
      unit: 'ms',
      goal: null,
    },
    {
      name: 'webhook p99 with adversarial comments / quiet p99',
      value: Math.round((p99(stormy) / p99(calm)) * 100) / 100,
      unit: 'ratio',
      goal: '≤ 2',
    },
  ];
}

/**
 * A DAG with uneven streams, run for real: the makespan against the critical path of the same
 * run's measured stream durations, and what running it wave by wave would have taken.
 */
async function makespan(): Promise<Figure[]> {
  const seconds: Record<string, number> = { A: 6, B: 1, C: 4, D: 1, E: 1 };
  const breakdown = [
    '## Stream A: Slow foundation',
    '- [ ] Task 1: a',
    '## Stream B: Quick foundation',
    '- [ ] Task 2: b',
    '## Stream C: After the quick one',
    'Depends on: B',
    '- [ ] Task 3: c',
    '## Stream D: After the slow one',
    'Depends on: A',
    '- [ ] Task 4: d',
    '## Stream E: Last of the quick chain',
    'Depends on: C',
    '- [ ] Task 5: e',
    '',
  ].join('\n');
  const config = SAMPLE_CONFIG.replace(
    'implement: node scripts/implement.mjs',
    `implement: "node -e 'setTimeout(() => {}, 1000 * JSON.parse(process.env.SECONDS)[process.env.STREAM_ID])' && node scripts/implement.mjs"`,
  ).replace('system-gates: [test]\n', '');
  const world = await startWorld({ config });
  world.runner.env.SECONDS = JSON.stringify(seconds);
  const started = performance.now();
  world.simulator.fake.addIssue(1, breakdown, []);
  await world.api('POST', '/repos/acme/chat/issues/1/labels', { labels: ['execute'] });
  const spans = new Map<string, { start: number; end: number }>();
  const onDispatch = world.simulator.fake.onDispatch;
  world.simulator.fake.onDispatch = (run) => {
    spans.set(run.inputs.stream as string, { start: performance.now(), end: Number.NaN });
    onDispatch?.(run);
  };
  while (!world.simulator.fake.issue(1).labels.includes(EXECUTED_LABEL) && performance.now() - started < 120_000) {
    for (const record of world.runner.records) {
      const span = spans.get(record.run.inputs.stream as string);
      if (span && record.exitCode !== null && Number.isNaN(span.end)) span.end = performance.now();
    }
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  for (const record of world.runner.records) {
    const span = spans.get(record.run.inputs.stream as string);
    if (span && Number.isNaN(span.end)) span.end = performance.now();
  }
  await world.close();
  // The schedule's makespan: from the first stream's start to the last one's end. The App's own
  // start (label to first dispatch) is latency of its own, reported separately.
  const first = Math.min(...[...spans.values()].map((s) => s.start));
  const total = Math.max(...[...spans.values()].map((s) => s.end)) - first;
  const startup = first - started;
  const d = (id: string) => {
    const span = spans.get(id);
    return span ? span.end - span.start : Number.NaN;
  };
  const critical = Math.max(d('A') + d('D'), d('B') + d('C') + d('E'));
  const waves = Math.max(d('A'), d('B')) + Math.max(d('C'), d('D')) + d('E');
  const round = (x: number) => Math.round(x * 1000) / 1000;
  return [
    {
      name: 'makespan / critical path, uneven DAG (A 6s → D; B 1s → C 4s → E), streams start when their own dependencies finish',
      value: round(total / critical),
      unit: 'ratio',
      goal: '≤ 1.1',
    },
    {
      name: 'label to first stream dispatched, on the simulated GitHub',
      value: Math.round(startup),
      unit: 'ms',
      goal: null,
    },
    {
      name: 'the same DAG run wave by wave, from the same stream durations / critical path',
      value: round(waves / critical),
      unit: 'ratio',
      goal: null,
    },
  ];
}

/** Three gates side by side: wall time over the longest gate. */
async function gateParallelism(): Promise<Figure> {
  const cwd = mkdtempSync(`${tmpdir()}/gates-`);
  const gate = (s: number) => ({ run: `sleep ${s}`, timeoutMinutes: 1, needs: [] });
  const started = performance.now();
  const results = await runGates({ a: gate(0.4), b: gate(0.7), c: gate(1) }, ['a', 'b', 'c'], {
    cwd,
    env: { PATH: process.env.PATH },
  });
  const wall = performance.now() - started;
  const longest = Math.max(...results.map((r) => r.durationMs));
  return {
    name: 'gate parallelism: wall time of 3 parallel gates (0.4, 0.7, 1 s) / longest gate',
    value: Math.round((wall / longest) * 1000) / 1000,
    unit: 'ratio',
    goal: '≈ 1 (not the sum, 2.1)',
  };
}
