// Commit trailers are the ledger of gated work: every task commit carries
// `Execute-Issue: <n>` and `Execute-Task: <id>`, and a tick is owed for every such commit.

const TRAILER = /^(Execute-Issue|Execute-Task):[ \t]*(\S.*?)[ \t]*$/gim;

export interface TaskTrailers {
  readonly issue: number;
  readonly task: string;
}

/** The `Execute-*` trailers of a commit message, if it is a task commit. */
export function readTrailers(message: string): TaskTrailers | undefined {
  let issue: number | undefined;
  let task: string | undefined;
  for (const [, key, value] of message.matchAll(TRAILER)) {
    if (key?.toLowerCase() === 'execute-issue' && /^\d+$/.test(value ?? '')) issue = Number(value);
    if (key?.toLowerCase() === 'execute-task') task = value;
  }
  return issue !== undefined && task !== undefined ? { issue, task } : undefined;
}

/** A task commit's message: the task's title, a blank line, then the trailers. */
export function taskCommitMessage(title: string, issue: number, task: string): string {
  const subject = title.replace(/\s+/g, ' ').trim();
  return `${subject}\n\nExecute-Issue: ${issue}\nExecute-Task: ${task}\n`;
}

/** Task ids the ledger holds for one issue, from commit messages. */
export function ledgerTasks(messages: Iterable<string>, issue: number): Set<string> {
  const tasks = new Set<string>();
  for (const message of messages) {
    const trailers = readTrailers(message);
    if (trailers?.issue === issue) tasks.add(trailers.task);
  }
  return tasks;
}
