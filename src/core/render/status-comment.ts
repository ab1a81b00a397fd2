import { CONFIG_PATH } from '../config/parse.js';
import type { Config } from '../config/schema.js';
import type { Divergence } from '../execution/approval.js';
import { gatesOfStream } from '../execution/checks.js';
import { MARKERS } from '../execution/records.js';
import type { StreamView } from '../execution/status.js';
import type { Timeline } from '../execution/timeline.js';
import { formatUsage, hasUsage } from '../execution/usage.js';
import type { WorkSummary } from '../execution/work-summary.js';
import { MAX_BODY_CHARACTERS, type Plan, type Stream } from '../model.js';
import { openTasksOn } from '../plan/critical-path.js';
import { fenced, inlineText, located, percent, progressBar } from './markdown-text.js';
import { mermaidGraph } from './mermaid.js';
import { timelineSection } from './timeline.js';

// The live status comment: a pure function of the plan and the stream views, so any replica can
// rewrite it at any time and get the same text.

export type SystemStatus = Pick<StreamView, 'status' | 'detail' | 'run' | 'failure'>;

export interface StatusReport {
  readonly issue: number;
  readonly plan: Plan;
  readonly streams: ReadonlyMap<string, StreamView>;
  /** Present when `system-gates` are configured. */
  readonly system?: SystemStatus;
  readonly gates: {
    readonly task: readonly string[];
    readonly stream: readonly string[];
    readonly system: readonly string[];
  };
  readonly state: 'active' | 'cancelled';
  /** Set when the plan is not the one a writer approved: nothing new starts. */
  readonly hold?: Divergence;
  /** Why no stream can start (the stream workflow is missing or disabled). */
  readonly problem?: string;
  /** Set when the plan's recorded spend reached the budget: why nothing new starts. */
  readonly budget?: string;
  /** The configured budget, shown beside the spend. */
  readonly budgetLimit?: Config['budget'];
  /** Which attempt passed each task, and what implementers reported spending. */
  readonly work?: WorkSummary;
  /** When the streams ran, the critical path now and the expected finish (the caller computes it from the facts). */
  readonly timeline?: Timeline;
}

export const ICON: Record<StreamView['status'], string> = {
  done: '✅',
  running: '🔄',
  ready: '🟡',
  blocked: '⏸️',
  failed: '❌',
};

/** How much to leave out, in turn, until the comment fits GitHub's limit. */
type Detail = 'full' | 'open-tasks' | 'no-tasks' | 'minimal';

/** The comment, in at most GitHub's limit less `reserve` characters (for what the caller appends). */
export function renderStatusComment(report: StatusReport, reserve = 0): string {
  const limit = MAX_BODY_CHARACTERS - reserve;
  for (const detail of ['full', 'open-tasks', 'no-tasks', 'minimal'] as const) {
    const text = render(report, detail);
    if (text.length <= limit) return text;
  }
  const note = '\n\n…(cut to fit GitHub’s comment limit)\n';
  return render(report, 'minimal').slice(0, limit - note.length) + note;
}

