// Inputs built to make a backtracking pattern go quadratic (or worse), each as large as GitHub
// allows, with an ordinary input of the same size to compare with in the same run. Every text
// from outside is here: issue bodies, comments, commit messages.

const MAX = 65_536;

/** Pads `head` with `unit` up to `size` characters, then appends `tail`. */
function fill(head: string, unit: string, tail: string, size = MAX): string {
  const room = size - head.length - tail.length;
  return head + unit.repeat(Math.floor(room / unit.length)) + tail;
}

/** Blank lines up to the size limit: for units too long to fill it exactly. */
function padded(text: string): string {
  return text + '\n'.repeat(MAX - text.length);
}

/** Issue bodies: each is a whole breakdown that parses (or fails) with line and column. */
export const ADVERSARIAL_BODIES: Record<string, string> = {
  'heading of [': fill('## ', '[', '\n- [ ] Task 1: a\n'),
  'heading of (after ': fill('## A ', '(after ', '\n- [ ] Task 1: a\n'),
  'heading of (depends on + spaces': fill('## A (depends on', ' ', 'x\n- [ ] Task 1: a\n'),
  'heading of Stream + spaces': fill('## Stream A', ' ', 'x\n- [ ] Task 1: a\n'),
  'dependency line of )': fill('## A\nDepends on: ', ')', 'x\n- [ ] Task 1: a\n'),
  'dependency line of words': fill('## A\n- [ ] Task 1: a\n\n## B\nDepends on: ', 'a ', 'x\n- [ ] Task 2: b\n'),
  'dependency line of spaces': fill('## A\nDepends on:', ' ', 'x\n- [ ] Task 1: a\n'),
  'dependency line of [a](': fill('## A\nDepends on: ', '[a](', 'x\n- [ ] Task 1: a\n'),
  'emphasis run': fill('## A\nDepends on: ', 'a_', 'x\n- [ ] Task 1: a\n'),
  'gates line of commas': fill('## A\nGates: ', ',', 'x\n- [ ] Task 1: a\n'),
  'gate name of dots': fill('## A\nGates: ', '.', 'x\n- [ ] Task 1: a\n'),
  'gates line of distinct names': fill('## A\nGates: ', 'g ', 'x\n- [ ] Task 1: a\n').replace(
    /g /g,
    (_, i) => `g${i} `,
  ),
  'heading of # runs': fill('## A', ' #', '#x\n- [ ] Task 1: a\n'),
  'dependency lines at their length limit': padded(
    fill('## A\n- [ ] Task 1: a\n\n', `## B\nDepends on: ${'a '.repeat(1_995)}\n- [ ] t\n`, ''),
  ),
  'task of spaces': fill('- [ ] Task 1:', ' ', 'x\n'),
  'list marker spaces': fill('-', ' ', '[ ] x\n'),
  'nested lists': fill('', '- ', '[ ] x\n'),
  'nested quotes': fill('', '> ', '- [ ] x\n'),
  'many tasks': fill('## A\n', '- [ ] t\n', ''),
  'many headings': fill('', '## a\n- [ ] t\n', ''),
  backticks: fill('- [ ] Task 1: ', '`', 'x\n'),
  'html open': fill('- [ ] Task 1: a\n', '<div>', '\n'),
  // The readers of units, criteria, ids, a person's steps and the warnings.
  'bold labels': fill('', '**a**\n- [ ] t\n\n', ''),
  'bold fields on one line': fill('## Phase 1\n- [ ] t\n## Phase 2\n', '**Depends on**: Phase 1 ', '\n- [ ] u\n'),
  'numbered units': fill('', '## Phase 1\n- [ ] t\n', ''),
  'task ids that name each other': fill('## Phase 1\n', '- [ ] T001 x (depends on T001)\n', ''),
  'title of order words': fill('## A\n- [ ] Task 1: ', 'depends on ', 'x\n'),
  'title of person words': fill('## A\n- [ ] Task 1: ', 'ask ', 'x\n'),
  'table header of pipes': fill('- [ ] t\n\n', '| a ', '|\n| --- |\n'),
  'front matter of keys': fill('---\n', 'todos:\n', '---\n- [ ] t\n'),
  // No checkboxes at all: the refusal converts the document to show one item rewritten.
  'plain items under a unit heading': fill('## Phase 1\n', '- item\n', ''),
  'a table of steps': fill('## Steps\n| Step | What |\n| --- | --- |\n', '| 1 | x |\n', ''),
  'front matter todos': fill('---\ntodos:\n', '  - id: a\n    content: b\n', '---\n'),
  'a YAML list of tasks': fill('## Plan\n```yaml\n', '- id: a\n  title: b\n  depends-on: [a]\n', '```\n'),
  '<task> blocks': fill('', '<task type="auto">\n<name>x</name>\n</task>\n', ''),
  'unclosed yaml fences': fill('', '```yaml\nTask 1: x\n', ''),
  // What a hostile review found cubic or quadratic (and fixed): keep them here.
  'a fence of blank lines': fill('## A\n- [ ] t\n```\n', '\n', '```\n'),
  'a fence line of spaces': fill('## A\n- [ ] t\n```\n', ' ', 'x\n```\n'),
  'a front matter line of spaces': fill('---\n', ' ', 'x\n---\n- [ ] t\n'),
  'a front matter key of spaces': fill('---\na:', ' ', 'x\n---\n- [ ] t\n'),
  'a label of spaces over a list': fill('## Steps\nx:', ' ', '\ny\n\n- a\n'),
  'a task-master subtask of spaces': fill('# Task ID: 1\n# Title: t\n## 1. a', ' ', 'x\n'),
  'a YAML alias bomb': padded(
    `## Plan\n\`\`\`yaml\nx: &u {id: 1, title: x}\ny: &s [${'*u,'.repeat(2_000)}*u]\nz: &t {id: 1, title: x, subtasks: *s}\ntasks: [${'*t,'.repeat(2_000)}*t]\n\`\`\`\n`,
  ),
  'many issues to wait for': fill('## A\n- [ ] t\n## B\nDepends on: ', '#1 ', '\n- [ ] u\n').replace(
    /#1 /g,
    (_, i) => `#${i} `,
  ),
};

