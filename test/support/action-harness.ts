import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { vi } from 'vitest';
import { FakeGitHub } from './fake-github.js';
import { GitStore } from './repo-store.js';

// The Action as a runner would run it, in this process: a real bare repository as `origin`, a
// clone of it as the workspace (what actions/checkout leaves), the fake GitHub over that same
// bare repository, the runner's environment (INPUT_*, GITHUB_EVENT_PATH, GITHUB_OUTPUT, …).

export const git = (cwd: string, ...args: string[]) =>
  execFileSync('git', args, {
    cwd,
    encoding: 'utf8',
    env: {
      ...process.env,
      GIT_AUTHOR_NAME: 'Dev',
      GIT_AUTHOR_EMAIL: 'dev@example.com',
      GIT_COMMITTER_NAME: 'Dev',
      GIT_COMMITTER_EMAIL: 'dev@example.com',
    },
  }).trim();

export interface ActionResult {
  readonly outputs: Record<string, string>;
  readonly summary: string;
  /** Lines the Action printed as workflow commands (`::error …`, `::warning …`). */
  readonly commands: string[];
  readonly failed: boolean;
}

export function actionHarness(files: Record<string, string> = {}) {
  const root = mkdtempSync(join(tmpdir(), 'action-'));
  const bare = join(root, 'origin.git');
  git(root, 'init', '--quiet', '--bare', '--initial-branch=main', bare);
  const seed = join(root, 'seed');
  git(root, 'init', '--quiet', '--initial-branch=main', seed);
  git(seed, 'remote', 'add', 'origin', bare);
  for (const [path, content] of Object.entries({ 'README.md': '# chat\n', ...files })) {
    mkdirSync(join(seed, path, '..'), { recursive: true });
    writeFileSync(join(seed, path), content);
  }
  git(seed, 'add', '--all');
  git(seed, 'commit', '--quiet', '-m', 'Initial commit');
  git(seed, 'push', '--quiet', 'origin', 'HEAD:refs/heads/main');
  const fake = new FakeGitHub(new GitStore(bare)).listen();
  let runs = 0;

  /** A workspace checked out at `branch`, as actions/checkout leaves it. */
  const checkout = (branch: string): string => {
    const workspace = join(root, `workspace-${++runs}`);
    git(root, 'clone', '--quiet', '--branch', branch, bare, workspace);
    return workspace;
  };

  async function run(
    inputs: Record<string, string>,
    payload: Record<string, unknown>,
    workspace: string,
  ): Promise<ActionResult> {
    const dir = mkdtempSync(join(root, 'runner-'));
    const paths = { event: join(dir, 'event.json'), output: join(dir, 'output'), summary: join(dir, 'summary.md') };
    writeFileSync(
      paths.event,
      JSON.stringify({
        repository: { default_branch: 'main', name: fake.repo, owner: { login: fake.owner } },
        ...payload,
      }),
    );
    writeFileSync(paths.output, '');
    writeFileSync(paths.summary, '');
    const env: Record<string, string> = {
      GITHUB_REPOSITORY: `${fake.owner}/${fake.repo}`,
      GITHUB_EVENT_PATH: paths.event,
      GITHUB_EVENT_NAME: String(payload.event ?? 'workflow_dispatch'),
      GITHUB_WORKSPACE: workspace,
      GITHUB_OUTPUT: paths.output,
      GITHUB_STEP_SUMMARY: paths.summary,
      GITHUB_RUN_ID: '4242',
      GITHUB_SERVER_URL: 'https://github.com',
      GITHUB_API_URL: 'https://api.github.com',
      RUNNER_TEMP: dir,
      ...Object.fromEntries(
        Object.entries({ token: 'ghs_testtokenvalue1234567890', ...inputs }).map(([k, v]) => [
          `INPUT_${k.toUpperCase()}`,
          v,
        ]),
      ),
    };
    const saved = { ...process.env };
    Object.assign(process.env, env);
    const commands: string[] = [];
    const write = process.stdout.write.bind(process.stdout);
    const spy = vi.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
      for (const line of String(chunk).split('\n')) if (line.startsWith('::')) commands.push(line);
      return true;
    });
    try {
      // @actions/github reads the event when it is imported: a fresh module for each run.
      vi.resetModules();
      const { main } = await import('../../src/action/main.js');
      await main({ fetch: globalThis.fetch });
    } finally {
      spy.mockRestore();
      void write;
      process.env = saved;
    }
    const failed = process.exitCode === 1;
    process.exitCode = undefined;
    return {
      outputs: parseOutputs(readFileSync(paths.output, 'utf8')),
      summary: readFileSync(paths.summary, 'utf8'),
      commands,
      failed,
    };
  }

  return { root, bare, fake, checkout, run, close: () => fake.close() };
}

/** GITHUB_OUTPUT's `name<<delimiter … delimiter` records. */
function parseOutputs(text: string): Record<string, string> {
  const outputs: Record<string, string> = {};
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const match = /^([^<=]+)<<(.+)$/.exec(lines[i] as string);
    if (!match) continue;
    const value: string[] = [];
    for (i++; i < lines.length && lines[i] !== match[2]; i++) value.push(lines[i] as string);
    outputs[match[1] as string] = value.join('\n');
  }
  return outputs;
}