function render(report: StatusReport, detail: Detail): string {
  const { plan, streams } = report;
  const { done, total } = plan.progress;
  const count = (status: StreamView['status']) => [...streams.values()].filter((s) => s.status === status).length;
  const summary = (['done', 'running', 'ready', 'blocked', 'failed'] as const)
    .map((status) => `${count(status)} ${status}`)
    .join(' · ');
  const open = openTasksOn(plan.criticalPath, plan.streams);

  const out: string[] = [MARKERS.status, `### Execution status for #${report.issue}`, ''];
  if (report.state === 'cancelled')
    out.push('> [!WARNING]', '> Cancelled: no new streams start. Add the label again to resume.', '');
  if (report.hold)
    out.push(
      '> [!CAUTION]',
      `> ${holdText(
        report.hold,
        plan.warnings.length,
        plan.streams.some((s) => s.issue !== undefined),
      )}`,
      '',
    );
  if (plan.warnings.length > 0 && detail !== 'minimal') out.push(...warningsSection(plan), '');
  if (report.problem) out.push('> [!CAUTION]', `> ${report.problem}.`, '');
  if (report.budget) out.push('> [!CAUTION]', `> No new task starts: ${inlineText(report.budget)}.`, '');
  if (ungated(report))
    out.push(
      '> [!NOTE]',
      `> No gates configured: every task is committed and ticked as \`implement\` leaves it, unchecked. Define \`gates\` in \`${CONFIG_PATH}\`.`,
      '',
    );
  out.push(
    `**Progress** \`${progressBar(done, total)}\` ${done}/${total} tasks (${percent(done, total)})  `,
    `**Streams** ${summary}  `,
    `**Critical path** ${plan.criticalPath.length > 0 ? `${plan.criticalPath.join(' → ')} (${open} open tasks)` : 'none: every task is done'}${spent(report) ? '  ' : ''}`,
    ...(spent(report) ? [spent(report) as string] : []),
    '',
  );
  if (detail !== 'minimal') {
    out.push(
      '```mermaid',
      mermaidGraph(plan.streams, (s) => streams.get(s.id)?.status ?? 'blocked'),
      '```',
      '',
    );
  }

  for (const stream of plan.streams) {
    const view = streams.get(stream.id);
    if (view) out.push(...streamSection(stream, view, report, detail), '');
  }
  if (report.system) out.push(...systemSection(report.system, report.gates.system, detail), '');
  const timeline = report.timeline && detail !== 'minimal' ? timelineSection(report.timeline, plan) : [];
  if (timeline.length > 0) out.push(...timeline, '');
  if (plan.criteria.length > 0 && detail !== 'minimal') out.push(...criteriaSection(plan), '');
  out.push('#### Next actions', ...nextActions(report).map((line) => `- ${line}`));
  return `${out.join('\n')}\n`;
}

function streamSection(stream: Stream, view: StreamView, report: StatusReport, detail: Detail): string[] {
  const attempt = view.attempt > 1 ? ` (attempt ${view.attempt})` : '';
  const person = waitsForPerson(view);
  const [icon, word] = person ? ['⏸️', 'waiting for a person'] : [ICON[view.status], view.status];
  // A sub-issue's stream links it: its number, which GitHub renders as the issue's title and state.
  const where = stream.issue !== undefined ? ` (#${stream.issue})` : '';
  const lines = [`#### ${icon} ${inlineText(stream.id)} · ${inlineText(stream.title)}${where}: ${word}${attempt}`];
  const usage = report.work?.streams.get(stream.id);
  const links = [
    inlineText(view.detail),
    implementerOf(stream, report),
    `${stream.tasks.filter((t) => t.done).length}/${stream.tasks.length} tasks`,
    usage ? inlineText(formatUsage(usage)) : undefined,
    view.run ? `[run](${view.run.url})` : undefined,
    view.pull ? `PR [#${view.pull.number}](${view.pull.url})` : undefined,
    gateResults(stream, view, report),
  ].filter(Boolean);
  lines.push(links.join(' · '));
  const tasks = detail === 'full' ? stream.tasks : detail === 'open-tasks' ? stream.tasks.filter((t) => !t.done) : [];
  if (tasks.length > 0)
    lines.push(
      '',
      ...tasks.map(
        (t) =>
          `- ${t.done ? '✅' : t.person ? '👤' : '⬜'} \`${t.id}\` ${inlineText(t.title)}${taskWork(t.id, report)}`,
      ),
    );
  if (view.failure && detail !== 'minimal')
    lines.push('', ...failureDetails(view.failure.record, view.failure.url, detail));
  return lines;
}