/** An ordinary breakdown of the same size: streams, dependencies, prose, tasks. */
export function ordinaryBody(size = MAX): string {
  const parts: string[] = [];
  let length = 0;
  for (let i = 0; length < size - 400; i++) {
    const part = [
      `## Stream S${i}: Part ${i} of the work`,
      i > 0 ? `Depends on: Stream S${i - 1}` : 'Depends on: None',
      'Some prose about what this stream does, with **bold** and a [link](https://example.com).',
      ...Array.from({ length: 20 }, (_, k) => `- [ ] Task ${i * 20 + k + 1}: Do thing ${k} carefully`),
      '',
    ].join('\n');
    parts.push(part);
    length += part.length + 1;
  }
  return parts.join('\n').slice(0, size);
}

/** Comments: each is as long as GitHub allows a comment to be. */
export const ADVERSARIAL_COMMENTS: Record<string, string> = {
  '/execute + spaces': fill('/execute a', ' ', 'x'),
  '/execute + spaced words': fill('/execute', ' a', ' x'),
  'lines of /execute': fill('', '/execute retry\n', 'x'),
  'quote of /execute': fill('', '> /execute status ', 'x'),
};

export function ordinaryComment(size = MAX): string {
  return fill('Looks good to me. ', 'Some words of review here. ', '\n/execute status\n', size);
}

/** Commit messages (the push handler reads their trailers). */
export const ADVERSARIAL_MESSAGES: Record<string, string> = {
  'trailer + spaces': fill('Task\n\nExecute-Issue: 1\nExecute-Task: a', ' ', 'x'),
  'trailer + tabs': fill('Task\n\nExecute-Task:', '\t', 'x\nExecute-Issue: 1'),
  'many blank-ish lines': fill('Task\n', '\n \t', 'Execute-Issue: 1\nExecute-Task: A.1'),
};

export function ordinaryMessage(size = MAX): string {
  return fill(
    'Task 1: a subject\n\n',
    'A line of the body that says what changed.\n',
    '\nExecute-Issue: 1\nExecute-Task: A.1\n',
    size,
  );
}

/** Median milliseconds of `runs` calls. */
/**
 * The adversarial input's median cost over the ordinary one's, sampled in turns (ordinary,
 * adversarial, ordinary, …) so that a busy neighbour slows both alike; the ordinary cost counts
 * as at least `floorMs`, below which timer noise dominates.
 */
export function pairedRatio(ordinary: () => unknown, adversarial: () => unknown, floorMs: number, rounds = 5): number {
  const a: number[] = [];
  const b: number[] = [];
  const time = (fn: () => unknown) => {
    const start = performance.now();
    fn();
    return performance.now() - start;
  };
  for (let i = 0; i < rounds; i++) {
    a.push(time(ordinary));
    b.push(time(adversarial));
  }
  const median = (xs: number[]) => xs.sort((x, y) => x - y)[Math.floor(xs.length / 2)] as number;
  return median(b) / Math.max(floorMs, median(a));
}

export function medianMs(fn: () => unknown, runs = 3): number {
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    const start = performance.now();
    fn();
    times.push(performance.now() - start);
  }
  times.sort((a, b) => a - b);
  return times[Math.floor(times.length / 2)] as number;
}
