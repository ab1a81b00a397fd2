import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Issue } from '../coordinator/github.js';
import { withoutTicks } from '../core/execution/approval.js';
import { branchPrefix, streamBranch } from '../core/execution/branches.js';
import type { Stream, Task } from '../core/model.js';
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

export async function writeTaskContext(
  run: ActionRun,
  issue: Issue,
  textApproved: boolean,
  stream: Stream,
  task: Task,
  handoff: readonly Handoff[],
): Promise<string> {
  const path = join(run.tempDir, `task-${task.id.replace(/[^\w.-]/g, '_')}.json`);
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
    stream: { id: stream.id, title: stream.title },
    task: { id: task.id, title: task.title, subtasks: task.subtasks.map((s) => ({ title: s.title, done: s.done })) },
    handoff,
  };
  await writeFile(path, `${JSON.stringify(context, null, 2)}\n`, 'utf8');
  return path;
}
