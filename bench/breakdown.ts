import { marked } from 'marked';
import { fromMarkdown } from 'mdast-util-from-markdown';
import { gfmTaskListItemFromMarkdown } from 'mdast-util-gfm-task-list-item';
import { gfmTaskListItem } from 'micromark-extension-gfm-task-list-item';
import { parseBreakdown, planExecution, tickTasks } from '../src/index.js';
import { type Figure, medians } from './figure.js';
import { largeBreakdown } from './large-breakdown.js';

export function breakdownFigures(): Figure[] {
  const body = largeBreakdown();
  const plan = planExecution(parseBreakdown(body));
  if (plan.errors.length > 0) throw new Error(`the benchmark breakdown is invalid: ${plan.errors[0]?.message}`);
  const tasks = plan.progress.total;
  const open = plan.streams.flatMap((s) => s.tasks.filter((t) => !t.done).map((t) => t.id)).slice(0, 16);

  const time = medians(
    {
      ours: () => planExecution(parseBreakdown(body)),
      marked: () => marked.lexer(body),
      mdast: () =>
        fromMarkdown(body, { extensions: [gfmTaskListItem()], mdastExtensions: [gfmTaskListItemFromMarkdown()] }),
      tick: () => tickTasks(body, open),
    },
    30,
  );
  const size = `${body.length.toLocaleString('en-US')}-character body, ${tasks} tasks in ${plan.streams.length} streams`;
  return [
    { name: `breakdown parse+plan (${size}), median`, value: time.ours as number, unit: 'ms', goal: '≤ marked.lexer' },
    { name: 'marked.lexer on the same body, median', value: time.marked as number, unit: 'ms', goal: null },
    {
      name: 'mdast-util-from-markdown + GFM task lists on the same body, median',
      value: time.mdast as number,
      unit: 'ms',
      goal: null,
    },
    {
      name: 'breakdown parse+plan / marked.lexer',
      value: Math.round(((time.ours as number) / (time.marked as number)) * 1000) / 1000,
      unit: 'ratio',
      goal: '≤ 1.0',
    },
    { name: `tickTasks of 16 tasks (${size}), median`, value: time.tick as number, unit: 'ms', goal: null },
  ];
}
