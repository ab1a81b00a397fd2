import { blockerRef } from '../src/coordinator/source.js';
import { parseBreakdown } from '../src/core/breakdown/parse.js';
import { subIssueBreakdown } from '../src/core/breakdown/sub-issues.js';
import { streamBranch } from '../src/core/execution/branches.js';
import { decodeRecord } from '../src/core/execution/records.js';
import type { Plan } from '../src/core/model.js';
import { planExecution } from '../src/core/plan/plan.js';
import { percent, progressBar } from '../src/core/render/markdown-text.js';
import type { FakeGitHub } from '../test/support/fake-github.js';

// What the demo shows while the execution runs: one line per stream, from the simulated GitHub's
// state (ticks, runs, pull requests, failure reports) and the runs' own log lines.

/**
 * The latest thing that happened in each stream: a line its run printed, or a tick the view saw
 * on the issue, whichever came last. A tick can land before the run prints that it ticked (the
 * App ticks from the pushed commit too), and the line would then tell of the task before.
 */
export class StreamActivity {
  #latest = new Map<string, string>();
  #ticked = new Map<string, Set<string>>();

  /** A line a stream's run printed. */
  line(stream: string, text: string): void {
    this.#latest.set(stream, text);
  }

  /** The stream's ticked tasks as the view sees them now; a newly ticked one becomes the latest. */
  saw(stream: string, ticked: readonly string[]): void {
    const before = this.#ticked.get(stream);
    const fresh = before ? ticked.filter((id) => !before.has(id)) : [];
    this.#ticked.set(stream, new Set(ticked));
    if (fresh.length > 0) this.#latest.set(stream, `${fresh.join(', ')}: ticked`);
  }

  latest(stream: string): string | undefined {
    return this.#latest.get(stream);
  }
}

export interface LiveState {
  readonly fake: FakeGitHub;
  readonly issue: number;
  readonly activity: StreamActivity;
  readonly elapsedMs: number;
}

/** The issue's plan as the simulated GitHub holds it: its body, or its sub-issues when it has some. */
export function planOnFake(fake: FakeGitHub, issue: number): Plan {
  const children = fake.subIssuesOf(issue).filter((ref) => ref.repo === fake.slug);
  if (children.length === 0) return planExecution(parseBreakdown(fake.issue(issue).body));
  const subIssues = children.map(({ number }) => {
    const child = fake.issue(number);
    return {
      number,
      title: child.title,
      body: child.body,
      state: child.state,
      stateReason: child.stateReason ?? null,
      blockedBy: fake.blockedByOf(number).map((b) => blockerRef(fake.slug, b)),
    };
  });
  return planExecution(subIssueBreakdown({ body: fake.issue(issue).body }, subIssues));
}

export function liveView(state: LiveState): string[] {
  const { fake, issue } = state;
  const plan = planOnFake(fake, issue);
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
    state.activity.saw(
      stream.id,
      stream.tasks.filter((t) => t.done).map((t) => t.id),
    );
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
        ? (state.activity.latest(stream.id) ?? word)
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
