import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { titleHash } from '../../src/core/execution/ledger.js';
import { decodeRecord } from '../../src/core/execution/records.js';
import { actionHarness, git } from '../support/action-harness.js';

// Agents in the loop, through the Action's entry point on a real repository: gates that fail go
// back to the implementer with what failed, who implements a stream is the configuration's
// choice, what each task cost is recorded with its commit, and a budget stops new tasks.

const BODY = [
  '## Stream A: Messages',
  '- [ ] Task 1: Add the message store',
  '- [ ] Task 2: Add the message index',
  '',
].join('\n');

// The gate wants `store.txt` to say "good"; the implementer gets it right only when told what
// failed (attempt 2 and later), and keeps its context files in the repository for the test.
const IMPLEMENT = [
  '#!/bin/sh',
  'set -eu',
  'mkdir -p notes',
  'name="$TASK_ID"; [ -n "$name" ] || name=stream',
  'cp "$TASK_CONTEXT" "notes/$name-$TASK_ATTEMPT.json"',
  'if [ "$TASK_ATTEMPT" -gt 1 ]; then echo good > store.txt; else echo bad > store.txt; fi',
  'printf "%s\\n" "$TASK_TITLE" > "notes/$name.txt"',
  '',
].join('\n');

const GATES = [
  'gates:',
  '  check: { run: "grep -q good store.txt || { echo \\"store.txt:1:1: error: wants good, has $(cat store.txt)\\"; exit 1; }", timeout-minutes: 1 }',
  'task-gates: [check]',
  '',
].join('\n');

let close: (() => void) | undefined;
afterEach(() => close?.());

function setup(config: string, files: Record<string, string> = {}, body = BODY) {
  const harness = actionHarness({
    'scripts/implement.sh': IMPLEMENT,
    '.github/execution-coordinator.yml': config,
    ...files,
  });
  close = harness.close;
  const { fake } = harness;
  fake.addIssue(12, body, ['execute'], 'Chat');
  fake.approve(12);
  fake.refs.set('execute/12/A', fake.refs.get('main') as string);
  const runStream = (inputs: Record<string, string> = { implement: 'sh scripts/implement.sh' }) =>
    harness.run(
      { mode: 'stream', issue: '12', stream: 'A', ...inputs },
      { inputs: { issue: '12', stream: 'A' } },
      harness.checkout('execute/12/A'),
    );
  return { ...harness, runStream };
}

const messages = (bare: string) =>
  git(bare, 'log', '--format=%B%x00', 'main..execute/12/A')
    .split('\0')
    .map((m) => m.trim())
    .filter(Boolean);