function systemSection(system: SystemStatus, gates: readonly string[], detail: Detail): string[] {
  const lines = [`#### ${ICON[system.status]} System gates: ${system.status}`];
  lines.push(
    [
      inlineText(system.detail),
      `gates ${gates.map((g) => `\`${g}\``).join(', ')}`,
      system.run ? `[run](${system.run.url})` : undefined,
    ]
      .filter(Boolean)
      .join(' · '),
  );
  if (system.failure && detail !== 'minimal')
    lines.push('', ...failureDetails(system.failure.record, system.failure.url, detail));
  return lines;
}

function failureDetails(failure: { tail?: string | undefined }, url: string, detail: Detail): string[] {
  if (!failure.tail) return [`[failure report](${url})`];
  const tail = detail === 'full' ? failure.tail : failure.tail.split('\n').slice(-20).join('\n');
  return [
    '<details><summary>Output tail</summary>',
    '',
    fenced(tail),
    '',
    `</details>`,
    '',
    `[failure report](${url})`,
  ];
}

/** `**Spent** $0.42 · 12.3k tokens (demo-agent) of a $20 budget`, once anything reported usage. */
function spent(report: StatusReport): string | undefined {
  const total = report.work?.total;
  const limit = report.budgetLimit;
  if (!total || !hasUsage(total))
    return limit ? `**Spent** nothing reported yet, of a ${budgetText(limit)}` : undefined;
  return `**Spent** ${inlineText(formatUsage(total))}${limit ? ` of a ${budgetText(limit)}` : ''}, as implementers reported`;
}

function budgetText(limit: NonNullable<Config['budget']>): string {
  const parts = [
    ...(limit.usd !== undefined ? [`$${limit.usd}`] : []),
    ...(limit.tokens !== undefined ? [`${limit.tokens.toLocaleString('en-US')}-token`] : []),
  ];
  return `${parts.join(' / ')} budget`;
}

/** Who implements the stream, shown once any stream names someone other than the default. */
function implementerOf(stream: Stream, report: StatusReport): string | undefined {
  if (!report.plan.streams.some((s) => s.implementer !== undefined)) return undefined;
  return `by \`${inlineText(stream.implementer ?? 'default')}\``;
}

/** ` · passed on attempt 2 · $0.0300` after a done task, where the ledger says more than that it passed. */
function taskWork(id: string, report: StatusReport): string {
  const work = report.work?.tasks.get(id);
  if (!work) return '';
  const parts = [
    ...(work.attempt > 1 ? [`passed on attempt ${work.attempt}`] : []),
    ...(work.usage ? [inlineText(formatUsage(work.usage))] : []),
  ];
  return parts.length > 0 ? ` · ${parts.join(' · ')}` : '';
}

/** A stream that stopped before a person's step: it waits for them, nothing failed. */
function waitsForPerson(view: StreamView): boolean {
  return view.status === 'failed' && view.failure?.record.person === true;
}

/** A done stream passed its gates (its pull request opens only then); a failure names its gate. */
function gateResults(stream: Stream, view: StreamView, report: StatusReport): string | undefined {
  const gates = gatesOf(stream, report);
  if (gates.length === 0) return undefined;
  const failed = view.failure?.record.gate;
  const mark = (gate: string) => (view.status === 'done' ? '✅ ' : gate === failed ? '❌ ' : '');
  return `gates ${gates.map((g) => `${mark(g)}\`${g}\``).join(', ')}`;
}

function gatesOf(stream: Stream, report: StatusReport): string[] {
  return gatesOfStream(stream, { taskGates: report.gates.task, streamGates: report.gates.stream }).all;
}

/** Nothing checks the work: no gate in the config's lists and none asked for by a stream. */
function ungated(report: StatusReport): boolean {
  const { task, stream, system } = report.gates;
  return task.length + stream.length + system.length === 0 && report.plan.streams.every((s) => s.gates.length === 0);
}

/** How many warnings the comment lists; the rest are counted (plan --json has them all). */
const WARNINGS_LISTED = 20;

function warningsSection(plan: Plan): string[] {
  const listed = plan.warnings.slice(0, WARNINGS_LISTED);
  const more = plan.warnings.length - listed.length;
  return [
    `#### ⚠️ ${plan.warnings.length} ${plan.warnings.length === 1 ? 'warning' : 'warnings'}: structure the plan does not use`,
    '',
    ...listed.map((w) => `- ${located(w)}: ${inlineText(w.message)}`),
    ...(more > 0 ? [`- …and ${more} more (\`execution-coordinator plan\` lists them all)`] : []),
  ];
}

