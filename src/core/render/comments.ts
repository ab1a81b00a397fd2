import { CONFIG_PATH } from '../config/parse.js';
import {
  type ApprovalRecord,
  encodeRecord,
  type FailureRecord,
  MARKERS,
  type RetryRecord,
} from '../execution/records.js';
import type { StreamView } from '../execution/status.js';
import type { Timeline } from '../execution/timeline.js';
import { formatUsage, hasUsage } from '../execution/usage.js';
import type { WorkSummary } from '../execution/work-summary.js';
import type { Diagnostic, Plan } from '../model.js';
import { fenced, inlineText, located } from './markdown-text.js';
import { whatRanSection } from './timeline.js';

// The one-off comments: why a breakdown cannot run, why a request was refused, a failure or a
// retry record, and the final report.

/** How many problems a complaint lists (each at most a few hundred characters). */
const ERRORS_LISTED = 50;

export function invalidBreakdownComment(errors: readonly Diagnostic[], label: string): string {
  return [
    MARKERS.invalid,
    `### ⚠️ This breakdown cannot run yet`,
    '',
    `${errors.length} ${errors.length === 1 ? 'problem' : 'problems'} in the issue body:`,
    '',
    // The first ones: a comment has a size limit, and the rest are of the same kinds.
    ...errors.slice(0, ERRORS_LISTED).map((e) => `- ${located(e)}: ${inlineText(e.message)}`),
    ...(errors.length > ERRORS_LISTED ? [`- … and ${errors.length - ERRORS_LISTED} more`] : []),
    '',
    `Edit the issue body to fix ${errors.length === 1 ? 'it' : 'them'}; the \`${inlineText(label)}\` label stays, and execution starts once the breakdown is valid.`,
    '',
  ].join('\n');
}

export function configErrorComment(errors: readonly string[]): string {
  return [
    MARKERS.invalid,
    '### ⚠️ The configuration cannot be used',
    '',
    ...errors.map((e) => `- ${inlineText(e)}`),
    '',
    `Fix \`${CONFIG_PATH}\` on the default branch, then add the label again.`,
    '',
  ].join('\n');
}

export function refusalComment(login: string, action: string, reason: string, next = ''): string {
  return [MARKERS.refusal, `@${login} cannot ${action}: ${reason}. Nothing was run.${next ? ` ${next}` : ''}`, ''].join(
    '\n',
  );
}

/** Why no stream can start when the stream workflow is not there to run; undefined when it is. */
export function workflowProblem(workflow: string, state: string): string | undefined {
  const name = `\`${inlineText(workflow)}\``;
  if (state === 'active') return undefined;
  if (state.startsWith('disabled'))
    return `The stream workflow ${name} is disabled (\`${inlineText(state)}\`): enable it in the repository's Actions tab, or with \`gh workflow enable ${inlineText(workflow)}\``;
  return `The stream workflow ${name} does not exist on the default branch (renamed or deleted?): restore it, or set \`workflow:\` in \`${CONFIG_PATH}\` to its file name`;
}

/** The one comment that says the streams cannot start, and how to fix it (edited when fixed). */
export function workflowComment(problem: string | undefined): string {
  return problem
    ? [
        MARKERS.workflow,
        '### ⚠️ No stream can start',
        '',
        `${problem}.`,
        '',
        'Nothing new starts until then; comment `/execute status` once it is fixed (the periodic sweep also notices).',
        '',
      ].join('\n')
    : `${MARKERS.workflow}\n✅ The stream workflow can run again; execution goes on.\n`;
}

/** What a writer does about a change to the plan that nobody with write access approved. */
export const APPROVE_HINT =
  'Nothing new starts until a writer reviews the issue and approves the plan as it stands with `/execute start <key>` (the status comment gives the key).';

/** The approval record: what runs, and who said so. */
export function approvalComment(record: ApprovalRecord): string {
  const streams = Object.keys(record.streams);
  return [
    encodeRecord('approval', record),
    `✅ @${inlineText(record.by)} approved this plan: ${streams.length} ${streams.length === 1 ? 'stream' : 'streams'} (${streams.map(inlineText).join(', ')}).`,
    '',
    'Only the approved plan runs. A change to its streams or tasks by someone without write access waits until a writer approves it with `/execute start <key>` (the status comment gives the key); a writer’s own edit of the approved plan is approved with it.',
    '',
  ].join('\n');
}

