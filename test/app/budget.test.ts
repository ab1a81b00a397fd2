import { afterEach, describe, expect, it } from 'vitest';
import { taskCommitMessage } from '../../src/core/execution/ledger.js';
import { startedChat, statusComment } from '../support/app-harness.js';
import type { FakeGitHub } from '../support/fake-github.js';
import { commentCreated, pullRequest } from '../support/webhooks.js';

// A budget, through the App on the simulated GitHub: the spend is what the task commits say their
// implementers reported (`Execute-Usage`); once it reaches the budget no new stream starts, the
// status says why, and raising the budget lets the next look start what waited.

let close: (() => void) | undefined;
afterEach(() => close?.());

const CONFIG = 'budget: { usd: 1 }\n';

/** The Action's work for a stream: a commit per task with the usage reported, ticks, the pull request. */
function finishWithUsage(fake: FakeGitHub, stream: string, tasks: [id: string, title: string, usd: number][]) {
  const branch = `execute/12/${stream}`;
  for (const [id, title, usd] of tasks) {
    const message = taskCommitMessage(title, 12, { id, title }, stream, {
      usage: { costUsd: usd, inputTokens: 1000, outputTokens: 200, model: 'claude-sonnet-4' },
    });
    fake.refs.set(branch, fake.commit(message, [fake.refs.get(branch) as string]));
    fake.issue(12).body = fake.issue(12).body.replace(`- [ ] ${title}`, `- [x] ${title}`);
  }
  return fake.openPull(branch);
}

describe('budget', () => {
  it('starts no new stream once the recorded spend reaches it, and goes on once it is raised', async () => {
    const { fake, deliver } = await startedChat((c) => (close = c), CONFIG);
    expect(fake.dispatches().map((d) => d.inputs.stream)).toEqual(['A', 'B']);

    finishWithUsage(fake, 'B', [
      ['B.3', 'Task 3: LiveView module', 0.25],
      ['B.4', 'Task 4: Authentication', 0.25],
    ]);
    const pull = finishWithUsage(fake, 'A', [
      ['A.1', 'Task 1: Message schema', 0.4],
      ['A.2', 'Task 2: User associations', 0.35],
    ]);
    await deliver('pull_request', pullRequest(fake, 'opened', pull));

    // C is ready (A and B are done), but $1.25 of $1 is spent: nothing new starts.
    expect(fake.dispatches().map((d) => d.inputs.stream)).toEqual(['A', 'B']);
    const status = statusComment(fake);
    expect(status).toContain('> No new task starts: budget reached: $1.25 of $1 spent');
    expect(status).toContain(
      '**Spent** $1.25 · 4.8k tokens (`claude-sonnet-4`) of a $1 budget, as implementers reported',
    );
    expect(status).toContain('- ✅ `A.1` Task 1: Message schema · $0.4000 · 1.2k tokens (`claude-sonnet-4`)');
    expect(status).toMatch(/A · Database foundation: done\n.* · \$0\.7500 · 2\.4k tokens \(`claude-sonnet-4`\)/);

    // Raised in the configuration: the next look starts C.
    fake.config = 'budget: { usd: 5 }\n';
    await deliver('issue_comment', commentCreated(fake, 12, '/execute status'));
    expect(fake.dispatches().map((d) => d.inputs.stream)).toEqual(['A', 'B', 'C']);
    expect(statusComment(fake)).not.toContain('budget reached');
  });
});
