import { advance } from '../coordinator/advance.js';
import { readSource } from '../coordinator/source.js';
import { branchPrefix, SYSTEM_STREAM, streamBranch } from '../core/execution/branches.js';
import type { GateResult } from '../core/gates/result.js';
import { firstFailure } from '../core/gates/result.js';
import { failureComment } from '../core/render/comments.js';
import { gateSummary, gateTable, outputTail } from '../core/render/gate-report.js';
import { runGates } from './gate-runner.js';
import { type ActionRun, BOT_AUTHOR } from './io.js';
import { issueContextOf, openOrUpdatePull, reportChecks, type StreamOutcome } from './stream.js';

// The system run: every stream passes alone, but do they pass together? All stream branches are
// merged into execute/<issue>/integration, the system gates run there, and an integration pull
// request shows the result. A conflict names the streams that collide.

export async function runSystem(run: ActionRun, issueNumber: number): Promise<StreamOutcome> {
  const context = issueContextOf(run, issueNumber);
  const { plan } = await readSource(context);
  const { git } = run;
  await git.syncTo(streamBranch(issueNumber, SYSTEM_STREAM));
  const branches = new Set(await git.fetchBranches(branchPrefix(issueNumber)));
  const base = await git.head();

  const fail = async (reason: string, results: readonly GateResult[], gate?: string) => {
    const failed = results.find((r) => r.name === gate);
    await run.github.createComment(
      issueNumber,
      failureComment({
        stream: SYSTEM_STREAM,
        phase: 'run',
        reason,
        ...(gate ? { gate } : {}),
        ...(failed ? { tail: outputTail(failed) } : {}),
        ...(run.runUrl ? { runUrl: run.runUrl } : {}),
      }),
    );
    if (gate) run.io.output('failed-gate', gate);
    await run.io.summary(
      results.length > 0
        ? gateSummary(`System gates failed: ${reason}`, results)
        : `### System run failed\n\n${reason}\n`,
    );
    await advance(context);
    return { tasksDone: plan.progress.done, failure: reason, ...(gate ? { failedGate: gate } : {}) };
  };

  const merged: string[] = [];
  for (const stream of plan.streams) {
    const branch = streamBranch(issueNumber, stream.id);
    if (!branches.has(branch)) continue; // done by hand: nothing to merge
    const ref = `refs/remotes/origin/${branch}`;
    const { conflicts } = await git.merge(
      ref,
      `Merge stream ${stream.id} into the integration of #${issueNumber}`,
      BOT_AUTHOR,
    );
    if (conflicts.length > 0) {
      // Which streams already merged touched the same files?
      const culprits: string[] = [];
      for (const other of merged) {
        const otherRef = `refs/remotes/origin/${streamBranch(issueNumber, other)}`;
        const files = await git.changedFiles(base, otherRef);
        if (files.some((f) => conflicts.includes(f))) culprits.push(other);
      }
      const names =
        culprits.length > 0
          ? `streams ${[...culprits, stream.id].join(' and ')}`
          : `stream ${stream.id} and the default branch`;
      return fail(`merge conflict: ${names} change ${conflicts.join(', ')} in ways that do not merge`, []);
    }
    merged.push(stream.id);
  }
  await git.push(streamBranch(issueNumber, SYSTEM_STREAM));

  const results = await runGates(run.config.gates, run.config.systemGates, {
    cwd: run.workspace,
    env: run.env,
    mask: (text) => run.masker.mask(text),
    sandbox: run.sandbox,
    onStart: (name) => run.io.info(`system gate ${name}: started`),
  });
  await reportChecks(run, await git.head(), results);
  const failed = firstFailure(results);
  if (failed)
    return fail(
      `system gate \`${failed.name}\` ${failed.outcome === 'timed-out' ? 'timed out' : 'failed'} on all streams merged together`,
      results,
      failed.name,
    );

  const branch = streamBranch(issueNumber, SYSTEM_STREAM);
  const title = `Integration of #${issueNumber}: ${merged.length} streams together`;
  const body = [
    `All streams of #${issueNumber} merged together, with the system gates run on the result.`,
    '',
    `Streams: ${merged.join(', ') || 'none (all done by hand)'}`,
    '',
    gateTable(results),
    '',
    `Refs #${issueNumber}`,
  ].join('\n');
  const pull = await openOrUpdatePull(run, branch, title, body);
  await run.io.summary(gateSummary('System gates passed', results));
  await advance(context);
  run.io.output('pull-request', pull);
  run.io.output('tasks-done', String(plan.progress.done));
  return { tasksDone: plan.progress.done, pullRequest: pull };
}
