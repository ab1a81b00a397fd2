// Commit trailers are the ledger of gated work: every task commit carries `Execute-Issue: <n>`
// and one `Execute-Task: <id>` per task it completes, and a tick is owed for each.

const KEYS = ['execute-issue', 'execute-task'] as const;

export interface TaskTrailers {
  readonly issue: number;
  readonly tasks: readonly string[];
}

/**
 * The `Execute-*` trailers of a commit message, if it is a task commit. Only the last paragraph
 * holds trailers (as in git), so a subject that reads `Execute-Task: B.4` ticks nothing.
 */
export function readTrailers(message: string): TaskTrailers | undefined {
  const paragraphs = message.trim().split(/\r?\n[ \t]*\r?\n/);
  if (paragraphs.length < 2) return undefined;
  const block = paragraphs.at(-1) as string;
  let issue: number | undefined;
  const tasks: string[] = [];
  // Line by line with string operations: a pattern like `(\S.*?)[ \t]*$` goes quadratic on a
  // value followed by many spaces, and commit messages come from whoever pushes.
  for (const line of block.split('\n')) {
    const colon = line.indexOf(':');
    const key = colon < 0 ? undefined : KEYS.find((k) => k === line.slice(0, colon).toLowerCase());
    const value = colon < 0 ? '' : line.slice(colon + 1).trim();
    if (key === 'execute-issue' && /^\d+$/.test(value)) issue = Number(value);
    if (key === 'execute-task' && value !== '') tasks.push(value);
  }
  return issue !== undefined && tasks.length > 0 ? { issue, tasks } : undefined;
}

/** A task commit's message: the subject, a blank line, then the trailers. */
export function taskCommitMessage(subject: string, issue: number, tasks: string | readonly string[]): string {
  const line = subject.replace(/\s+/g, ' ').trim();
  const trailers = [tasks].flat().map((task) => `Execute-Task: ${task}`);
  return `${line}\n\nExecute-Issue: ${issue}\n${trailers.join('\n')}\n`;
}

/** Task ids the ledger holds for one issue, from commit messages. */
export function ledgerTasks(messages: Iterable<string>, issue: number): Set<string> {
  const tasks = new Set<string>();
  for (const message of messages) {
    const trailers = readTrailers(message);
    if (trailers?.issue === issue) for (const task of trailers.tasks) tasks.add(task);
  }
  return tasks;
}