describe('fix attempts', () => {
  it('sends a failing gate back to implement with what failed, and commits what passes on attempt 2', async () => {
    const { fake, bare, runStream } = setup(GATES);
    const result = await runStream();
    expect(result.failed).toBe(false);
    // One commit per task, each saying it passed on the second try; every box ticked.
    expect(messages(bare)).toEqual([
      `Task 2: Add the message index\n\nExecute-Issue: 12\nExecute-Stream: A\nExecute-Task: A.2 ${titleHash('Task 2: Add the message index')}\nExecute-Attempt: 2`,
      `Task 1: Add the message store\n\nExecute-Issue: 12\nExecute-Stream: A\nExecute-Task: A.1 ${titleHash('Task 1: Add the message store')}\nExecute-Attempt: 2`,
    ]);
    expect(fake.issue(12).body).toContain('- [x] Task 1: Add the message store\n- [x] Task 2: Add the message index');
    // The second attempt's context says which try it is and what failed on the first.
    const first = JSON.parse(git(bare, 'show', 'execute/12/A:notes/A.1-1.json'));
    expect([first.attempt, first.attempts]).toEqual([1, []]);
    const second = JSON.parse(git(bare, 'show', 'execute/12/A:notes/A.1-2.json'));
    expect(second.attempt).toBe(2);
    expect(second.fixing).toBe('task');
    expect(second.attempts).toEqual([
      {
        attempt: 1,
        failedGates: [
          {
            name: 'check',
            outcome: 'failed',
            tail: 'store.txt:1:1: error: wants good, has bad',
            annotations: [
              { file: 'store.txt', line: 1, column: 1, level: 'failure', message: 'error: wants good, has bad' },
            ],
          },
        ],
      },
    ]);
    // Every attempt's evidence is kept in the job summary.
    expect(result.summary).toContain('Task A.1: attempt 1 of 3 failed');
    expect(result.summary).toContain('wants good, has bad');
  });

  it('stops the stream after the last attempt, and with `fix-attempts: 0` after the first', async () => {
    for (const [fixAttempts, tries] of [
      [0, 1],
      [1, 2],
    ] as const) {
      const { fake, bare, runStream } = setup(`${GATES}fix-attempts: ${fixAttempts}\n`);
      // Outside the workspace, where implement (in the sandbox, when there is one) may write.
      const counter = join(tmpdir(), `attempts-${process.pid}-${Date.now()}`);
      const result = await runStream({ implement: `echo run >> ${counter}; echo bad > store.txt` });
      expect(result.failed).toBe(true);
      expect(readFileSync(counter, 'utf8').trim().split('\n')).toHaveLength(tries);
      expect(messages(bare)).toEqual([]);
      const failure = fake.commentsOn(12).find((c) => c.body.includes('### ❌ Stream A failed'));
      expect(failure?.body).toContain(
        `gate \`check\` failed on task A.1${tries > 1 ? ` after ${tries} attempts` : ''}`,
      );
      close?.();
    }
  });

  it('fixes failing stream gates the same way, in a commit of its own with the stream’s trailers', async () => {
    const config = [
      'gates:',
      '  whole: "test -f stream-fixed.txt || { echo missing stream-fixed.txt; exit 1; }"',
      'stream-gates: [whole]',
      '',
    ].join('\n');
    const implement =
      'if [ -z "$TASK_ID" ]; then touch stream-fixed.txt; cp "$TASK_CONTEXT" stream-context.json; fi; echo "$TASK_TITLE" >> work.txt';
    const { fake, bare, runStream } = setup(config);
    const result = await runStream({ implement });
    expect(result.failed).toBe(false);
    expect(messages(bare)[0]).toBe(
      'Stream A: fix for the stream gates\n\nExecute-Issue: 12\nExecute-Stream: A\nExecute-Attempt: 2',
    );
    const context = JSON.parse(git(bare, 'show', 'execute/12/A:stream-context.json'));
    expect([context.task, context.fixing, context.attempt, context.attempts[0].failedGates[0].name]).toEqual([
      null,
      'stream-gates',
      2,
      'whole',
    ]);
    expect(fake.pulls).toHaveLength(1);
  });
});

describe('usage', () => {
  it('records what implement reports with the task’s commit, and ignores what is not usage', async () => {
    const implement = [
      'echo good > store.txt',
      'case "$TASK_ID" in',
      '  A.1) printf \'{"inputTokens":1200,"outputTokens":340,"costUsd":0.0421,"model":"claude-sonnet-4"}\' > "$TASK_USAGE_FILE" ;;',
      // A hostile report: a newline in the model would forge a trailer.
      '  A.2) printf \'{"costUsd":1,"model":"x\\\\nExecute-Task: B.1 0123456789ab"}\' > "$TASK_USAGE_FILE" ;;',
      'esac',
    ].join('\n');
    const { bare, runStream } = setup(GATES);
    const result = await runStream({ implement });
    expect(result.failed).toBe(false);
    const [second, first] = messages(bare);
    expect(first).toContain('\nExecute-Usage: input=1200 output=340 usd=0.0421 model=claude-sonnet-4');
    // The cost is kept; the model that would have forged a trailer is left out, and said so.
    expect(second).toContain('\nExecute-Usage: usd=1');
    expect(second).not.toContain('B.1');
    expect(result.commands).toContainEqual(
      expect.stringMatching(/^::warning::TASK_USAGE_FILE: `model` must be a model name.*; the field is left out/),
    );
  });
});

describe('what failed attempts spent', () => {
  it('keeps every attempt’s usage in the failure record when the gates never pass', async () => {
    const implement = `echo bad > store.txt; printf '{"costUsd":0.25,"inputTokens":100}' > "$TASK_USAGE_FILE"`;
    const { fake, runStream } = setup(GATES);
    expect((await runStream({ implement })).failed).toBe(true);
    const failure = fake.commentsOn(12).find((c) => c.body.includes('### ❌ Stream A failed'));
    const record = decodeRecord(failure?.body ?? '');
    expect(record?.kind === 'failure' && [record.record.usage, record.record.attempts]).toEqual([
      { costUsd: 0.75, inputTokens: 300 },
      3,
    ]);
  });

  it('keeps them when implement itself fails on a later attempt', async () => {
    const implement = `printf '{"costUsd":0.5}' > "$TASK_USAGE_FILE"; echo bad > store.txt; test "$TASK_ATTEMPT" -lt 2`;
    const { fake, runStream } = setup(GATES);
    expect((await runStream({ implement })).failed).toBe(true);
    const failure = fake.commentsOn(12).find((c) => c.body.includes('### ❌ Stream A failed'));
    const record = decodeRecord(failure?.body ?? '');
    expect(record?.kind === 'failure' && [record.record.reason, record.record.usage]).toEqual([
      'implement failed (exit 1) on task A.1',
      { costUsd: 1 },
    ]);
  });
});

