import { execFileSync, spawn } from 'node:child_process';
import { chmodSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { FakeRun } from '../support/fake-github.js';
import { workflowRunEvent } from '../support/webhooks.js';
import { type Simulator, TOKENS } from './simulator.js';

// Actions, on this machine: each dispatched workflow run becomes `node dist/index.js` in a fresh
// clone of the run's branch, with the environment a runner gives an Action, and its end becomes
// a `workflow_run` webhook.

/** The bundled Action; `ACTION_BUNDLE` names another build (one made from the working tree, say). */
export const DIST = process.env.ACTION_BUNDLE ?? fileURLToPath(new URL('../../dist/index.js', import.meta.url));

export interface RunRecord {
  readonly run: FakeRun;
  exitCode: number | null;
  output: string;
  /** What the run wrote to its job summary. */
  summary: string;
}

export class Runner {
  readonly records: RunRecord[] = [];
  /** Extra environment for every run (a test may change it between runs). */
  readonly env: Record<string, string | undefined> = {};
  /** The user runs start as (a runner's own user); by default this process's. */
  user: { readonly uid: number; readonly gid: number } | undefined;
  #active = new Set<Promise<void>>();

  /** Called with every line a run prints (the demo shows the latest per stream). */
  onLine: (run: FakeRun, line: string) => void = () => undefined;

  constructor(private readonly simulator: Simulator) {
    simulator.fake.onDispatch = (run) => {
      const job = this.#execute(run);
      this.#active.add(job);
      void job.finally(() => this.#active.delete(job));
    };
  }

  async idle(): Promise<void> {
    while (this.#active.size > 0) await Promise.all(this.#active);
  }

  async #execute(run: FakeRun): Promise<void> {
    const { fake, bare, root } = this.simulator;
    await new Promise((resolve) => setImmediate(resolve)); // GitHub answers the dispatch first
    run.status = 'in_progress';
    run.startedAt = fake.now();
    run.updatedAt = run.startedAt;
    const dir = mkdtempSync(join(root, `run-${run.id}-`));
    const workspace = join(dir, 'workspace');
    execFileSync('git', ['clone', '--quiet', '--branch', run.branch, bare, workspace], { stdio: 'ignore' });
    const event = join(dir, 'event.json');
    writeFileSync(
      event,
      JSON.stringify({
        inputs: run.inputs,
        ref: `refs/heads/${run.branch}`,
        repository: {
          name: fake.repo,
          full_name: `${fake.owner}/${fake.repo}`,
          owner: { login: fake.owner },
          default_branch: fake.defaultBranch,
        },
        sender: { login: 'execution-coordinator[bot]', type: 'Bot' },
      }),
    );
    for (const file of ['output', 'summary.md']) writeFileSync(join(dir, file), '');
    const env: NodeJS.ProcessEnv = {
      PATH: process.env.PATH,
      HOME: process.env.HOME,
      CI: 'true',
      GITHUB_ACTIONS: 'true',
      GITHUB_API_URL: this.simulator.url,
      GITHUB_SERVER_URL: 'https://github.com',
      GITHUB_REPOSITORY: `${fake.owner}/${fake.repo}`,
      GITHUB_EVENT_NAME: 'workflow_dispatch',
      GITHUB_EVENT_PATH: event,
      GITHUB_REF: `refs/heads/${run.branch}`,
      GITHUB_REF_NAME: run.branch,
      GITHUB_SHA: execFileSync('git', ['-C', workspace, 'rev-parse', 'HEAD'], { encoding: 'utf8' }).trim(),
      GITHUB_ACTOR: 'execution-coordinator[bot]',
      GITHUB_WORKFLOW: 'Execute stream',
      RUNNER_OS: 'Linux',
      GITHUB_RUN_ID: String(run.id),
      GITHUB_WORKSPACE: workspace,
      GITHUB_OUTPUT: join(dir, 'output'),
      GITHUB_STEP_SUMMARY: join(dir, 'summary.md'),
      RUNNER_TEMP: dir,
      INPUT_MODE: 'stream',
      INPUT_ISSUE: run.inputs.issue,
      INPUT_STREAM: run.inputs.stream,
      INPUT_CONFIG: '.github/execution-coordinator.yml',
      INPUT_TOKEN: TOKENS.action,
      ...this.env,
    };
    const record: RunRecord = { run, exitCode: null, output: '', summary: '' };
    this.records.push(record);
    const user = this.user;
    if (user) {
      // The run's folder is that user's, as a runner's work folder is; the folders above it it may pass.
      execFileSync('chown', ['-R', `${user.uid}:${user.gid}`, dir]);
      chmodSync(root, 0o711);
    }
    record.exitCode = await new Promise<number | null>((resolve) => {
      const child = spawn(process.execPath, [DIST], {
        cwd: workspace,
        env: user ? { ...env, HOME: dir } : env,
        stdio: ['ignore', 'pipe', 'pipe'],
        ...(user ? { uid: user.uid, gid: user.gid } : {}),
      });
      // A chunk can end inside a line: its end waits for the rest, per stream of output.
      const lines = () => {
        let partial = '';
        return (text: string) => {
          record.output += text;
          const complete = (partial + text).split('\n');
          partial = complete.pop() ?? '';
          for (const line of complete) if (line.trim() !== '') this.onLine(run, line);
        };
      };
      child.stdout.setEncoding('utf8').on('data', lines());
      child.stderr.setEncoding('utf8').on('data', lines());
      child.on('close', resolve);
    });
    record.summary = readFileSync(join(dir, 'summary.md'), 'utf8');
    run.status = 'completed';
    run.conclusion = record.exitCode === 0 ? 'success' : 'failure';
    run.updatedAt = fake.now();
    this.simulator.send('workflow_run', workflowRunEvent(fake, run));
  }
}
