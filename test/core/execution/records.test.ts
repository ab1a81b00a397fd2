import { describe, expect, it } from 'vitest';
import { parseStreamBranch, streamBranch } from '../../../src/core/execution/branches.js';
import { parseCommand } from '../../../src/core/execution/commands.js';
import {
  isTaskCommitOf,
  ledgerCommits,
  ledgerTasks,
  readTrailers,
  taskCommitMessage,
  taskKey,
  titleHash,
} from '../../../src/core/execution/ledger.js';
import { decodeRecord, encodeRecord } from '../../../src/core/execution/records.js';
import { failureComment } from '../../../src/core/render/comments.js';

describe('records in comments', () => {
  it('round-trips a failure record through the comment that carries it', () => {
    const record = {
      stream: 'C',
      phase: 'run' as const,
      reason: 'gate `test` failed --> oops',
      tail: 'x\n-->\n<!--',
      gate: 'test',
    };
    const comment = failureComment(record);
    expect(decodeRecord(comment)).toEqual({ kind: 'failure', record });
    expect(comment.split('\n')[0]).toMatch(/^<!-- execution-coordinator:failure [A-Za-z0-9+/=]+ -->$/);
  });

  it('refuses anything malformed or not at the start', () => {
    expect(decodeRecord(`hi\n${encodeRecord('retry', { stream: 'A', attempt: 2, by: 'm' })}`)).toBeUndefined();
    expect(decodeRecord('<!-- execution-coordinator:retry bm90IGpzb24= -->')).toBeUndefined();
    expect(
      decodeRecord(`<!-- execution-coordinator:retry ${Buffer.from('{"stream":"A"}').toString('base64')} -->`),
    ).toBeUndefined();
  });
});

describe('ledger trailers', () => {
  it('writes and reads a task commit message, each task with the hash of its title', () => {
    const c5 = { id: 'C.5', title: 'Task 5: PubSub integration' };
    const h = (title: string) => titleHash(title);
    const message = taskCommitMessage('Task 5:  PubSub\tintegration', 12, c5);
    expect(message).toBe(`Task 5: PubSub integration\n\nExecute-Issue: 12\nExecute-Task: C.5 ${h(c5.title)}\n`);
    expect(readTrailers(message)).toEqual({ issue: 12, stream: undefined, tasks: [taskKey(c5)], attempt: 1 });
    expect(h('Task 5:  PubSub\tintegration ')).toBe(h(c5.title)); // white space folded
    // A title cannot smuggle in a trailer: only the final paragraph counts.
    const a1 = { id: 'A.1', title: 'Schema' };
    expect(readTrailers(taskCommitMessage('Execute-Task: B.4', 12, a1))).toEqual({
      issue: 12,
      stream: undefined,
      tasks: [taskKey(a1)],
      attempt: 1,
    });
    expect(readTrailers('Execute-Issue: 12\nExecute-Task: A.1')).toBeUndefined();
    const a2 = { id: 'A.2', title: 'Users' };
    const stream = taskCommitMessage('Stream A: Database', 12, [a1, a2]);
    const b1 = taskCommitMessage('x', 13, { id: 'B.1', title: 'x' });
    expect(ledgerTasks([message, stream, b1, 'Merge branch'], 12)).toEqual(
      new Set([taskKey(c5), taskKey(a1), taskKey(a2)]),
    );
  });

  it('names the stream a commit belongs to, which the document’s own task ids do not tell', () => {
    const t4 = { id: 'T004', title: 'T004 Write the parser' };
    const message = taskCommitMessage('T004 Write the parser', 12, t4, 'phase-2-parser');
    expect(message).toContain('Execute-Issue: 12\nExecute-Stream: phase-2-parser\nExecute-Task: T004 ');
    expect(readTrailers(message)).toEqual({ issue: 12, stream: 'phase-2-parser', tasks: [taskKey(t4)], attempt: 1 });
    expect(isTaskCommitOf(message, 'phase-2-parser')).toBe(true);
    expect(isTaskCommitOf(message, 'phase-1-setup')).toBe(false);
    // Another issue's stream of the same name is not this one.
    expect(isTaskCommitOf(message, 'phase-2-parser', 12)).toBe(true);
    expect(isTaskCommitOf(message, 'phase-2-parser', 13)).toBe(false);
    // Commits from before the trailer: their `<stream>.<n>` ids tell.
    expect(isTaskCommitOf(taskCommitMessage('x', 12, { id: 'A.1', title: 'x' }), 'A')).toBe(true);
    expect(isTaskCommitOf(taskCommitMessage('x', 12, { id: 'A.1', title: 'x' }), 'B')).toBe(false);
  });

  it('counts a copied commit (a rebase, a squash) as the same work, once', () => {
    const a1 = { id: 'A.1', title: 'Schema' };
    const message = taskCommitMessage('Schema', 12, a1, 'A', { usage: { costUsd: 3 } });
    expect(ledgerCommits([message, message, `${message}`], 12)).toEqual([
      { issue: 12, stream: 'A', tasks: [taskKey(a1)], attempt: 1, usage: { costUsd: 3 } },
    ]);
  });

  it('records the attempt that passed and the usage reported, and a stream gates fix without a task', () => {
    const a1 = { id: 'A.1', title: 'Schema' };
    const usage = { inputTokens: 1200, outputTokens: 340, costUsd: 0.0421, model: 'claude-sonnet-4' };
    const message = taskCommitMessage('Schema', 12, a1, 'A', { attempt: 2, usage });
    expect(message).toBe(
      `Schema\n\nExecute-Issue: 12\nExecute-Stream: A\nExecute-Task: A.1 ${titleHash('Schema')}\nExecute-Attempt: 2\nExecute-Usage: input=1200 output=340 usd=0.0421 model=claude-sonnet-4\n`,
    );
    expect(readTrailers(message)).toEqual({ issue: 12, stream: 'A', tasks: [taskKey(a1)], attempt: 2, usage });
    // A fix of the stream gates: the stream's trailers, no task; it ticks nothing.
    const fix = taskCommitMessage('Stream A: fix the stream gates', 12, [], 'A', { attempt: 2 });
    expect(readTrailers(fix)).toEqual({ issue: 12, stream: 'A', tasks: [], attempt: 2 });
    expect(isTaskCommitOf(fix, 'A', 12)).toBe(true);
    expect(ledgerTasks([fix], 12)).toEqual(new Set());
    // Whatever the implementer wrote, only numbers and a plain model name come back.
    expect(
      readTrailers(`x\n\nExecute-Issue: 12\nExecute-Stream: A\nExecute-Usage: input=-3 usd=1e9 model=a;rm\n`),
    ).toEqual({ issue: 12, stream: 'A', tasks: [], attempt: 1 });
  });

  it('keys a task by id and title: a task that took a deleted task’s id is another task', () => {
    expect(taskKey({ id: 'A.1', title: 'Write the schema' })).not.toBe(taskKey({ id: 'A.1', title: 'Add the index' }));
    // A trailer without a hash (or with something else after the id) names no task.
    const legacy = 'Schema\n\nExecute-Issue: 12\nExecute-Task: A.1\nExecute-Task: A.2 not-a-hash\n';
    expect([...ledgerTasks([legacy], 12)]).toEqual(['A.1', 'A.2']);
  });
});