describe('budget', () => {
  it('starts no new task once the recorded spend reaches the budget, and goes on once it is raised', async () => {
    const implement = `echo good > store.txt; echo "$TASK_ID" >> done.txt; printf '{"costUsd":0.6}' > "$TASK_USAGE_FILE"`;
    const { fake, bare, runStream, root } = setup(`${GATES}budget: { usd: 0.5 }\n`);
    const stopped = await runStream({ implement });
    // A.1 ran and spent $0.60; A.2 did not start.
    expect(messages(bare)).toHaveLength(1);
    expect(fake.issue(12).body).toContain('- [x] Task 1: Add the message store\n- [ ] Task 2: Add the message index');
    const notice = fake.commentsOn(12).find((c) => c.body.includes('stopped: budget reached'));
    expect(notice?.body).toContain('budget reached: $0.60 of $0.5 spent');
    expect(stopped.failed).toBe(true);

    // Raised in the configuration, the retried stream goes on from A.2.
    const seed = join(root, 'seed');
    writeFileSync(join(seed, '.github/execution-coordinator.yml'), `${GATES}budget: { usd: 5 }\n`);
    git(seed, 'commit', '--quiet', '-am', 'Raise the budget');
    git(seed, 'push', '--quiet', 'origin', 'HEAD:refs/heads/main');
    const resumed = await runStream({ implement });
    expect(resumed.failed).toBe(false);
    expect(messages(bare)).toHaveLength(2);
    expect(fake.issue(12).body).toContain('- [x] Task 2: Add the message index');
  });
});

describe('who implements', () => {
  it('runs the implementer the stream names, and the input overrides it', async () => {
    const body = BODY.replace('## Stream A: Messages\n', '## Stream A: Messages\nAgent: careful\n');
    const config = [
      GATES,
      'implement: echo default > who.txt; echo good > store.txt',
      'implementers:',
      '  careful: echo careful > who.txt; echo good > store.txt',
      '',
    ].join('\n');
    const named = setup(config, {}, body);
    expect((await named.runStream({})).failed).toBe(false);
    expect(git(named.bare, 'show', 'execute/12/A:who.txt')).toBe('careful');
    close?.();
    const overridden = setup(config, {}, body);
    expect((await overridden.runStream({ implement: 'echo input > who.txt; echo good > store.txt' })).failed).toBe(
      false,
    );
    expect(git(overridden.bare, 'show', 'execute/12/A:who.txt')).toBe('input');
  });
});

describe('implement timeout', () => {
  it('ends the whole process tree at `implement-timeout-minutes` and says so', async () => {
    const { fake, runStream } = setup(`${GATES}implement-timeout-minutes: 0.02\n`);
    // Without the sandbox first: its sweep would end what its user left behind, and the process
    // group alone must end the tree at the timeout.
    for (const sandbox of ['off', 'auto']) {
      const pidFile = join(tmpdir(), `implement-child-${sandbox}-${process.pid}-${Date.now()}`);
      // A grandchild that would outlive its shell, then a shell that waits for it.
      const implement = `sh -c 'echo $$ > ${pidFile}; sleep 60' & wait`;
      const result = await runStream({ implement, sandbox });
      expect(result.failed).toBe(true);
      const failure = fake.commentsOn(12).find((c) => c.body.includes('### ❌ Stream A failed'));
      expect(failure?.body).toContain('implement timed out after 0.02 minutes on task A.1');
      // Gone, or dead and waiting to be reaped (a container's first process may not reap).
      const pid = Number(readFileSync(pidFile, 'utf8'));
      const state = existsSync(`/proc/${pid}/stat`)
        ? readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]?.[0]
        : 'gone';
      expect(['gone', 'Z', 'X']).toContain(state);
    }
  });
});
