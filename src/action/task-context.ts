import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Issue } from '../coordinator/github.js';
import type { SubIssueInput } from '../core/breakdown/sub-issues.js';
import { withoutTicks } from '../core/execution/approval.js';
import { branchPrefix, streamBranch } from '../core/execution/branches.js';
import type { Stream, Task } from '../core/model.js';
import type { AttemptEvidence } from './fix-attempts.js';
import type { ActionRun } from './io.js';

// What `implement` gets besides its environment variables: one JSON file with the task, its
// subtasks, the issue (its words only as a writer approved them), and the handoff from the streams this one depends on (their pull
// requests, commits and changed files), so that work builds on what came before.

export interface Handoff {
  readonly stream: string;
  readonly pullRequest: { readonly number: number; readonly url: string } | null;
  readonly commits: { readonly sha: string; readonly subject: string }[];
  readonly changedFiles: string[];
}

export async function handoffFrom(run: ActionRun, issueNumber: number, stream: Stream): Promise<Handoff[]> {
  if (stream.dependsOn.length === 0) return [];
  const { git } = run;
  await git.remote([
    'fetch',
    '--no-tags',
    '--quiet',
    'origin',
    `+refs/heads/${run.defaultBranch}:refs/remotes/origin/${run.defaultBranch}`,
  ]);
  const branches = new Set(await git.fetchBranches(branchPrefix(issueNumber)));
  const pulls = await run.github.pullsByBranch(branchPrefix(issueNumber));
  const handoff: Handoff[] = [];
  for (const dependency of stream.dependsOn) {
    const branch = streamBranch(issueNumber, dependency);
    const pull = pulls.get(branch);
    if (!branches.has(branch)) {
      handoff.push({
        stream: dependency,
        pullRequest: pull ? { number: pull.number, url: pull.url } : null,
        commits: [],
        changedFiles: [],
      });
      continue;
    }
    const ref = `refs/remotes/origin/${branch}`;
    const base = await git.mergeBase(`refs/remotes/origin/${run.defaultBranch}`, ref);
    const log = await git.run(['log', '--format=%H%x09%s', `${base}..${ref}`]);
    handoff.push({
      stream: dependency,
      pullRequest: pull ? { number: pull.number, url: pull.url } : null,
      commits: log
        .split('\n')
        .filter(Boolean)
        .map((line) => {
          const [sha, ...subject] = line.split('\t');
          return { sha: sha as string, subject: subject.join('\t') };
        }),
      changedFiles: await git.changedFiles(base, ref),
    });
  }
  return handoff;
}

/** Which try this is, and what failed on the tries before it (empty on the first). */
export interface Attempts {
  readonly attempt: number;
  readonly attempts: readonly AttemptEvidence[];
}

/**
 * The context file for a task, or for a fix of the stream's gates (`task` null). `attempt` and,
 * from the second on, `attempts` (each earlier try's failed gates, output tails and annotations)
 * say what the implementer is to fix.
 */
export async function writeTaskContext(
  run: ActionRun,
  { issue, subIssue, textApproved }: { issue: Issue; subIssue?: SubIssueInput; textApproved: boolean },
  stream: Stream,
  task: Task | undefined,
  handoff: readonly Handoff[],
  tries: Attempts = { attempt: 1, attempts: [] },
): Promise<string> {
  const name = task ? `task-${task.id}` : `stream-${stream.id}`;
  const path = join(run.tempDir, `${name.replace(/[^\w.-]/g, '_')}-${tries.attempt}.json`);
  const context = {
    // The issue's words only as a writer approved them (an agent reads them as instructions),
    // and without ticks, which anyone who can edit the issue may set; the task's own text always
    // is: it is part of the approved plan.
    issue: textApproved
      ? { number: issue.number, title: issue.title, url: issue.url, body: withoutTicks(issue.body) }
      : {
          number: issue.number,
          title: null,
          url: issue.url,
          body: null,
          withheld: 'changed since a writer approved the plan',
        },
    // A sub-issue's stream: the sub-issue is its brief, under the same approval as the issue.
    ...(subIssue
      ? {
          subIssue: textApproved
            ? { number: subIssue.number, title: subIssue.title, body: withoutTicks(subIssue.body) }
            : {
                number: subIssue.number,
                title: null,
                body: null,
                withheld: 'changed since a writer approved the plan',
              },
        }
      : {}),
    stream: { id: stream.id, title: stream.title },
    task: task
      ? { id: task.id, title: task.title, subtasks: task.subtasks.map((s) => ({ title: s.title, done: s.done })) }
      : null,
    // Without a task, the work is to make the stream's gates pass.
    fixing: task ? 'task' : 'stream-gates',
    attempt: tries.attempt,
    attempts: tries.attempts,
    handoff,
  };
  await writeFile(path, `${JSON.stringify(context, null, 2)}\n`, 'utf8');
  return path;
}
