import { describe, expect, it } from 'vitest';
import { advance } from '../../src/coordinator/advance.js';
import type { DispatchOutcome } from '../../src/coordinator/dispatch.js';
import { GitHub, type OctokitPort } from '../../src/coordinator/github.js';
import { ACTIONS_BOT, trustOnly } from '../../src/coordinator/identity.js';
import { DEFAULT_CONFIG } from '../../src/core/config/parse.js';
import { directOctokit, hops } from '../support/direct-octokit.js';
import { FakeGitHub } from '../support/fake-github.js';
import { seeded } from '../support/random.js';

// Exactly-once dispatch, in its worst case: four replicas advance one issue at the same moment,
// and every one of them has read the branches (none claimed yet) before any of them claims. Only
// the branch claim can then keep each stream to one run; without it every seed dispatches twice.

const REPLICAS = 4;
const BODY = [
  '## Stream A\n- [ ] Task 1: a\n',
  '## Stream B\n- [ ] Task 2: b\n',
  '## Stream C\nDepends on: A\n- [ ] Task 3: c\n',
].join('\n');

/** Holds every replica's first read of the branches until all of them have asked. */
function afterAllRead(octokit: OctokitPort, barrier: { waiting: (() => void)[] }): OctokitPort {
  let first = true;
  const request = async (route: string, parameters?: Record<string, unknown>) => {
    if (first && route.includes('/matching-refs/')) {
      first = false;
      await new Promise<void>((resolve) => {
        barrier.waiting.push(resolve);
        if (barrier.waiting.length === REPLICAS) for (const go of barrier.waiting) go();
      });
    }
    return octokit.request(route, parameters);
  };
  return { request: request as unknown as OctokitPort['request'] };
}

async function run(seed: number): Promise<{ dispatched: string[]; outcomes: DispatchOutcome['result'][] }> {
  const fake = new FakeGitHub();
  fake.addIssue(12, BODY, ['execute']);
  fake.approve(12);
  const hop = hops(seeded(seed));
  const barrier = { waiting: [] as (() => void)[] };
  const results = await Promise.all(
    Array.from({ length: REPLICAS }, () =>
      advance({
        github: new GitHub(afterAllRead(directOctokit(fake, hop), barrier), { owner: fake.owner, repo: fake.repo }),
        issueNumber: 12,
        config: { ...DEFAULT_CONFIG, workflow: 'execute-stream.yml' },
        defaultBranch: 'main',
        trusted: trustOnly(fake.botLogin, ACTIONS_BOT),
      }),
    ),
  );
  return {
    dispatched: fake
      .dispatches()
      .map((d) => d.inputs.stream as string)
      .sort(),
    outcomes: results.flatMap((r) => ('dispatched' in r ? r.dispatched.map((d) => d.result) : [])),
  };
}

describe('exactly-once dispatch under four replicas that all read before any claims', () => {
  it('dispatches each ready stream once, in every one of 50 seeded interleavings', async () => {
    const wrong: string[] = [];
    for (let seed = 1; seed <= 50; seed++) {
      const { dispatched, outcomes } = await run(seed);
      if (dispatched.join() !== 'A,B') wrong.push(`seed ${seed}: ${dispatched.join(',')}`);
      // The race was real: the other replicas found the streams claimed.
      if (outcomes.filter((o) => o === 'claimed-elsewhere').length !== 2 * (REPLICAS - 1))
        wrong.push(`seed ${seed}: outcomes ${outcomes.join(',')}`);
    }
    expect(wrong).toEqual([]);
  });
});
