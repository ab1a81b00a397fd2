import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { load } from 'js-yaml';
import { describe, expect, it } from 'vitest';
import { INPUT_NAMES } from '../../src/action/inputs.js';

interface Step {
  readonly uses?: string;
  readonly id?: string;
  readonly if?: string;
  readonly with?: Record<string, string>;
}
interface Workflow {
  readonly on: { readonly workflow_dispatch?: { readonly inputs: Record<string, unknown> } };
  readonly 'run-name'?: string;
  readonly concurrency?: { readonly group: string };
  readonly permissions?: Record<string, string>;
  readonly jobs: Record<string, { readonly steps: Step[] }>;
}
interface ActionManifest {
  readonly runs: unknown;
  readonly inputs: Record<string, unknown>;
  readonly outputs: Record<string, unknown>;
}

const read = <T>(path: string) => load(readFileSync(new URL(`../../${path}`, import.meta.url), 'utf8')) as T;
const action = read<ActionManifest>('action.yml');
const ours = (workflow: Workflow) =>
  Object.values(workflow.jobs)
    .flatMap((job) => job.steps)
    .filter((s) => String(s.uses).startsWith('execution-coordinator/'));

describe('action.yml', () => {
  it('runs the committed bundle on node24 and declares the outputs', () => {
    expect(action.runs).toEqual({ using: 'node24', main: 'dist/index.js' });
    // What action.yml declares is exactly what the Action reads.
    expect(Object.keys(action.inputs)).toEqual([...INPUT_NAMES]);
    expect(Object.keys(action.outputs)).toEqual(['tasks-done', 'pull-request', 'failed-gate']);
  });
});

describe('examples/workflows', () => {
  it.each(['execute-stream.yml', 'gates.yml', 'execute-start.yml'])('%s passes only inputs the Action has', (file) => {
    const workflow = read<Workflow>(`examples/workflows/${file}`);
    const uses = ours(workflow);
    expect(uses).toHaveLength(1);
    for (const key of Object.keys(uses[0]?.with ?? {})) expect(Object.keys(action.inputs)).toContain(key);
  });

  it('execute-stream.yml names the run, keeps one run per stream and asks for the least permissions', () => {
    const workflow = read<Workflow>('examples/workflows/execute-stream.yml');
    expect(Object.keys(workflow.on.workflow_dispatch?.inputs ?? {})).toEqual(['issue', 'stream']);
    // biome-ignore lint/suspicious/noTemplateCurlyInString: a workflow expression, not a template literal
    expect(workflow['run-name']).toBe('Execute #${{ inputs.issue }}, stream ${{ inputs.stream }}');
    // biome-ignore lint/suspicious/noTemplateCurlyInString: a workflow expression, not a template literal
    expect(workflow.concurrency?.group).toBe('execute-${{ inputs.issue }}-${{ inputs.stream }}');
    expect(workflow.permissions).toEqual({
      contents: 'write',
      issues: 'write',
      'pull-requests': 'write',
      checks: 'write',
      actions: 'write',
    });
  });

  it('execute-stream.yml hands the Action an App installation token holding just the run’s permissions', () => {
    const workflow = read<Workflow>('examples/workflows/execute-stream.yml');
    const steps = Object.values(workflow.jobs).flatMap((job) => job.steps);
    const token = steps.find((s) => String(s.uses).startsWith('actions/create-github-app-token@'));
    expect(token?.id).toBe('app-token');
    // Without the App configured the step is skipped and the Action falls back to github.token.
    expect(token?.if).toBe("vars.EXECUTION_COORDINATOR_APP_ID != ''");
    // biome-ignore lint/suspicious/noTemplateCurlyInString: a workflow expression, not a template literal
    expect(ours(workflow)[0]?.with?.token).toBe('${{ steps.app-token.outputs.token || github.token }}');
    const asked = Object.fromEntries(
      Object.entries(token?.with ?? {})
        .filter(([key]) => key.startsWith('permission-'))
        .map(([key, level]) => [key.slice('permission-'.length), level]),
    );
    // The same permissions as the job's github.token, and none the App lacks (GitHub refuses a
    // token that asks for more than the installation has).
    expect(asked).toEqual(workflow.permissions);
    const app = read<{ default_permissions: Record<string, string> }>('app.yml').default_permissions;
    for (const [permission, level] of Object.entries(asked)) {
      expect([level, 'write']).toContain(app[permission.replace('-', '_')]);
    }
  });

  it('gates.yml can only read the code and write checks', () => {
    expect(read<Workflow>('examples/workflows/gates.yml').permissions).toEqual({ contents: 'read', checks: 'write' });
  });
});

describe('examples/implement-task.sh', () => {
  it('writes the task brief from its context, with the dependency handoff', () => {
    const dir = mkdtempSync(join(tmpdir(), 'implement-'));
    const context = join(dir, 'context.json');
    writeFileSync(
      context,
      JSON.stringify({
        issue: { number: 12 },
        stream: { id: 'C' },
        task: { id: 'C.5', title: 'Task 5: PubSub $(touch pwned)', subtasks: [{ title: 'Presence topic' }] },
        handoff: [
          { stream: 'A', pullRequest: { url: 'https://github.com/acme/chat/pull/3' }, changedFiles: ['lib/schema.ex'] },
        ],
      }),
    );
    const script = new URL('../../examples/implement-task.sh', import.meta.url).pathname;
    execFileSync('bash', [script], {
      cwd: dir,
      env: { PATH: process.env.PATH, TASK_ID: 'C.5', TASK_CONTEXT: context },
    });
    expect(readFileSync(join(dir, 'docs/tasks/C.5.md'), 'utf8')).toBe(
      [
        '# C.5: Task 5: PubSub $(touch pwned)',
        '',
        'From #12, stream C.',
        '',
        'Subtasks:',
        '- Presence topic',
        '',
        'Stream A came before (https://github.com/acme/chat/pull/3):',
        '- lib/schema.ex',
        '',
      ].join('\n'),
    );
  });
});

