import { constants } from 'node:fs';
import { chmod, open, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { advance } from '../coordinator/advance.js';
import { type ApprovedSource, approvedSource } from '../coordinator/approval.js';
import type { IssueContext } from '../coordinator/context.js';
import { type Comment, statusOf } from '../coordinator/github.js';
import { speaksForCoordinator } from '../coordinator/read-execution.js';
import { readSource } from '../coordinator/source.js';
import { reconcileTicks } from '../coordinator/ticks.js';
import { streamBranch } from '../core/execution/branches.js';
import { budgetReached, planSpend } from '../core/execution/budget.js';
import { gateCheckName, gatesOfStream } from '../core/execution/checks.js';
import { type CommitFacts, taskCommitMessage, taskKey } from '../core/execution/ledger.js';
import { decodeRecord } from '../core/execution/records.js';
import { hasUsage, MAX_USAGE_FILE_BYTES, readUsageFields, type Usage } from '../core/execution/usage.js';
import { parseDiagnostics } from '../core/gates/diagnostics.js';
import type { GateResult } from '../core/gates/result.js';
import { firstFailure } from '../core/gates/result.js';
import type { Stream, Task } from '../core/model.js';
import { failureComment } from '../core/render/comments.js';
import { annotationsOf, gateCheckOutput, gateSummary, outputTail } from '../core/render/gate-report.js';
import { fenced } from '../core/render/markdown-text.js';
import { streamPullBody, streamPullTitle } from '../core/render/pull-body.js';
import { type AttemptEvidence, type LoopOutcome, untilGatesPass } from './fix-attempts.js';
import { runGates } from './gate-runner.js';
import { gitLedger } from './git-ledger.js';
import { type ActionRun, BOT_AUTHOR } from './io.js';
import { StreamFailure } from './stream-failure.js';
import { handoffFrom, writeTaskContext } from './task-context.js';

// One stream's run: each open task in order is implemented, gated, committed with its trailers,
// pushed and ticked; then the stream gates, the pull request, its check runs, and the streams
// this one unblocked. A failure stops the stream where it is, with a report.

export interface StreamOutcome {
  readonly tasksDone: number;
  readonly pullRequest?: string;
  readonly failedGate?: string;
  readonly failure?: string;
}

/**
 * Runs one stream. `override` is the Action's `implement` input, which wins over the
 * configuration; otherwise the stream's `Agent:` picks one of the configured implementers.
 */
export async function runStream(
  run: ActionRun,
  issueNumber: number,
  streamId: string,
  override: string | undefined,
): Promise<StreamOutcome> {
  const context = issueContextOf(run, issueNumber);
  const { plan } = await readSource(context);
  const stream = plan.streams.find((s) => s.id === streamId);
  if (!stream)
    throw new Error(
      `input stream: issue #${issueNumber} has no stream "${streamId}" (streams: ${plan.streams.map((s) => s.id).join(', ')})`,
    );
  if (plan.errors.length > 0)
    throw new Error(
      `issue #${issueNumber}'s breakdown has errors; the first: line ${plan.errors[0]?.line}: ${plan.errors[0]?.message}`,
    );

  const implement =
    override ?? (stream.implementer !== undefined ? run.config.implementers[stream.implementer] : run.config.implement);
  const ledger = gitLedger(run.git, issueNumber);
  let tasksDone = 0;
  const reported = new Map<string, GateResult>();
  try {
    // Only what a writer approved runs; checked again before each task, which may take an hour.
    let source = await approvedOrFail(run, context, stream);
    await run.git.syncTo(streamBranch(issueNumber, stream.id));
    // A retried stream keeps the tasks that passed before: their commits are on the branch.
    const committed = await ledger.tasks();
    const isCommitted = (task: Task) => committed.has(taskKey(task));
    if (stream.tasks.some((t) => isCommitted(t) && !t.done)) await reconcileTicks(run.github, issueNumber, ledger);
    const open = stream.tasks.filter((t) => !t.done && !isCommitted(t));
    const { task: taskGates, stream: streamGates } = gatesOfStream(stream, run.config);
    run.io.info(
      `stream ${stream.id}: ${open.length} of ${stream.tasks.length} tasks to do; task gates: ${taskGates.join(', ') || 'none'}`,
    );
    tasksDone = stream.tasks.length - open.length;

    if (open.length > 0 && implement) {
      const handoff = await handoffFrom(run, issueNumber, stream);
      for (const [index, task] of open.entries()) {
        if (task.person) throw waitsForPerson(run, stream, task);
        if (index > 0) source = await approvedOrFail(run, context, stream, task);
        // A new task starts only while the plan's recorded spend is under the budget.
        await budgetOrStop(run, context, stream, task, ledger, source.comments);
        const approved = source;
        const outcome = await untilGatesPass(run, {
          label: `task ${task.id}`,
          fixAttempts: run.config.fixAttempts,
          implementFirst: true,
          // A fix attempt may start an hour later: only what is still approved runs.
          implement: async (attempt, evidence) =>
            implementTask(
              run,
              attempt > 1 ? await approvedOrFail(run, context, stream, task) : approved,
              stream,
              task,
              implement,
              handoff,
              { attempt, evidence },
            ),
          gates: () => runGateSet(run, taskGates, task),
        });
        for (const result of outcome.results) reported.set(result.name, result);
        if (!outcome.passed) throw gateFailure(run, stream.id, outcome, task);
        await commitAndTick(run, issueNumber, stream, [task], task.title, ledger, outcome);
        tasksDone++;
      }
    } else if (open.length > 0) {
      // No implement: what earlier steps left in the working tree is the whole stream.
      if (!(await run.git.hasChanges())) {
        const reason =
          'there is no implement command and the working tree has no changes: nothing to commit for its tasks';
        throw new StreamFailure({ stream: stream.id, phase: 'run', reason, ...runLink(run) });
      }
      // The work before a person's step is committed; the stream then waits for them.
      const person = open.findIndex((t) => t.person);
      const mine = person < 0 ? open : open.slice(0, person);
      if (mine.length > 0) {
        for (const result of await gate(run, taskGates, stream.id)) reported.set(result.name, result);
        await commitAndTick(run, issueNumber, stream, mine, `Stream ${stream.id}: ${stream.title}`, ledger);
        tasksDone += mine.length;
      }
      if (person >= 0) throw waitsForPerson(run, stream, open[person] as Task);
    }
    // The stream's gates get the same fix attempts; a fix is a commit of its own, and must pass
    // the task gates too (it changes the code as a task would).
    const fixGates = [...new Set([...taskGates, ...streamGates])];
    const outcome = await untilGatesPass(run, {
      label: `stream ${stream.id}’s gates`,
      fixAttempts: run.config.fixAttempts,
      implementFirst: false,
      ...(implement
        ? {
            implement: async (attempt: number, evidence: readonly AttemptEvidence[]) =>
              implementTask(run, await approvedOrFail(run, context, stream), stream, undefined, implement, [], {
                attempt,
                evidence,
              }),
          }
        : {}),
      gates: (attempt) => runGateSet(run, attempt > 1 ? fixGates : streamGates),
    });
    for (const result of outcome.results) reported.set(result.name, result);
    if (!outcome.passed) throw gateFailure(run, stream.id, outcome);
    if (outcome.attempt > 1 && (await run.git.hasChanges()))
      await commitAndTick(
        run,
        issueNumber,
        stream,
        [],
        `Stream ${stream.id}: fix for the stream gates`,
        ledger,
        outcome,
      );
  } catch (caught) {
    // Whatever went wrong (a gate, a push GitHub refused, git itself), the stream stops with a report.
    const error =
      caught instanceof StreamFailure
        ? caught
        : new StreamFailure({
            stream: stream.id,
            phase: 'run',
            reason: (caught as Error).message,
            ...runLink(run),
          });
    await reportFailure(run, context, error);
    run.io.output('tasks-done', String(tasksDone));
    return { tasksDone, ...(error.record.gate ? { failedGate: error.record.gate } : {}), failure: error.record.reason };
  }

  const results = [...reported.values()];
  const head = await run.git.head();
  const pull = await openOrUpdatePull(
    run,
    streamBranch(issueNumber, stream.id),
    streamPullTitle(stream, issueNumber),
    streamPullBody(stream, issueNumber, results, run.runUrl),
  );
  await reportChecks(run, head, results);
  await run.io.summary(gateSummary(`Stream ${stream.id}: ${tasksDone}/${stream.tasks.length} tasks done`, results));
  // This stream is complete now (its pull request exists): start what was waiting for it.
  await advance(context);
  run.io.output('tasks-done', String(tasksDone));
  run.io.output('pull-request', pull);
  return { tasksDone, pullRequest: pull };
}

export function issueContextOf(run: ActionRun, issueNumber: number): IssueContext {
  return {
    github: run.github,
    issueNumber,
    config: run.config,
    defaultBranch: run.defaultBranch,
    log: (message) => run.io.info(message),
    trusted: run.trusted,
  };
}

/** The stream stops before a task that is a person's: nothing failed, it waits for them. */
function waitsForPerson(run: ActionRun, stream: Stream, task: Task): StreamFailure {
  return new StreamFailure({
    stream: stream.id,
    phase: 'run',
    reason: `task ${task.id} is a person’s step (“${task.title}”): it is not run here; when it is done, tick it and comment \`/execute retry ${stream.id}\``,
    task: task.id,
    person: true,
    ...runLink(run),
  });
}

type Approved = Extract<ApprovedSource, { ok: true }>;

async function approvedOrFail(run: ActionRun, context: IssueContext, stream: Stream, task?: Task): Promise<Approved> {
  const source = await approvedSource(context, stream);
  if (!source.ok)
    throw new StreamFailure({
      stream: stream.id,
      phase: 'run',
      reason: source.reason,
      ...(task ? { task: task.id } : {}),
      ...runLink(run),
    });
  if (!source.textApproved)
    run.io.warning(
      'the issue’s text changed since a writer approved the plan: implement gets the approved task text, not the issue’s',
    );
  return source;
}

interface AttemptContext {
  readonly attempt: number;
  readonly evidence: readonly AttemptEvidence[];
}

/** Runs `implement` for a task (or, without one, to fix the stream's gates); returns the usage it reported. */
async function implementTask(
  run: ActionRun,
  source: Approved,
  stream: Stream,
  task: Task | undefined,
  implement: string,
  handoff: Awaited<ReturnType<typeof handoffFrom>>,
  { attempt, evidence }: AttemptContext,
): Promise<Usage | undefined> {
  const { issue } = source;
  const contextFile = await writeTaskContext(run, source, stream, task, handoff, {
    attempt,
    attempts: evidence,
  });
  const what = task ? `task ${task.id}` : `stream ${stream.id}’s gates`;
  const usageFile = await usageFileFor(run, task?.id ?? `${stream.id}-stream`, attempt);
  run.io.info(`${what}: implementing${attempt > 1 ? ` (attempt ${attempt}, with what failed before)` : ''}`);
  // The task travels as data: environment variables and a file, never part of a command line.
  const env = {
    ...run.env,
    TASK_ID: task?.id ?? '',
    TASK_TITLE: task?.title ?? '',
    TASK_ATTEMPT: String(attempt),
    ISSUE_NUMBER: String(issue.number),
    STREAM_ID: stream.id,
    TASK_CONTEXT: contextFile,
    TASK_USAGE_FILE: usageFile,
  };
  const minutes = run.config.implementTimeoutMinutes;
  const [result] = await runGates(
    { implement: { run: implement, timeoutMinutes: minutes, needs: [] } },
    ['implement'],
    { cwd: run.workspace, env, mask: (text) => run.masker.mask(text), sandbox: run.sandbox },
  );
  if (result) run.io.info(result.output.trimEnd());
  const usage = await readUsageFile(run, usageFile);
  if (result && result.outcome !== 'passed') {
    const reason =
      result.outcome === 'timed-out'
        ? `implement timed out after ${minutes} minutes on ${what} (\`implement-timeout-minutes\`); everything it started was ended`
        : `implement failed (exit ${result.exitCode}) on ${what}`;
    throw new StreamFailure(
      {
        stream: stream.id,
        phase: 'run',
        reason,
        ...(task ? { task: task.id } : {}),
        tail: outputTail(result),
        ...(attempt > 1 ? { attempts: attempt } : {}),
        ...(usage ? { usage } : {}),
        ...runLink(run),
      },
      [],
    );
  }
  return usage;
}

/**
 * An empty file the implementer may write its usage to: made here, in a folder only the Action
 * writes, so the implementer can fill it but not swap it for a link to something else.
 */
async function usageFileFor(run: ActionRun, id: string, attempt: number): Promise<string> {
  const path = join(run.tempDir, `usage-${id.replace(/[^\w.-]/g, '_')}-${attempt}.json`);
  await rm(path, { force: true });
  await writeFile(path, '', { mode: 0o666 });
  await chmod(path, 0o666);
  return path;
}

/** What the implementer reported, checked; a malformed report is a warning, never a failure. */
async function readUsageFile(run: ActionRun, path: string): Promise<Usage | undefined> {
  // Opened without following a link, its size taken from the open file, at most 4 KB read.
  let text: string;
  try {
    const file = await open(path, constants.O_RDONLY | constants.O_NOFOLLOW);
    try {
      const { size } = await file.stat();
      if (size === 0) return undefined;
      if (size > MAX_USAGE_FILE_BYTES) {
        run.io.warning(`TASK_USAGE_FILE: ${size} bytes, more than ${MAX_USAGE_FILE_BYTES}: not read`);
        return undefined;
      }
      const buffer = Buffer.alloc(MAX_USAGE_FILE_BYTES);
      const { bytesRead } = await file.read(buffer, 0, MAX_USAGE_FILE_BYTES, 0);
      text = buffer.subarray(0, bytesRead).toString('utf8');
    } finally {
      await file.close();
    }
  } catch {
    run.io.warning('TASK_USAGE_FILE: not a file this run can read (a link, or removed)');
    return undefined;
  }
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch {
    run.io.warning('TASK_USAGE_FILE: not JSON; write {"inputTokens", "outputTokens", "costUsd", "model"}');
    return undefined;
  }
  const { usage, problems } = readUsageFields(data);
  for (const problem of problems) run.io.warning(`TASK_USAGE_FILE: ${problem}; the field is left out`);
  return hasUsage(usage) ? usage : undefined;
}

async function budgetOrStop(
  run: ActionRun,
  context: IssueContext,
  stream: Stream,
  task: Task,
  ledger: ReturnType<typeof gitLedger>,
  comments: readonly Comment[],
): Promise<void> {
  if (!run.config.budget) return;
  // The comments the approval check before this task just read: no second read of them.
  const failures = comments.flatMap((comment) => {
    if (!speaksForCoordinator(context, comment)) return [];
    const decoded = decodeRecord(comment.body);
    return decoded?.kind === 'failure' ? [decoded.record] : [];
  });
  const reached = budgetReached(run.config.budget, planSpend(await ledger.commits(), failures));
  if (reached)
    throw new StreamFailure({
      stream: stream.id,
      phase: 'run',
      reason: reached,
      task: task.id,
      budget: true,
      ...runLink(run),
    });
}

/** The gates, run; whether they passed is the caller's to judge. */
async function runGateSet(run: ActionRun, names: readonly string[], task?: Task): Promise<GateResult[]> {
  if (names.length === 0) return [];
  return runGates(run.config.gates, names, {
    cwd: run.workspace,
    env: run.env,
    mask: (text) => run.masker.mask(text),
    sandbox: run.sandbox,
    onStart: (name) => run.io.info(`gate ${name}: started${task ? ` for task ${task.id}` : ''}`),
  });
}

/** The stream stops: its gates still fail after the last attempt. */
function gateFailure(run: ActionRun, streamId: string, outcome: LoopOutcome, task?: Task): StreamFailure {
  const failed = firstFailure(outcome.results) as GateResult;
  const where = task ? ` on task ${task.id}` : ' before the pull request';
  const tries = outcome.attempt > 1 ? ` after ${outcome.attempt} attempts` : '';
  const reason = `gate \`${failed.name}\` ${failed.outcome === 'timed-out' ? 'timed out' : 'failed'}${where}${tries}`;
  return new StreamFailure(
    {
      stream: streamId,
      phase: 'run',
      reason,
      gate: failed.name,
      ...(task ? { task: task.id } : {}),
      tail: outputTail(failed),
      ...(outcome.attempt > 1 ? { attempts: outcome.attempt } : {}),
      ...(outcome.usage ? { usage: outcome.usage } : {}),
      ...runLink(run),
    },
    outcome.results,
  );
}

/** The gates, once, without an implementer to fix them: a failure stops the stream. */
async function gate(run: ActionRun, names: readonly string[], streamId: string, task?: Task): Promise<GateResult[]> {
  const results = await runGateSet(run, names, task);
  if (!firstFailure(results)) return results;
  throw gateFailure(run, streamId, { passed: false, results, attempt: 1 }, task);
}

async function commitAndTick(
  run: ActionRun,
  issueNumber: number,
  stream: Stream,
  tasks: readonly Task[],
  subject: string,
  ledger: ReturnType<typeof gitLedger>,
  facts: CommitFacts = {},
): Promise<void> {
  const ids = tasks.length > 0 ? tasks.map((t) => t.id) : [`stream ${stream.id}’s fix`];
  await run.git.commitAll(taskCommitMessage(subject, issueNumber, tasks, stream.id, facts), BOT_AUTHOR);
  await run.git.push(streamBranch(issueNumber, stream.id));
  if (tasks.length === 0) {
    run.io.info(`${ids.join(', ')}: committed and pushed`);
    return;
  }
  // Never a blind write: every tick the ledger holds, this one included, then read back.
  const ticks = await reconcileTicks(run.github, issueNumber, ledger, { also: tasks.map(taskKey) });
  if (!ticks.settled)
    run.io.warning(
      `${ids.join(', ')}: committed and pushed, but the ticks did not settle; the App or the next run repairs them`,
    );
  else run.io.info(`${ids.join(', ')}: committed, pushed and ticked`);
}

/** The branch's pull request, opened, or updated if it is open already (one per branch). */
export async function openOrUpdatePull(run: ActionRun, branch: string, title: string, body: string): Promise<string> {
  const open = await run.github.pullFrom(branch, 'open');
  if (open) {
    await run.github.updatePull(open.number, { title, body });
    return open.url;
  }
  const created = await run.github.createPull({
    head: branch,
    base: run.defaultBranch,
    title,
    body,
    draft: run.config.pullRequest.draft,
  });
  await run.github.addLabels(created.number, run.config.pullRequest.labels);
  return created.url;
}

/** One check run per gate on `sha`, with the problems the gate's output names as annotations. */
export async function reportChecks(run: ActionRun, sha: string, results: readonly GateResult[]): Promise<void> {
  annotate(run, results);
  for (const result of results) {
    const diagnostics = parseDiagnostics(result.output, run.workspace);
    const output = gateCheckOutput(result, diagnostics.length);
    try {
      await run.github.reportCheckRun({
        name: gateCheckName(result.name),
        headSha: sha,
        conclusion: output.conclusion,
        title: output.title,
        summary: output.summary,
        ...(output.text ? { text: output.text } : {}),
        ...(run.runUrl ? { detailsUrl: run.runUrl } : {}),
        annotations: annotationsOf(diagnostics, result.name),
      });
    } catch (error) {
      // A pull request from a fork gets a read-only token: the summary has to do.
      if (statusOf(error) !== 403) throw error;
      run.io.warning(`check runs cannot be written with this token (${(error as Error).message}); see the job summary`);
      return;
    }
  }
}

/** Workflow annotations for the first problems each gate names (the runner shows ten a step). */
function annotate(run: ActionRun, results: readonly GateResult[]): void {
  for (const result of results) {
    for (const d of parseDiagnostics(result.output, run.workspace).slice(0, 10)) {
      run.io.annotate(d.level === 'failure' ? 'error' : d.level, d.message, {
        file: d.file,
        line: d.line,
        ...(d.column ? { column: d.column } : {}),
        title: result.name,
      });
    }
  }
}

async function reportFailure(run: ActionRun, context: IssueContext, failure: StreamFailure): Promise<void> {
  const { record } = failure;
  if (failure.results.length > 0) {
    // No check runs: the failing task has no commit, and HEAD belongs to someone else (the
    // default branch, a dependency's pull request). The summary and the comment carry it.
    annotate(run, failure.results);
    await run.io.summary(gateSummary(`Stream ${record.stream} failed: ${record.reason}`, failure.results));
  } else {
    await run.io.summary(`### Stream ${record.stream} failed: ${record.reason}\n\n${fenced(record.tail ?? '')}\n`);
  }
  if (record.gate) run.io.output('failed-gate', record.gate);
  await context.github.createComment(context.issueNumber, failureComment(record));
  // The status comment shows the failure, and streams that do not depend on this one go on.
  await advance(context);
}

function runLink(run: ActionRun): { runUrl?: string } {
  return run.runUrl ? { runUrl: run.runUrl } : {};
}
