import type { Diagnostic, Plan } from '../core/model.js';
import { openTasksOn } from '../core/plan/critical-path.js';
import { mermaidGraph } from '../core/render/mermaid.js';

// The human output of `plan`: what a maintainer checks before labelling the issue.

export function renderPlan(plan: Plan, source: string): string {
  const { done, total } = plan.progress;
  const out: string[] = [];
  if (plan.errors.length > 0) {
    // Waves and a critical path of a breakdown that cannot run would read as a plan: they are not.
    out.push(
      `${source}: not a plan yet: ${count(plan.errors.length, 'error')} (on standard error); what was read so far:`,
      '',
    );
    if (plan.streams.length > 0) out.push('Streams', ...table(streamRows(plan)).map((row) => `  ${row}`), '');
    out.push(...criteriaLines(plan));
    return out.join('\n');
  }
  out.push(`${source}: ${count(plan.streams.length, 'stream')}, ${count(total, 'task')} (${done} done)`, '');

  out.push('Streams', ...table(streamRows(plan)).map((row) => `  ${row}`), '');

  out.push('Waves');
  plan.waves.forEach((wave, index) => {
    out.push(`  ${index + 1}. ${wave.join(', ')}`);
  });
  if (plan.waves.length === 0) out.push('  (none can start)');
  out.push('');

  const open = openTasksOn(plan.criticalPath, plan.streams);
  out.push(
    plan.criticalPath.length > 0
      ? `Critical path: ${plan.criticalPath.join(' → ')} (${count(open, 'open task')})`
      : 'Critical path: none (every task is done)',
    '',
  );
  out.push(...criteriaLines(plan));
  if (plan.warnings.length > 0)
    out.push(
      `${count(plan.warnings.length, 'warning')} (on standard error): the App waits for a writer’s \`/execute start\` before running this plan (\`start-with-warnings: true\` in the config starts it anyway).`,
      '',
    );
  out.push('```mermaid', mermaidGraph(plan.streams), '```', '');
  return out.join('\n');
}

/** Checklists that are criteria, not work: listed for a person, never ticked by the coordinator. */
function criteriaLines(plan: Plan): string[] {
  const out: string[] = [];
  if (plan.summary.length > 0)
    out.push(
      'Summary checklist (each item ticked when the unit it names completes)',
      ...plan.summary.map(
        (s) => `  line ${s.line}  [${s.done ? 'x' : ' '}] ${s.title}  → ${s.stream ?? '(no such stream)'}`,
      ),
      '',
    );
  if (plan.criteria.length > 0)
    out.push(
      'Criteria (left for a person; never ticked)',
      ...plan.criteria.map(
        (c) => `  line ${c.line}  [${c.done ? 'x' : ' '}] ${c.title}${c.stream ? `  (in ${c.stream})` : ''}`,
      ),
      '',
    );
  return out;
}

function streamRows(plan: Plan): string[][] {
  return plan.streams.map((s) => [
    s.id,
    s.title,
    count(s.tasks.length, 'task') +
      (s.tasks.some((t) => t.person) ? ` (${s.tasks.filter((t) => t.person).length} a person’s)` : ''),
    s.dependsOn.length > 0 || s.external
      ? `after ${[...s.dependsOn, ...(s.external ?? [])].join(', ')}`
      : 'no dependencies',
    s.gates.length > 0 ? `gates ${s.gates.join(', ')}` : '',
    // A sub-issue's stream is that issue (done, when it is closed as completed); others, a line.
    s.issue !== undefined ? `#${s.issue}${s.closed ? ' (closed)' : ''}` : `line ${s.line}`,
  ]);
}

/** Errors, then warnings, each as `file:line:column: kind: message`, then the counts. */
export function renderDiagnostics(plan: Plan, source: string): string {
  // A problem in a sub-issue's body is located there: `owner/repo#12` becomes `owner/repo#13`.
  const where = (d: Diagnostic) => (d.issue === undefined ? source : source.replace(/#\d+$/, `#${d.issue}`));
  const lines = [
    ...plan.errors.map((e) => `${where(e)}:${e.line}:${e.column}: error: ${e.message}`),
    ...plan.warnings.map((w) => `${where(w)}:${w.line}:${w.column}: warning: ${w.message}`),
  ];
  const counts = [
    plan.errors.length > 0 ? count(plan.errors.length, 'error') : '',
    plan.warnings.length > 0 ? count(plan.warnings.length, 'warning') : '',
  ].filter(Boolean);
  lines.push(`${counts.join(' and ')} in ${source}`);
  return `${lines.join('\n')}\n`;
}

function count(n: number, noun: string): string {
  return `${n} ${noun}${n === 1 ? '' : 's'}`;
}

function table(rows: readonly (readonly string[])[]): string[] {
  const widths = rows.reduce<number[]>((w, row) => row.map((cell, i) => Math.max(w[i] ?? 0, [...cell].length)), []);
  return rows.map((row) =>
    row
      .map((cell, i) => cell + ' '.repeat((widths[i] ?? 0) - [...cell].length))
      .join('  ')
      .trimEnd(),
  );
}
