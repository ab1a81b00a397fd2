import { approvalKey } from '../core/execution/approval.js';
import { EXECUTION_CHECK, gateOfCheck, gatesOfStream } from '../core/execution/checks.js';
import type { Command } from '../core/execution/commands.js';
import { refusalComment } from '../core/render/comments.js';
import { advance } from './advance.js';
import { approve, holdOf } from './approval.js';
import { STALL_LIMIT_MS, stalledFor, startAttempt, viewOf } from './attempts.js';
import type { IssueContext } from './context.js';
import { committed, readExecution, readIssue } from './read-execution.js';
import { refuse } from './refusals.js';
import { writeStatus } from './report.js';
import { readSource, readStream } from './source.js';
import { type Actor, writerCheck } from './start.js';

// `/execute start | status | retry <stream> | cancel`, from a comment by a writer. The command comment
// is claimed with a reaction (GitHub answers 201 once, 200 after), so a redelivered or doubly
// handled command acts once.

export type CommandResult =
  | { readonly outcome: 'refused' | 'rejected'; readonly reason: string }
  | { readonly outcome: 'duplicate' }
  | { readonly outcome: 'done'; readonly command: Command['name'] };

export async function runCommand(
  context: IssueContext,
  command: Command,
  actor: Actor,
  commentId: number,
): Promise<CommandResult> {
  const { github } = context;
  const refusal = await writerCheck(github, actor);
  if (refusal) {
    await refuse(context, actor.login, `run /execute ${command.name}`, refusal);
    return { outcome: 'refused', reason: refusal };
  }
  if ((await github.react(commentId, 'rocket')) === 'existed') return { outcome: 'duplicate' };

  switch (command.name) {
    case 'start':
      return approveAndStart(context, actor, command.key);
    case 'status':
      await advance(context);
      return { outcome: 'done', command: 'status' };
    case 'cancel':
      await cancel(context);
      return { outcome: 'done', command: 'cancel' };
    case 'retry':
      return retry(context, command.stream, actor);
  }
}

/**
 * `/execute start <key>`: the plan, as the issue states it now, is approved by this writer and
 * runs. The key (in the status comment while the plan waits) names that text: an edit made after
 * the writer read the issue changes it, and is then not approved in their name.
 */
async function approveAndStart(context: IssueContext, actor: Actor, key: string | undefined): Promise<CommandResult> {
  const { github, issueNumber, config } = context;
  const reject = async (reason: string): Promise<CommandResult> => {
    await github.createComment(issueNumber, refusalComment(actor.login, 'start this execution', reason));
    return { outcome: 'rejected', reason };
  };
  const issue = await readIssue(context);
  if (issue.state !== 'open') return reject('the issue is closed');
  if (!issue.labels.includes(config.triggerLabel))
    return reject(`the issue is not labelled \`${config.triggerLabel}\`: label it to start`);
  const { plan, text } = await readSource(context, issue);
  const current = approvalKey(text, plan);
  if (key === undefined) {
    const comments = await github.listComments(issueNumber);
    // Nothing waits for approval: the command only refreshes.
    if (!holdOf(context, comments, text, plan)) {
      await advance({ ...context, issue });
      return { outcome: 'done', command: 'start' };
    }
  }
  if (key !== current)
    return reject(
      `${key === undefined ? 'it needs the key of the text it approves' : 'the issue changed since that key was given'}; review the issue as it stands, then comment \`/execute start ${current}\``,
    );
  // The text approved is the text acted on: the advance works on this very read.
  await approve(context, text, plan, actor.login);
  await advance({ ...context, issue });
  return { outcome: 'done', command: 'start' };
}

async function retry(context: IssueContext, stream: string, actor: Actor): Promise<CommandResult> {
  const { github, issueNumber } = context;
  const execution = await readExecution(context);
  const view = viewOf(execution, stream);
  const reject = async (reason: string): Promise<CommandResult> => {
    await github.createComment(issueNumber, refusalComment(actor.login, `retry ${stream}`, reason));
    return { outcome: 'rejected', reason };
  };
  if (!view) return reject(`there is no stream ${stream} (streams: ${[...execution.streams.keys()].join(', ')})`);
  if (holdOf(context, execution.comments, execution.text, execution.plan))
    return reject('the plan has changes no writer approved; review them and comment `/execute start` first');
  if (view.status !== 'failed' && !view.stalled) {
    return reject(
      `stream ${stream} is ${view.status}; only a failed stream (or one whose run never started) can be retried`,
    );
  }

  if (view.stalled) {
    const waited = await stalledFor(context, stream, view);
    // Unknown (no record of the claim's time): the person asking judges.
    if (waited !== undefined && waited <= STALL_LIMIT_MS)
      return reject(
        `stream ${stream}'s run was requested ${Math.round(waited / 1000)} s ago and may still appear; if it has not within ${STALL_LIMIT_MS / 60_000} minutes, the coordinator starts it again by itself`,
      );
  }
  if ((await startAttempt(context, execution, stream, view, { by: actor.login })) === 'duplicate')
    return { outcome: 'duplicate' };
  await advance(context);
  return { outcome: 'done', command: 'retry' };
}

/** Stops the execution: running streams are cancelled and nothing new starts. */
async function cancel(context: IssueContext): Promise<void> {
  const { github, issueNumber, config } = context;
  const execution = await readExecution(context);
  for (const view of [...execution.streams.values(), ...(execution.system ? [execution.system] : [])]) {
    if (view.run && view.run.status !== 'completed') await github.cancelRun(view.run.id);
  }
  await github.removeLabel(issueNumber, config.triggerLabel);
  await writeStatus(context, execution, 'cancelled');
}

/** The `execution` check on a stream's pull request: green when its tasks are ticked and its gates passed. */
export async function reportExecutionCheck(
  context: IssueContext,
  stream: string,
  headSha: string,
  detailsUrl?: string,
): Promise<void> {
  const { github, config } = context;
  // Only the plan and the head's checks matter here: no full read of the execution.
  const planned = await committed(context, (await readStream(context, stream)).stream);
  const open = planned?.tasks.filter((t) => !t.done).map((t) => t.id) ?? [];
  const results = new Map(
    (await github.checkRuns(headSha)).flatMap((c) => (gateOfCheck(c.name) ? [[gateOfCheck(c.name) as string, c]] : [])),
  );
  const expected = planned ? gatesOfStream(planned, config).all : [...config.streamGates];
  const failed = expected.filter((g) => results.get(g)?.conclusion !== 'success');
  const green = planned !== undefined && open.length === 0 && failed.length === 0;
  const lines = [
    planned
      ? `${planned.tasks.length - open.length}/${planned.tasks.length} tasks ticked in #${context.issueNumber}.`
      : `#${context.issueNumber} has no stream ${stream}.`,
    open.length > 0 ? `Open: ${open.join(', ')}.` : '',
    expected.length > 0
      ? `Gates: ${expected.map((g) => `${g} ${results.get(g)?.conclusion ?? 'not reported'}`).join(', ')}.`
      : 'No stream gates configured.',
  ];
  await github.reportCheckRun({
    name: EXECUTION_CHECK,
    headSha,
    conclusion: green ? 'success' : 'failure',
    title: green ? `Stream ${stream} is complete` : `Stream ${stream} is not complete`,
    summary: lines.filter(Boolean).join('\n'),
    ...(detailsUrl ? { detailsUrl } : {}),
  });
}
