import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { Simulator, TOKENS } from '../simulator/simulator.js';

// `execution-coordinator plan --issue owner/repo#N`, the built CLI as a process, reading a parent
// issue and its sub-issues from the simulated GitHub over HTTP: what a person checks before
// labelling.

const root = fileURLToPath(new URL('../..', import.meta.url));
let sim: Simulator;

beforeEach(async () => {
  sim = await new Simulator({ files: { 'README.md': '# chat\n' }, webhookSecret: 'plan-issue-secret' }).start();
});
afterEach(async () => {
  await sim.stop();
});

const plan = (args: string[], token: string | undefined = TOKENS.maintainer) =>
  promisify(execFile)(process.execPath, ['lib/cli/run.js', 'plan', ...args], {
    cwd: root,
    env: { PATH: process.env.PATH, GITHUB_API_URL: sim.url, ...(token ? { GITHUB_TOKEN: token } : {}) },
  }).then(
    ({ stdout, stderr }) => ({ code: 0, stdout, stderr }),
    (error: { code: number; stdout: string; stderr: string }) => error,
  );

describe('plan --issue', () => {
  it('reads a parent’s sub-issues as streams, ordered by their blocked-by links', async () => {
    const { fake } = sim;
    fake.addIssue(10, 'The rewrite, as sub-issues.\n', [], 'Rewrite');
    fake.addIssue(11, '- [ ] Write the schema\n- [x] Review it\n', [], 'Schema');
    fake.addIssue(12, 'Depends on: #11\n\n- [ ] Add the endpoint\n', [], 'API');
    fake.addIssue(13, 'Describe the API for users.', [], 'Docs');
    for (const child of [11, 12, 13]) fake.addSubIssue(10, child);
    fake.addBlockedBy(13, 12);

    const { code, stdout } = await plan(['--issue', 'acme/chat#10', '--json']);
    expect(code).toBe(0);
    const json = JSON.parse(stdout);
    expect(
      json.streams.map((s: { id: string; title: string; dependsOn: string[] }) => [s.id, s.title, s.dependsOn]),
    ).toEqual([
      ['issue-11', 'Schema', []],
      ['issue-12', 'API', ['issue-11']],
      ['issue-13', 'Docs', ['issue-12']],
    ]);
    expect(json.waves).toEqual([['issue-11'], ['issue-12'], ['issue-13']]);
    expect(json.progress).toEqual({ done: 1, total: 4 });
  });

  it('locates a problem in the sub-issue that has it, and exits 1', async () => {
    const { fake } = sim;
    fake.addIssue(10, '', [], 'Rewrite');
    fake.addIssue(11, '- [ ] Write it\n- [ ] \n', [], 'Schema');
    fake.addSubIssue(10, 11);
    const { code, stderr } = await plan(['--issue', 'acme/chat#10']);
    expect(code).toBe(1);
    expect(stderr).toContain(
      'acme/chat#11:2:3: error: an empty checkbox: GitHub draws it, but it names no task; write the task after it, or remove it',
    );
  });

  it('reads without a token, as a public repository allows', async () => {
    sim.fake.addIssue(10, '- [ ] One task\n', [], 'Small');
    const { code, stdout } = await plan(['--issue', 'acme/chat#10'], undefined);
    expect(code).toBe(0);
    expect(stdout).toContain('acme/chat#10: 1 stream, 1 task (0 done)');
  });

  it('says what GitHub answered for an issue it cannot read, and what a ref must look like', async () => {
    const missing = await plan(['--issue', 'acme/chat#99']);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(/--issue acme\/chat#99: GitHub answered 404/);
    const bad = await plan(['--issue', 'chat#99']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('--issue chat#99: write it as owner/repo#123');
  });
});