describe('stream branches', () => {
  it('maps streams to branches and back, the system stream to the integration branch', () => {
    expect(streamBranch(12, 'C')).toBe('execute/12/C');
    expect(streamBranch(12, 'system')).toBe('execute/12/integration');
    expect(parseStreamBranch('refs/heads/execute/12/integration')).toEqual({ issue: 12, stream: 'system' });
    expect(parseStreamBranch('execute/12/backend-api')).toEqual({ issue: 12, stream: 'backend-api' });
    expect(parseStreamBranch('feature/execute/12/A')).toBeUndefined();
  });
});

describe('commands', () => {
  it.each([
    ['/execute status', { command: { name: 'status' } }],
    ['Thanks!\n  /execute retry C  \nmore', { command: { name: 'retry', stream: 'C' } }],
    ['/execute cancel', { command: { name: 'cancel' } }],
    [
      '/execute retry',
      { error: 'usage: `/execute start <key>`, `/execute status`, `/execute retry <stream>` or `/execute cancel`' },
    ],
    [
      '/execute',
      { error: 'usage: `/execute start <key>`, `/execute status`, `/execute retry <stream>` or `/execute cancel`' },
    ],
    ['I will /execute status later', undefined],
    ['/executed', undefined],
    // Cited, not said: code blocks, quotes and HTML blocks hold no command.
    ['```\n/execute cancel\n```', undefined],
    ['    /execute cancel', undefined],
    ['> /execute cancel', undefined],
    ['> Someone said\n> /execute cancel\n\nI disagree.', undefined],
    ['<div>\n/execute cancel\n</div>', undefined],
    ['> /execute cancel\n\n/execute status', { command: { name: 'status' } }],
    ['- /execute status', { command: { name: 'status' } }],
    ['/execute start 0A1b', { command: { name: 'start', key: '0a1b' } }],
  ])('reads %j', (body, expected) => {
    expect(parseCommand(body)).toEqual(expected);
  });
});

describe('the gates of a stream', () => {
  it('takes its own Gates: line for the task gates, else the config’s, and always the stream gates', async () => {
    const { gatesOfStream } = await import('../../../src/core/execution/checks.js');
    const config = { taskGates: ['lint', 'test'], streamGates: ['build', 'test'] };
    expect(gatesOfStream({ gates: [] }, config)).toEqual({
      task: ['lint', 'test'],
      stream: ['build', 'test'],
      all: ['lint', 'test', 'build'],
    });
    expect(gatesOfStream({ gates: ['e2e'] }, config)).toEqual({
      task: ['e2e'],
      stream: ['build', 'test'],
      all: ['e2e', 'build', 'test'],
    });
  });
});