describe('examples/implement-task.sh with an agent', () => {
  const script = new URL('../../examples/implement-task.sh', import.meta.url).pathname;
  const context = (dir: string) => {
    const path = join(dir, 'context.json');
    writeFileSync(
      path,
      JSON.stringify({
        issue: { number: 12 },
        stream: { id: 'C' },
        task: { id: 'C.5', title: 'PubSub', subtasks: [] },
        handoff: [],
        attempt: 2,
        attempts: [{ attempt: 1, failedGates: [{ name: 'test', outcome: 'failed', tail: 'not ok 1 - PubSub' }] }],
      }),
    );
    return path;
  };
  const implement = (agent: string, exit = 0) => {
    const dir = mkdtempSync(join(tmpdir(), 'implement-'));
    const usage = join(dir, 'usage.json');
    writeFileSync(join(dir, 'agent-output'), agent);
    const status = spawnSync('bash', [script], {
      cwd: dir,
      env: {
        PATH: process.env.PATH,
        TASK_ID: 'C.5',
        TASK_CONTEXT: context(dir),
        TASK_USAGE_FILE: usage,
        // The agent: keeps the brief it was given and prints what a real one prints.
        AGENT_COMMAND: `cat > brief.md; cat agent-output; exit ${exit}`,
      },
    }).status;
    return {
      status,
      brief: readFileSync(join(dir, 'brief.md'), 'utf8'),
      usage: JSON.parse(readFileSync(usage, 'utf8')),
    };
  };

  it('tells the agent what failed before, and reports Claude Code’s usage', () => {
    const claude = JSON.stringify({
      type: 'result',
      subtype: 'success',
      result: 'done',
      total_cost_usd: 0.0423,
      usage: { input_tokens: 12, cache_creation_input_tokens: 1000, cache_read_input_tokens: 3000, output_tokens: 640 },
      modelUsage: { 'claude-sonnet-4-5': { inputTokens: 12 } },
    });
    const { brief, usage } = implement(claude);
    expect(brief).toContain(
      'Attempt 1 failed these gates; fix what they report:\n\ntest (failed):\n```\nnot ok 1 - PubSub\n```',
    );
    expect(usage).toEqual({ inputTokens: 4012, outputTokens: 640, costUsd: 0.0423, model: 'claude-sonnet-4-5' });
  });

  it('sums Codex’s turn usage from its event stream', () => {
    const codex = [
      '{"type":"thread.started","thread_id":"t"}',
      '{"type":"turn.completed","usage":{"input_tokens":26549,"cached_input_tokens":22272,"output_tokens":1590}}',
      '{"type":"turn.completed","usage":{"input_tokens":100,"cached_input_tokens":0,"output_tokens":10}}',
    ].join('\n');
    expect(implement(codex).usage).toEqual({ inputTokens: 26649, outputTokens: 1600 });
  });

  it('reports what a failing agent spent, and fails with its status', () => {
    const claude = JSON.stringify({ type: 'result', subtype: 'error_max_turns', total_cost_usd: 0.9, usage: {} });
    const { status, usage } = implement(claude, 3);
    expect(status).toBe(3);
    expect(usage).toEqual({ inputTokens: 0, outputTokens: 0, costUsd: 0.9 });
  });
});

describe('the release workflow', () => {
  interface Release {
    readonly on: { readonly workflow_dispatch: { readonly inputs: Record<string, unknown> } };
    readonly permissions: Record<string, string>;
    readonly jobs: Record<string, { readonly steps: { run?: string; env?: Record<string, string> }[] }>;
  }
  const release = read<Release>('.github/workflows/release.yml');
  const runs = Object.values(release.jobs).flatMap((job) => job.steps);

  it('checks dist/ and the tests, then tags vX.Y.Z and moves vX, with the version never inside a script', () => {
    expect(Object.keys(release.on.workflow_dispatch.inputs)).toEqual(['version']);
    expect(release.permissions).toEqual({ contents: 'write' });
    const script = runs.map((s) => s.run ?? '').join('\n');
    expect(script).toContain('npm test');
    expect(script).toMatch(/npm run bundle\s+git diff --exit-code --stat -- dist\//);
    expect(script).toContain('git tag "v$VERSION"');
    expect(script).toContain('git push --force origin "$major"');
    // A workflow input reaches the shell as an environment variable, never as text in the script.
    expect(script).not.toContain('${{');
    // biome-ignore lint/suspicious/noTemplateCurlyInString: a GitHub Actions expression, not a template
    expect(runs.filter((s) => s.env?.VERSION === '${{ inputs.version }}')).toHaveLength(2);
  });

  it('accepts only X.Y.Z, as its own check says', () => {
    const check = runs.find((s) => s.run?.includes('version must be X.Y.Z'))?.run ?? '';
    const dir = mkdtempSync(join(tmpdir(), 'release-'));
    execFileSync('git', ['init', '--quiet', dir]);
    const ok = (version: string) => {
      try {
        execFileSync('bash', ['-c', check], { cwd: dir, env: { ...process.env, VERSION: version }, stdio: 'ignore' });
        return true;
      } catch {
        return false;
      }
    };
    expect([ok('1.2.3'), ok('1.2'), ok('v1.2.3'), ok('1.2.3; rm -rf /'), ok('$(id)')]).toEqual([
      true,
      false,
      false,
      false,
      false,
    ]);
  });
});