/** Checklists that are criteria (acceptance criteria, a definition of done, …): never ticked here. */
function criteriaSection(plan: Plan): string[] {
  return [
    '#### Left for a person',
    '',
    'These checklist items are criteria, not tasks: the coordinator never runs or ticks them.',
    '',
    ...plan.criteria.map(
      (c) =>
        `- ${c.done ? '☑' : '☐'} ${inlineText(c.title)} (${located(c)}${c.stream ? `, ${inlineText(c.stream)}` : ''})`,
    ),
  ];
}

function holdText(hold: Divergence, warnings: number, subIssues: boolean): string {
  const command = `\`/execute start${hold.key ? ` ${hold.key}` : ''}\``;
  if (hold.unapproved && warnings > 0)
    return `Waiting for approval: the breakdown has ${warnings === 1 ? 'a warning' : `${warnings} warnings`} (below), structure the plan does not use, so the label alone does not start it. Nothing starts until a writer reads them and comments ${command}, or fixes the issue text.`;
  if (hold.unapproved && subIssues)
    return `Waiting for approval: the label carries this issue's words, not its sub-issues', which are read as they stand now. Nothing starts until a writer reviews the sub-issues (their checklists and "blocked by" links) and comments ${command}.`;
  if (hold.unapproved)
    return `Waiting for approval: no writer has approved this plan yet. Nothing new starts until a writer reviews the issue and comments ${command}.`;
  const parts = [
    hold.added.length > 0 ? `added ${hold.added.map(inlineText).join(', ')}` : '',
    hold.changed.length > 0 ? `changed ${hold.changed.map(inlineText).join(', ')}` : '',
    hold.removed.length > 0 ? `removed ${hold.removed.map(inlineText).join(', ')}` : '',
  ].filter(Boolean);
  return `Waiting for approval: the plan changed since a writer approved it (streams ${parts.join('; ')}). Nothing new starts until a writer reviews the change and comments ${command}.`;
}

function nextActions(report: StatusReport): string[] {
  const views = [...report.streams.values()];
  const actions: string[] = [];
  if (report.state === 'cancelled') return ['Label the issue again to resume.'];
  if (report.hold)
    return [
      `A writer reviews the plan and comments \`/execute start${report.hold.key ? ` ${report.hold.key}` : ''}\` to approve it.`,
    ];
  if (report.problem) return ['Fix the stream workflow, then comment `/execute status`.'];
  for (const view of views.filter((v) => v.status === 'failed')) {
    const task = waitsForPerson(view) ? view.failure?.record.task : undefined;
    actions.push(
      task
        ? `Do task ${task} of stream ${view.id} (a person’s step) and tick it, then comment \`/execute retry ${view.id}\`.`
        : `Fix stream ${view.id}, then comment \`/execute retry ${view.id}\`.`,
    );
  }
  if (report.system?.status === 'failed') actions.push('Fix the integration, then comment `/execute retry system`.');
  const running = views.filter((v) => v.status === 'running').map((v) => v.id);
  if (running.length > 0) actions.push(`Wait for ${running.join(', ')} to finish.`);
  const ready = views.filter((v) => v.status === 'ready').map((v) => v.id);
  if (ready.length > 0) actions.push(`${ready.join(', ')} will start as soon as a slot is free (max-parallel).`);
  const waiting = views.filter((v) => v.status === 'done' && !v.complete).map((v) => v.id);
  if (waiting.length > 0) actions.push(`Merge the pull requests of ${waiting.join(', ')} to start their dependents.`);
  if (actions.length === 0)
    actions.push(report.system?.status === 'running' ? 'Wait for the system gates.' : 'Nothing to do.');
  return actions;
}
