import { execFile } from 'node:child_process';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { PlanJsonSchema } from '../../src/index.js';
import { runCli } from '../support/cli.js';

const root = fileURLToPath(new URL('../..', import.meta.url));

const run = runCli;

describe('execution-coordinator plan', () => {
  it('prints streams, waves, the critical path and a Mermaid graph', async () => {
    const { code, stdout, stderr } = await run(['plan', 'examples/chat-system.md']);
    expect(code).toBe(0);
    expect(stderr).toBe('');
    expect(stdout).toContain('examples/chat-system.md: 4 streams, 8 tasks (0 done)');
    expect(stdout).toMatch(/C {2}Real-time infrastructure {2}2 tasks {2}after A, B/);
    expect(stdout).toContain('Waves\n  1. A, B\n  2. C\n  3. D');
    expect(stdout).toContain('Critical path: A → C → D (6 open tasks)');
    expect(stdout).toContain('```mermaid\nflowchart LR\n  s0["A · Database foundation<br/>0/2 tasks"]');
    expect(stdout).toContain('  s2 --> s3\n```');
  });

  it('prints exactly the JSON shape of design.md §1 with --json', async () => {
    const { code, stdout } = await run(['plan', 'examples/chat-system.md', '--json']);
    expect(code).toBe(0);
    const plan = JSON.parse(stdout);
    expect(PlanJsonSchema.parse(plan)).toEqual(plan);
    expect(Object.keys(plan)).toEqual([
      'streams',
      'waves',
      'criticalPath',
      'progress',
      'errors',
      'warnings',
      'criteria',
      'summary',
    ]);
    expect(Object.keys(plan.streams[0])).toEqual(['id', 'title', 'line', 'dependsOn', 'gates', 'tasks', 'implementer']);
    expect(plan.streams.map((s: { implementer: string | null }) => s.implementer)).toEqual([null, null, null, null]);
    expect(Object.keys(plan.streams[0].tasks[0])).toEqual(['id', 'title', 'line', 'done', 'subtasks']);
    expect(plan.streams[2].tasks[0]).toEqual({
      id: 'C.5',
      title: 'Task 5: PubSub integration',
      line: 11,
      done: false,
      subtasks: [],
    });
    expect(plan.waves).toEqual([['A', 'B'], ['C'], ['D']]);
  });

  it('prints warnings on standard error and criteria with the plan, and still exits 0', async () => {
    const body = [
      '## Phase 1: Setup',
      '- [ ] Create the project',
      '',
      '### Acceptance Criteria',
      '- [ ] It builds',
      '',
      '## Phase 2: API',
      '- [ ] Add the endpoint',
      '',
      '| Task | Depends on |',
      '| --- | --- |',
      '| API | Setup |',
      '',
    ].join('\n');
    const { code, stdout, stderr } = await run(['plan', '-'], body);
    expect(code).toBe(0);
    expect(stderr.split('\n')).toEqual([
      '<stdin>:10:10: warning: a table with a “Depends on” column: the order it gives is not read; write `Depends on:` lines under the units instead',
      '1 warning in <stdin>',
      '',
    ]);
    expect(stdout).toContain('Waves\n  1. phase-1-setup\n  2. phase-2-api');
    expect(stdout).toContain('Criteria (left for a person; never ticked)\n  line 5  [ ] It builds  (in phase-1-setup)');
    expect(stdout).toContain('1 warning (on standard error): the App waits for a writer’s `/execute start`');

    const json = JSON.parse((await run(['plan', '-', '--json'], body)).stdout);
    expect(json.warnings).toEqual([
      {
        line: 10,
        column: 10,
        message:
          'a table with a “Depends on” column: the order it gives is not read; write `Depends on:` lines under the units instead',
      },
    ]);
    expect(json.criteria).toEqual([{ title: 'It builds', line: 5, done: false, stream: 'phase-1-setup' }]);
  });

  it('reads standard input for -', async () => {
    const { code, stdout } = await run(['plan', '-', '--json'], '- [ ] only task\n');
    expect(code).toBe(0);
    expect(JSON.parse(stdout).streams[0].tasks[0].id).toBe('main.1');
  });

  it('exits 1 and lists every error with file, line and column', async () => {
    const { code, stderr } = await run(['plan', 'examples/with-errors.md']);
    expect(code).toBe(1);
    expect(stderr.split('\n')).toEqual([
      'examples/with-errors.md:2:20: error: dependency cycle: A → C → A',
      'examples/with-errors.md:4:3: error: task id A.1 is used twice: here and on line 3',
      'examples/with-errors.md:7:15: error: stream B depends on an unknown stream "Z" (streams: A, B, C)',
      'examples/with-errors.md:14:4: error: stream id B is used twice: here and on line 6',
      '4 errors in examples/with-errors.md',
      '',
    ]);
  });

  it('shows no waves, critical path or graph for a breakdown with errors: only what was read', async () => {
    const { code, stdout } = await run(['plan', 'examples/with-errors.md']);
    expect(code).toBe(1);
    expect(stdout).toContain(
      'examples/with-errors.md: not a plan yet: 4 errors (on standard error); what was read so far:',
    );
    expect(stdout).toContain('Streams\n');
    expect(stdout).not.toMatch(/Waves|Critical path|mermaid/);
    const json = JSON.parse((await run(['plan', 'examples/with-errors.md', '--json'])).stdout);
    expect([json.waves, json.criticalPath]).toEqual([[], []]);
    // Empty input: the error, and no empty plan before it.
    const empty = await run(['plan', '-'], '');
    expect(empty.stdout).toBe('<stdin>: not a plan yet: 1 error (on standard error); what was read so far:\n');
    expect(empty.stderr).toContain('<stdin>:1:1: error: no tasks found');
  });

  it('refuses UTF-16 and binary files, saying which', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'plan-'));
    const utf16 = join(dir, 'utf16.md');
    const binary = join(dir, 'image.md');
    await writeFile(utf16, Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from('## A\n- [ ] a\n', 'utf16le')]));
    await writeFile(binary, Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 0x0d, 0x49]));
    const first = await run(['plan', utf16]);
    expect(first.code).toBe(2);
    expect(first.stderr).toContain(`cannot read the breakdown ${utf16}: it is UTF-16, not UTF-8: save it as UTF-8`);
    const second = await run(['plan', binary]);
    expect(second.code).toBe(2);
    expect(second.stderr).toContain(
      `cannot read the breakdown ${binary}: it is binary, not Markdown (a NUL byte on line 3)`,
    );
    // UTF-16 without a byte-order mark is recognised by its NULs.
    await writeFile(utf16, Buffer.from('## A\n- [ ] a\n', 'utf16le'));
    expect((await run(['plan', utf16])).stderr).toContain('it is UTF-16');
  });

  it('puts the errors in the JSON with --json, still exiting 1', async () => {
    const { code, stdout, stderr } = await run(['plan', 'examples/with-errors.md', '--json']);
    expect(code).toBe(1);
    expect(stderr).toBe('');
    expect(JSON.parse(stdout).errors).toHaveLength(4);
  });

  it('checks gate names against --config', async () => {
    const { code, stderr } = await run(
      ['plan', '-', '--config', 'examples/execution-coordinator.yml'],
      '## Stream A\nGates: lint, e2e\n- [ ] a\n',
    );
    expect(code).toBe(1);
    expect(stderr).toContain(
      '<stdin>:2:14: error: stream A asks for gate "e2e", which the configuration does not define (the configuration defines build, lint, test)',
    );
  });

  it('gives each stream its implementer, checked against --config', async () => {
    const body = '## Stream A\nAgent: claude\n- [ ] one\n\n## Stream B\n- [ ] two\n';
    const json = JSON.parse((await run(['plan', '-', '--json'], body)).stdout);
    expect(json.streams.map((s: { implementer: string | null }) => s.implementer)).toEqual(['claude', null]);
    const checked = await run(['plan', '-', '--config', 'examples/execution-coordinator.yml'], body);
    expect(checked.code).toBe(1);
    expect(checked.stderr).toContain(
      '<stdin>:2:8: error: stream A asks for implementer "claude", which the configuration does not define (the configuration defines default, careful)',
    );
  });

  it('exits 2 naming the key when the config is invalid', async () => {
    const { code, stderr } = await run(['plan', 'examples/chat-system.md', '--config', 'test/fixtures/bad-config.yml']);
    expect(code).toBe(2);
    expect(stderr).toBe('test/fixtures/bad-config.yml: `max-parallel` must be at least 1\n');
  });

  it.each([
    [
      ['plan'],
      'execution-coordinator plan: missing the breakdown file (or - for standard input, or --issue owner/repo#N)',
    ],
    [['plan', 'a.md', 'b.md'], 'execution-coordinator plan: expected one file, got 2'],
    [['plan', 'nope.md'], 'execution-coordinator plan: cannot read the breakdown nope.md: no such file'],
    [['plan', 'examples'], 'execution-coordinator plan: cannot read the breakdown examples: it is a directory'],
    [['plan', 'examples/chat-system.md', '--jsn'], "execution-coordinator plan: Unknown option '--jsn'"],
    [
      ['plan', 'examples/chat-system.md', '--config'],
      "execution-coordinator plan: Option '--config <value>' argument missing",
    ],
    [['deploy'], 'execution-coordinator: unknown command "deploy"'],
  ])('exits 2 on bad usage: %j', async (args, message) => {
    const { code, stderr, stdout } = await run(args);
    expect(code).toBe(2);
    expect(stdout).toBe('');
    expect(stderr).toContain(message);
  });

  it('has --help on every command', async () => {
    expect(await run(['--help'])).toMatchObject({ code: 0, stdout: expect.stringContaining('plan <file|->') });
    expect(await run(['plan', '--help'])).toMatchObject({
      code: 0,
      stdout: expect.stringContaining('--config <path>'),
    });
    expect(await run([])).toMatchObject({ code: 2, stdout: expect.stringContaining('Usage: execution-coordinator') });
  });
});

describe('the installed bin', () => {
  const bin = promisify(execFile);
  const exec = (args: string[]) =>
    bin(process.execPath, [`${root}/lib/cli/run.js`, ...args], { cwd: root }).then(
      (r) => ({ code: 0, ...r }),
      (e: { code: number; stdout: string; stderr: string }) => e,
    );

  it('runs the built CLI as a process with the documented exit codes', async () => {
    const valid = await exec(['plan', 'examples/chat-system.md', '--json']);
    expect(valid.code).toBe(0);
    expect(JSON.parse(valid.stdout).criticalPath).toEqual(['A', 'C', 'D']);
    expect((await exec(['plan', 'examples/with-errors.md'])).code).toBe(1);
    expect((await exec(['plan'])).code).toBe(2);
    expect((await exec(['--version'])).stdout.trim()).toMatch(/^\d+\.\d+\.\d+$/);
  });
});
