import type { Plan } from '../core/model.js';
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
  out.push('```mermaid', mermaidGraph(plan.streams), '```', '');
  return out.join('\n');
}

function streamRows(plan: Plan): string[][] {
  return plan.streams.map((s) => [
    s.id,
    s.title,
    count(s.tasks.length, 'task'),
    s.dependsOn.length > 0 ? `after ${s.dependsOn.join(', ')}` : 'no dependencies',
    s.gates.length > 0 ? `gates ${s.gates.join(', ')}` : '',
    `line ${s.line}`,
  ]);
}

export function renderErrors(plan: Plan, source: string): string {
  const lines = plan.errors.map((e) => `${source}:${e.line}:${e.column}: error: ${e.message}`);
  lines.push(`${count(plan.errors.length, 'error')} in ${source}`);
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
