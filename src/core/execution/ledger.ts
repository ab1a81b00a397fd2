import { createHash } from 'node:crypto';
import { readUsageTrailer, type Usage, usageTrailer } from './usage.js';

// Commit trailers are the ledger of gated work: every task commit carries `Execute-Issue: <n>`
// and one `Execute-Task: <id> <hash>` per task it completes, and a tick is owed for each. The
// hash is of the task's title: ids without `Task <n>:` are positions, and when a person deletes
// a done task the next one takes its id; the hash keeps that task from being ticked for work it
// never had. A trailer without a hash ticks nothing. `Execute-Attempt: 2` says the gates passed on
// the second try; `Execute-Usage:` what the implementer reported spending. A commit that fixes the
// stream gates carries the issue and stream trailers and no task.

const KEYS = ['execute-issue', 'execute-stream', 'execute-task', 'execute-attempt', 'execute-usage'] as const;

export interface TaskTrailers {
  readonly issue: number;
  /** The stream whose task commit it is (`Execute-Stream`); older commits say it by their ids only. */
  readonly stream: string | undefined;
  /** Task keys (`<id>#<hash>`; just `<id>` for a trailer without a hash, which matches no task). */
  readonly tasks: readonly string[];
  /** Which try of `implement` passed the gates (1 when the trailer is absent). */
  readonly attempt: number;
  readonly usage?: Usage;
}

/** What a task commit records besides its tasks. */
export interface CommitFacts {
  readonly attempt?: number;
  readonly usage?: Usage;
}

/** What identifies a task in the ledger: its id and its title. */
export interface TaskIdentity {
  readonly id: string;
  readonly title: string;
}

const HASH = /^[0-9a-f]{12}$/;

/** The first 12 hex digits of SHA-256 of the title, white space folded. */
export function titleHash(title: string): string {
  return createHash('sha256').update(title.replace(/\s+/g, ' ').trim(), 'utf8').digest('hex').slice(0, 12);
}

/** The ledger's key for a task: the same task (id and title) always has the same key. */
export function taskKey(task: TaskIdentity): string {
  return `${task.id}#${titleHash(task.title)}`;
}

/**
 * Whether a commit message is a task commit of `stream` (of `issue`, when given: its own work, not
 * a dependency's nor another issue's): its
 * `Execute-Stream` trailer says so, or, in commits made before there was one, its task ids
 * (`<stream>.<n>`) do.
 */
export function isTaskCommitOf(message: string, stream: string, issue?: number): boolean {
  const trailers = readTrailers(message);
  // Another issue's stream of the same name (merged into the default branch) is not this one.
  if (!trailers || (issue !== undefined && trailers.issue !== issue)) return false;
  if (trailers.stream !== undefined) return trailers.stream === stream;
  return trailers.tasks.some((task) => task.startsWith(`${stream}.`));
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
  let stream: string | undefined;
  let attempt = 1;
  let usage: Usage | undefined;
  const tasks: string[] = [];
  // Line by line with string operations: a pattern like `(\S.*?)[ \t]*$` goes quadratic on a
  // value followed by many spaces, and commit messages come from whoever pushes.
  for (const line of block.split('\n')) {
    const colon = line.indexOf(':');
    const key = colon < 0 ? undefined : KEYS.find((k) => k === line.slice(0, colon).toLowerCase());
    const value = colon < 0 ? '' : line.slice(colon + 1).trim();
    if (key === 'execute-issue' && /^\d+$/.test(value)) issue = Number(value);
    if (key === 'execute-stream' && value !== '' && !/\s/.test(value)) stream = value;
    if (key === 'execute-task' && value !== '') {
      const [id, hash] = value.split(/\s+/);
      tasks.push(hash !== undefined && HASH.test(hash) ? `${id}#${hash}` : (id as string));
    }
    if (key === 'execute-attempt' && /^\d{1,2}$/.test(value)) attempt = Math.max(1, Number(value));
    if (key === 'execute-usage') usage = readUsageTrailer(value);
  }
  // A stream's own commit (a fix for its gates) names the stream and no task.
  if (issue === undefined || (tasks.length === 0 && stream === undefined)) return undefined;
  return { issue, stream, tasks, attempt, ...(usage ? { usage } : {}) };
}

/** A task commit's message: the subject, a blank line, then the trailers. */
export function taskCommitMessage(
  subject: string,
  issue: number,
  tasks: TaskIdentity | readonly TaskIdentity[],
  stream?: string,
  facts: CommitFacts = {},
): string {
  const line = subject.replace(/\s+/g, ' ').trim();
  const trailers = [tasks].flat().map((task) => `Execute-Task: ${task.id} ${titleHash(task.title)}`);
  if (stream !== undefined) trailers.unshift(`Execute-Stream: ${stream}`);
  if (facts.attempt !== undefined && facts.attempt > 1) trailers.push(`Execute-Attempt: ${facts.attempt}`);
  const usage = facts.usage ? usageTrailer(facts.usage) : '';
  if (usage !== '') trailers.push(`Execute-Usage: ${usage}`);
  return `${line}\n\nExecute-Issue: ${issue}\n${trailers.join('\n')}\n`;
}

/**
 * What makes two task commits the same work: a merge, a rebase or a squash copies a commit's
 * trailers into another commit (a dependent's branch holds its dependencies' work), and the copy
 * must not tick, nor spend, twice.
 */
export function workKey(trailers: TaskTrailers): string {
  return JSON.stringify([
    trailers.issue,
    trailers.stream ?? null,
    trailers.tasks,
    trailers.attempt,
    trailers.usage ?? null,
  ]);
}

/** The issue's task commits among these messages, each piece of work once. */
export function ledgerCommits(messages: Iterable<string>, issue: number): TaskTrailers[] {
  const work = new Map<string, TaskTrailers>();
  for (const message of messages) {
    const trailers = readTrailers(message);
    if (trailers?.issue === issue) work.set(workKey(trailers), trailers);
  }
  return [...work.values()];
}

/** Task keys the ledger holds for one issue, from commit messages. */
export function ledgerTasks(messages: Iterable<string>, issue: number): Set<string> {
  const tasks = new Set<string>();
  for (const message of messages) {
    const trailers = readTrailers(message);
    if (trailers?.issue === issue) for (const task of trailers.tasks) tasks.add(task);
  }
  return tasks;
}