export function failureComment(record: FailureRecord): string {
  if (record.budget)
    return [
      encodeRecord('failure', record),
      `### ⏸️ Stream ${inlineText(record.stream)} stopped: budget reached`,
      '',
      inlineText(record.reason),
      ...(record.runUrl ? ['', `[The run](${record.runUrl})`] : []),
      '',
    ].join('\n');
  if (record.person)
    return [
      encodeRecord('failure', record),
      `### ⏸️ Stream ${inlineText(record.stream)} waits for a person`,
      '',
      inlineText(record.reason),
      ...(record.runUrl ? ['', `[The run](${record.runUrl})`] : []),
      '',
    ].join('\n');
  const lines = [
    encodeRecord('failure', record),
    `### ❌ Stream ${inlineText(record.stream)} failed`,
    '',
    inlineText(record.reason),
  ];
  if (record.attempts !== undefined && record.attempts > 1)
    lines.push('', `implement had ${record.attempts} attempts at it; each one’s gate output is in the run’s summary.`);
  if (record.tail) lines.push('', '<details><summary>Output tail</summary>', '', fenced(record.tail), '', '</details>');
  if (record.runUrl) lines.push('', `[The run](${record.runUrl})`);
  lines.push('', `Fix it, then comment \`/execute retry ${record.stream}\` to run the stream again.`, '');
  return lines.join('\n');
}

export function retryComment(record: RetryRecord): string {
  return [
    encodeRecord('retry', record),
    record.reason
      ? `🔁 Retrying stream ${inlineText(record.stream)} (attempt ${record.attempt}): ${inlineText(record.reason)}.`
      : `🔁 Retrying stream ${inlineText(record.stream)} (attempt ${record.attempt}), as @${inlineText(record.by)} asked.`,
    '',
  ].join('\n');
}

export interface GateTally {
  readonly passed: number;
  readonly total: number;
}

export function finalReportComment(
  plan: Plan,
  streams: ReadonlyMap<string, StreamView>,
  gates: GateTally,
  timeline?: Timeline,
  work?: WorkSummary,
): string {
  // What implementers reported spending, in a column of its own once any of them did.
  const spent = work !== undefined && hasUsage(work.total);
  const fixed = work ? [...work.tasks.values()].filter((t) => t.attempt > 1).length : 0;
  const rows = plan.streams.map((s) => {
    const view = streams.get(s.id);
    const pull = view?.pull ? `[#${view.pull.number}](${view.pull.url})` : '—';
    const usage = work?.streams.get(s.id);
    const cost = spent ? ` ${usage ? inlineText(formatUsage(usage)) : '—'} |` : '';
    return `| ${inlineText(s.id)} · ${inlineText(s.title).replaceAll('|', '\\|')} | ${s.tasks.length} | ${pull} |${cost}`;
  });
  return [
    MARKERS.final,
    '### ✅ Execution complete',
    '',
    `All ${plan.progress.total} tasks in ${plan.streams.length} streams are done; gates passed ${gates.passed}/${gates.total}.`,
    ...(fixed > 0
      ? [
          '',
          `${fixed === 1 ? 'One task' : `${fixed} tasks`} passed after a fix attempt: the gates sent the failure back to implement.`,
        ]
      : []),
    ...(spent ? ['', `**Spent** ${inlineText(formatUsage(work.total))}, as implementers reported.`] : []),
    '',
    `| Stream | Tasks | Pull request |${spent ? ' Spent |' : ''}`,
    `| --- | --- | --- |${spent ? ' --- |' : ''}`,
    ...rows,
    '',
    ...(timeline ? whatRanSection(timeline) : []),
    ...leftForAPerson(plan),
  ].join('\n');
}

/** The criteria the breakdown lists (acceptance criteria, a definition of done): a person's to check. */
function leftForAPerson(plan: Plan): string[] {
  const open = plan.criteria.filter((c) => !c.done);
  if (open.length === 0) return [];
  return [
    `**Left for a person:** ${open.length === 1 ? 'one criterion' : `${open.length} criteria`} the coordinator does not check or tick:`,
    '',
    ...open.map((c) => `- ☐ ${inlineText(c.title)} (${located(c)})`),
    '',
  ];
}
