import { type ParsedBody, parseBody } from '../core/breakdown/parse.js';
import { subIssueTasks } from '../core/breakdown/sub-issues.js';
import { tickParsed } from '../core/breakdown/tick.js';
import { branchPrefix, parseStreamBranch } from '../core/execution/branches.js';
import {
  ledgerCommits as commitsOfIssue,
  isTaskCommitOf,
  type TaskTrailers,
  taskKey,
} from '../core/execution/ledger.js';
import type { Task } from '../core/model.js';
import type { GitHub, Issue } from './github.js';

// No lost tick. GitHub has no compare-and-swap on an issue body, so every writer re-reads the
// body and the whole ledger (the `Execute-Task` trailers on every stream branch), writes every
// tick the ledger owes (never only its own), and reads again until it sees them all. A write
// made from a stale read is therefore always followed by a read that repairs it. A sub-issue
// stream's ticks go into the sub-issue's body, under the same rule.

/** Task keys (`taskKey`: id and title hash) with a gated commit, for one issue. */
export interface Ledger {
  tasks(): Promise<Set<string>>;
}

/** The gated commits of one issue: what each completed, on which try, for how much. */
export interface WorkLedger extends Ledger {
  /** Every task commit once (a dependency's commits sit on its dependents' branches too). */
  commits(): Promise<TaskTrailers[]>;
}

/** The ledger from the issue's task commits, however they were read. */
export function ledgerOf(read: () => Promise<TaskTrailers[]>): WorkLedger {
  return {
    commits: read,
    async tasks() {
      return new Set((await read()).flatMap((commit) => commit.tasks));
    },
  };
}

/** The ledger through the REST API: each stream branch's own commits, newest first. */
export function restLedger(github: GitHub, issueNumber: number): WorkLedger {
  return ledgerOf(async () =>
    ledgerCommits(github, issueNumber, (await github.branches(branchPrefix(issueNumber))).keys()),
  );
}

/** The task commits on these stream branches (full names), each piece of work once. */
export async function ledgerCommits(
  github: GitHub,
  issueNumber: number,
  branches: Iterable<string>,
): Promise<TaskTrailers[]> {
  const messages: string[] = [];
  for (const branch of branches) {
    const stream = parseStreamBranch(branch)?.stream ?? '';
    // A branch holds its own task commits on top; below them is where it started from.
    const mine = (message: string) => isTaskCommitOf(message, stream, issueNumber);
    messages.push(...(await github.commitMessages(branch, (page) => !page.every(mine))));
  }
  return commitsOfIssue(messages, issueNumber);
}

export interface TickOptions {
  /** Task keys known to be owed even if the ledger read does not show them yet (a writer's own). */
  readonly also?: readonly string[];
  readonly attempts?: number;
  readonly pause?: (attempt: number) => Promise<void>;
}

export interface TickResult {
  /** Tasks this call ticked. */
  readonly ticked: readonly string[];
  readonly writes: number;
  /** False when ticks were still missing after the last attempt. */
  readonly settled: boolean;
  /** The issue as last read: what comes next (an advance) need not read it again. */
  readonly issue: Issue;
}

export async function reconcileTicks(
  github: GitHub,
  issueNumber: number,
  ledger: Ledger,
  options: TickOptions = {},
): Promise<TickResult> {
  const attempts = options.attempts ?? 5;
  const pause =
    options.pause ?? ((attempt) => new Promise((resolve) => setTimeout(resolve, 200 * attempt + Math.random() * 300)));
  const ticked = new Set<string>();
  let writes = 0;
  // Each write is followed by one more read, the last one included.
  for (let attempt = 1; ; attempt++) {
    // The ledger first (it is the slow read), the bodies last: each body read and its write stay
    // as close together as GitHub allows, so a person's edit has the least room to be lost.
    const owed = await ledger.tasks();
    const issue = await github.getIssue(issueNumber);
    for (const task of options.also ?? []) owed.add(task);
    const bodies = [
      { number: issueNumber, body: issue.body },
      ...(issue.subIssueCount === 0 ? [] : await openSubIssues(github, issueNumber)),
    ];
    // A task the body no longer has (a person deleted it) is not ours to bring back, and a task
    // that took its id (a later one, moved up) did not do its work: keys hold id and title.
    const writesOwed = bodies.flatMap(({ number, body }) => {
      const parsed = parseBody(body);
      const missing = boxesIn(number === issueNumber ? undefined : number, parsed).filter(
        ({ key, task }) => owed.has(key) && !task.done,
      );
      return missing.length > 0 ? [{ number, body, parsed, missing }] : [];
    });
    if (writesOwed.length === 0) return { ticked: [...ticked], writes, settled: true, issue };
    if (attempt > attempts) return { ticked: [...ticked], writes, settled: false, issue };
    for (const { number, body, parsed, missing } of writesOwed) {
      await github.updateIssueBody(
        number,
        tickParsed(
          body,
          parsed,
          missing.map(({ task }) => task.id),
        ),
      );
      writes++;
      for (const { id } of missing) ticked.add(id);
    }
    await pause(attempt);
  }
}

/** The open sub-issues of this repository: the bodies a sub-issue stream's ticks go into. */
async function openSubIssues(github: GitHub, parent: number): Promise<{ number: number; body: string }[]> {
  return (await github.subIssues(parent)).filter((s) => s.repo === github.slug && s.state === 'open');
}

/**
 * A body's checkbox tasks, each with its ledger key: as the plan names it (`issue-12.3` in a
 * sub-issue's body) beside the task as the body's own reading gave it (whose id ticks it).
 */
function boxesIn(subIssue: number | undefined, parsed: ParsedBody): { id: string; key: string; task: Task }[] {
  const { streams } = parsed.breakdown;
  const named =
    subIssue === undefined
      ? streams.flatMap((s) => s.tasks).map((task) => ({ id: task.id, task }))
      : subIssueTasks(subIssue, streams);
  return named.map(({ id, task }) => ({ id, key: taskKey({ id, title: task.title }), task }));
}
