import { parseBreakdown } from '../src/core/breakdown/parse.js';
import { streamBranch } from '../src/core/execution/branches.js';
import { decodeRecord } from '../src/core/execution/records.js';
import { planExecution } from '../src/core/plan/plan.js';
import { percent, progressBar } from '../src/core/render/markdown-text.js';
import type { FakeGitHub } from '../test/support/fake-github.js';

// What the demo shows while the execution runs: one line per stream, from the simulated GitHub's
// state (ticks, runs, pull requests, failure reports) and the runs' own log lines.

export interface LiveState {
  readonly fake: FakeGitHub;
  readonly issue: number;
  /** The latest log line of each stream's run. */
  readonly activity: ReadonlyMap<string, string>;
  readonly elapsedMs: number;
}

export function liveView(state: LiveState): string[] {
  const { fake, issue } = state;
  const plan = planExecution(parseBreakdown(fake.issue(issue).body));
  const lines = [
    `Progress ${progressBar(plan.progress.done, plan.progress.total)} ${plan.progress.done}/${plan.progress.total} tasks (${percent(plan.progress.done, plan.progress.total)})   ${(state.elapsedMs / 1000).toFixed(1)} s`,
    '',
  ];
  const width = Math.max(
    ...plan.streams.map((s) => `${s.id}  ${s.title}`.length),
    'system  all streams together'.length,
  );
  const done = new Set(plan.streams.filter((s) => s.tasks.every((t) => t.done)).map((s) => s.id));
  for (const stream of [
    ...plan.streams,
    { id: 'system', title: 'all streams together', dependsOn: plan.streams.map((s) => s.id), tasks: [] },
  ]) {
    const branch = streamBranch(issue, stream.id);
    const run = [...fake.runs].reverse().find((r) => r.branch === branch);
    const pull = fake.pulls.find((p) => p.head === branch);
    const ticked = stream.tasks.filter((t) => t.done).length;
    const waiting = stream.dependsOn.filter((d) => !done.has(d));
    const [icon, word] =
      pull && (stream.tasks.length === 0 || ticked === stream.tasks.length)
        ? ['✅', 'done']
        : run?.status === 'completed' && run.conclusion !== 'success'
          ? ['❌', 'failed']
          : run
            ? ['🔄', run.status === 'queued' ? 'queued' : 'running']
            : waiting.length > 0
              ? ['⏸️ ', `waiting for ${waiting.join(', ')}`]
              : ['·', 'not started'];
    const tasks = stream.tasks.length > 0 ? `${ticked}/${stream.tasks.length}` : '   ';
    const failure = word === 'failed' ? latestFailure(fake, issue, stream.id) : undefined;
    const detail = failure
      ? `failed: ${failure}`
      : word === 'running'
        ? (state.activity.get(stream.id) ?? word)
        : pull
          ? `PR #${pull.number}`
          : word;
    lines.push(`  ${`${stream.id}  ${stream.title}`.padEnd(width)}  ${icon} ${tasks}  ${detail}`.slice(0, 118));
  }
  return lines;
}

function latestFailure(fake: FakeGitHub, issue: number, stream: string): string | undefined {
  const records = fake.commentsOn(issue).map((c) => decodeRecord(c.body));
  const last = records.filter((r) => r?.kind === 'failure' && r.record.stream === stream).at(-1);
  return last?.kind === 'failure' ? last.record.reason : undefined;
}
