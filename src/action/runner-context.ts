import { readFileSync } from 'node:fs';

// What the runner tells a step about its run, read from the environment when asked (not when a
// module loads), so that a process that re-executed itself with its environment restored reads
// the same run.

export interface RunnerContext {
  readonly repo: { readonly owner: string; readonly repo: string };
  readonly payload: Record<string, unknown>;
  readonly serverUrl: string;
  readonly runId: number | undefined;
  readonly sha: string;
  readonly eventName: string;
}

export function runnerContext(env: NodeJS.ProcessEnv = process.env): RunnerContext {
  const [owner = '', repo = ''] = (env.GITHUB_REPOSITORY ?? '').split('/');
  const path = env.GITHUB_EVENT_PATH;
  const payload = path ? (JSON.parse(readFileSync(path, 'utf8')) as Record<string, unknown>) : {};
  const runId = Number(env.GITHUB_RUN_ID);
  return {
    repo: { owner, repo },
    payload,
    serverUrl: (env.GITHUB_SERVER_URL ?? 'https://github.com').replace(/\/$/, ''),
    runId: Number.isInteger(runId) && runId > 0 ? runId : undefined,
    sha: env.GITHUB_SHA ?? '',
    eventName: env.GITHUB_EVENT_NAME ?? '',
  };
}
