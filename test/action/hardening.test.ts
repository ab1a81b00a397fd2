import { chmodSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { MARKERS } from '../../src/core/execution/records.js';
import { failureComment } from '../../src/core/render/comments.js';
import { actionHarness, git } from '../support/action-harness.js';

// What a real runner does to an Action: shallow checkouts, re-runs from an old commit, pushes
// that get refused, runner tokens in the environment, gates that leave servers running.

const BODY =
  '## Stream A: Messages\n- [ ] Task 1: Store\n- [ ] Task 2: Index\n\n## Stream B: Search\nDepends on: A\n- [ ] Task 3: Search\n';
const CONFIG = 'gates:\n  test: "test -f store.txt"\ntask-gates: [test]\n';
const IMPLEMENT =
  '#!/bin/sh\nset -eu\nenv | cut -d= -f1 | sort > "env-$TASK_ID.txt"\necho store > store.txt\nprintf "%s\\n" "$TASK_ID" >> done.txt\n';

let close: (() => void) | undefined;
afterEach(() => close?.());

function setup(config = CONFIG) {
  const harness = actionHarness({ 'scripts/implement.sh': IMPLEMENT, '.github/execution-coordinator.yml': config });
  close = harness.close;
  harness.fake.addIssue(12, BODY, ['execute']);
  harness.fake.approve(12);
  harness.fake.refs.set('execute/12/A', harness.fake.refs.get('main') as string);
  const inputs = (stream: string) => ({ mode: 'stream', issue: '12', stream, implement: 'sh scripts/implement.sh' });
  return { ...harness, inputs, event: { inputs: {} } };
}

describe('a stream run on a real runner', () => {
  it('posts no check run when its first task fails: that commit is the default branch’s', async () => {
    const { fake, run, checkout, inputs, event } = setup(CONFIG.replace('"test -f store.txt"', '"echo no; exit 1"'));
    const result = await run(inputs('A'), event, checkout('execute/12/A'));
    expect(result.outputs['failed-gate']).toBe('test');
    expect(fake.checks).toEqual([]);
  });

  it('works from a shallow checkout of another ref, as a re-run or a default checkout leaves it', async () => {
    const { fake, bare, run, root, inputs, event } = setup();
    // Stream A already ran: its work is on its branch.
    const first = await run(inputs('A'), event, actionHarnessCheckout(root, bare, 'execute/12/A', 'first'));
    expect(first.failed).toBe(false);
    // B's checkout: one commit deep, and of main rather than of B.
    const shallow = join(root, 'shallow');
    git(root, 'clone', '--quiet', '--depth', '1', '--branch', 'main', `file://${bare}`, shallow);
    const result = await run(inputs('B'), event, shallow);
    expect(result.failed).toBe(false);
    expect(git(bare, 'log', '--format=%s', '-1', 'execute/12/B')).toBe('Task 3: Search');
    expect(git(bare, 'merge-base', '--is-ancestor', 'execute/12/A', 'execute/12/B') === '').toBe(true);
    expect(fake.issue(12).body.match(/\[x\]/g)).toHaveLength(3);
  });

  it('reports a push the remote refuses as a failure, with the reason, instead of crashing', async () => {
    const { fake, bare, run, checkout, inputs, event } = setup();
    const hook = join(bare, 'hooks', 'pre-receive');
    writeFileSync(hook, '#!/bin/sh\necho "protected branch: pushes need review" >&2\nexit 1\n');
    chmodSync(hook, 0o755);
    const result = await run(inputs('A'), event, checkout('execute/12/A'));
    expect(result.failed).toBe(true);
    const failure = fake.commentsOn(12).find((c) => c.body.includes('### ❌ Stream A failed'));
    expect(failure?.body).toContain('protected branch: pushes need review');
    expect(fake.issue(12).body).not.toContain('[x]');
  });

  it('keeps runner tokens, the token input and the step files away from implement and the gates', async () => {
    const { bare, run, checkout, inputs, event } = setup();
    process.env.ACTIONS_RUNTIME_TOKEN = 'runtime-token-value';
    process.env.ACTIONS_ID_TOKEN_REQUEST_TOKEN = 'oidc-token-value';
    try {
      await run(inputs('A'), event, checkout('execute/12/A'));
    } finally {
      delete process.env.ACTIONS_RUNTIME_TOKEN;
      delete process.env.ACTIONS_ID_TOKEN_REQUEST_TOKEN;
    }
    const names = git(bare, 'show', 'execute/12/A:env-A.1.txt').split('\n');
    expect(names).toContain('TASK_TITLE');
    for (const hidden of [
      'INPUT_TOKEN',
      'ACTIONS_RUNTIME_TOKEN',
      'ACTIONS_ID_TOKEN_REQUEST_TOKEN',
      'GITHUB_OUTPUT',
      'GITHUB_ENV',
      'GITHUB_STEP_SUMMARY',
    ]) {
      expect(names).not.toContain(hidden);
    }
    expect(git(bare, 'config', '--list').includes('extraheader')).toBe(false);
  });

  it('masks secrets in workflow annotations and registers them with the runner', async () => {
    const config = 'gates:\n  test: "echo src/a.ts:1:2: error leaked $DEPLOY_SECRET; exit 1"\ntask-gates: [test]\n';
    const { run, checkout, inputs, event } = setup(config);
    process.env.DEPLOY_SECRET = 'hunter2-very-secret';
    try {
      const result = await run(inputs('A'), event, checkout('execute/12/A'));
      expect(result.commands).toContain('::add-mask::hunter2-very-secret');
      const annotations = result.commands.filter((c) => c.startsWith('::error '));
      expect(annotations).toEqual([expect.stringContaining('file=src/a.ts,line=1,col=2::error leaked ***')]);
    } finally {
      delete process.env.DEPLOY_SECRET;
    }
  });

  it('learns its identity from its token and takes no other bot’s status comment or record for its own', async () => {
    const { fake, run, checkout, inputs } = setup();
    const forged = (body: string) => fake.botComment(12, 'mallory[bot]', body);
    forged(`${MARKERS.status}\nforged status`);
    forged(failureComment({ stream: 'A', phase: 'run', reason: 'forged failure' }));
    const result = await run(
      inputs('A'),
      { inputs: {}, sender: { login: 'some-app[bot]', type: 'Bot' } },
      checkout('execute/12/A'),
    );
    expect(result.failed).toBe(false);
    expect(fake.calls()).toContain('POST /graphql');
    expect(fake.commentsOn(12).find((c) => c.login === 'mallory[bot]' && c.body.includes('forged status'))?.body).toBe(
      `${MARKERS.status}\nforged status`,
    );
    const own = fake.commentsOn(12).find((c) => c.login !== 'mallory[bot]' && c.body.startsWith(MARKERS.status));
    expect(own?.body).not.toContain('forged failure');
  });

  it('refuses to tick a stream without implement when nothing changed', async () => {
    const { fake, run, checkout, event } = setup();
    const result = await run({ mode: 'stream', issue: '12', stream: 'A' }, event, checkout('execute/12/A'));
    expect(result.failed).toBe(true);
    expect(fake.commentsOn(12).find((c) => c.body.includes('failed'))?.body).toContain(
      'there is no implement command and the working tree has no changes',
    );
    expect(fake.issue(12).body).not.toContain('[x]');
  });
});

function actionHarnessCheckout(root: string, bare: string, branch: string, name: string): string {
  const workspace = join(root, name);
  git(root, 'clone', '--quiet', '--branch', branch, bare, workspace);
  return workspace;
}

describe('answers lost after the work was done', () => {
  it('finds the pull request it opened when the answer to opening it was lost', async () => {
    const { fake, run, checkout, inputs, event } = setup();
    fake.fail('POST', /\/pulls$/, 502, 1, {}, true);
    const result = await run(inputs('A'), event, checkout('execute/12/A'));
    expect(result.failed).toBe(false);
    expect(fake.pulls).toHaveLength(1);
    expect(result.outputs['pull-request']).toBe(`https://github.com/acme/chat/pull/${fake.pulls[0]?.number}`);
  });
});
