import { marked } from 'marked';
import { fromMarkdown } from 'mdast-util-from-markdown';
import { gfmTaskListItemFromMarkdown } from 'mdast-util-gfm-task-list-item';
import { gfmTaskListItem } from 'micromark-extension-gfm-task-list-item';
import { parseBreakdown, planExecution, tickTasks } from '../src/index.js';
import { ADVERSARIAL_BODIES, ordinaryBody } from '../test/support/adversarial.js';
import { type Figure, medians } from './figure.js';
import { largeBreakdown } from './large-breakdown.js';

export function breakdownFigures(): Figure[] {
  const body = largeBreakdown();
  const plan = planExecution(parseBreakdown(body));
  if (plan.errors.length > 0) throw new Error(`the benchmark breakdown is invalid: ${plan.errors[0]?.message}`);
  const tasks = plan.progress.total;
  const open = plan.streams.flatMap((s) => s.tasks.filter((t) => !t.done).map((t) => t.id)).slice(0, 16);

  // ours and marked side by side, round-robin; mdast apart: the tree it builds is garbage that
  // whichever parser ran after it paid for, and its figure is only for scale.
  const time = {
    ...medians(
      {
        ours: () => planExecution(parseBreakdown(body)),
        marked: () => marked.lexer(body),
        tick: () => tickTasks(body, open),
      },
      60,
      // Long enough for the JIT to have settled on all three: the bench starts here, cold. With
      // 25 rounds the ratio still moved run to run (0.40–0.55 in four fresh processes) while the
      // parser's code was tiering up; with 100, 0.43–0.47.
      100,
    ),
    ...medians(
      {
        mdast: () =>
          fromMarkdown(body, { extensions: [gfmTaskListItem()], mdastExtensions: [gfmTaskListItemFromMarkdown()] }),
      },
      10,
    ),
  };
  const size = `${body.length.toLocaleString('en-US')}-character body, ${tasks} tasks in ${plan.streams.length} streams`;
  return [
    {
      name: `breakdown parse+plan (${size}), median`,
      value: time.ours as number,
      unit: 'ms',
      goal: '≤ 0.6 × marked.lexer',
    },
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
      goal: '≤ 0.6',
    },
    { name: `tickTasks of 16 tasks (${size}), median`, value: time.tick as number, unit: 'ms', goal: null },
  ];
}

/**
 * Text built to make a backtracking pattern explode, against an ordinary breakdown of the same
 * size (65,536 characters, GitHub's limit), measured round-robin in one run: the worst ratio.
 */
export function adversarialFigures(): Figure[] {
  const read = (body: string) => () => planExecution(parseBreakdown(body));
  const time = medians(
    {
      ordinary: read(ordinaryBody()),
      ...Object.fromEntries(Object.entries(ADVERSARIAL_BODIES).map(([name, body]) => [name, read(body)])),
    },
    15,
    3,
  );
  const ordinary = time.ordinary as number;
  const [worst, ms] = Object.entries(time)
    .filter(([name]) => name !== 'ordinary')
    .sort((a, b) => b[1] - a[1])[0] as [string, number];
  return [
    { name: 'ordinary 65,536-character breakdown, parse+plan, median', value: ordinary, unit: 'ms', goal: null },
    {
      name: `worst adversarial body (${worst}) / ordinary body of the same size, parse+plan medians (${Object.keys(ADVERSARIAL_BODIES).length} adversarial bodies)`,
      value: Math.round((ms / ordinary) * 100) / 100,
      unit: 'ratio',
      goal: '≤ 5',
    },
  ];
}
