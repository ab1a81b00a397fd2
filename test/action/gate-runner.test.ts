import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runGates } from '../../src/action/gate-runner.js';
import type { GateConfig } from '../../src/core/config/schema.js';

const gate = (run: string, extra: Partial<GateConfig> = {}): GateConfig => ({
  run,
  timeoutMinutes: 1,
  needs: [],
  ...extra,
});
const options = () => ({
  cwd: mkdtempSync(join(tmpdir(), 'gates-')),
  env: { PATH: process.env.PATH, GREETING: 'hello' },
});

/** Running, as opposed to gone or a zombie waiting for a parent (PID 1 here may never reap). */
function alive(pid: number): boolean {
  try {
    return !/^State:\s+Z/m.test(readFileSync(`/proc/${pid}/status`, 'utf8'));
  } catch {
    return false;
  }
}

describe('the gate runner', () => {
  it('reports passing and failing gates with their exit codes and output', async () => {
    const results = await runGates(
      { lint: gate('echo "$GREETING from lint"'), test: gate('echo broken >&2; exit 3') },
      ['lint', 'test'],
      options(),
    );
    expect(results.map((r) => [r.name, r.outcome, r.exitCode, r.output])).toEqual([
      ['lint', 'passed', 0, 'hello from lint\n'],
      ['test', 'failed', 3, 'broken\n'],
    ]);
  });

  it('kills the whole process tree when a gate times out, grandchildren included', async () => {
    const { cwd, env } = options();
    const pidFile = join(cwd, 'grandchild.pid');
    const [result] = await runGates(
      { slow: gate(`sleep 30 & echo $! > ${pidFile}; echo started; sleep 30`, { timeoutMinutes: 0.005 }) },
      ['slow'],
      { cwd, env, graceMs: 100 },
    );
    expect(result).toMatchObject({
      outcome: 'timed-out',
      reason: 'timed out after 0.005 minutes',
      output: 'started\n',
    });
    const grandchild = Number(readFileSync(pidFile, 'utf8'));
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(alive(grandchild)).toBe(false);
  });

  it('keeps a bounded tail of huge output', async () => {
    const [result] = await runGates(
      { noisy: gate('yes "a line of output" | head -c 30000000; echo; echo THE END') },
      ['noisy'],
      {
        ...options(),
        outputLimit: 64 * 1024,
      },
    );
    expect(result?.outcome).toBe('passed');
    expect(result?.output.length).toBeLessThanOrEqual(64 * 1024);
    expect(result?.dropped).toBeGreaterThan(29_000_000);
    expect(result?.output.endsWith('\nTHE END\n')).toBe(true);
  });

  it('runs gates without needs side by side: every one starts before any finishes', async () => {
    const { cwd, env } = options();
    const timed = (name: string) => gate(`date +%s%N > ${name}.start; sleep 0.4; date +%s%N > ${name}.end`);
    await runGates({ a: timed('a'), b: timed('b'), c: timed('c') }, ['a', 'b', 'c'], { cwd, env });
    const read = (file: string) => BigInt(readFileSync(join(cwd, file), 'utf8').trim());
    const lastStart = ['a', 'b', 'c'].map((n) => read(`${n}.start`)).reduce((x, y) => (x > y ? x : y));
    const firstEnd = ['a', 'b', 'c'].map((n) => read(`${n}.end`)).reduce((x, y) => (x < y ? x : y));
    expect(lastStart < firstEnd).toBe(true);
  });

  it('starts a gate after the gates it needs, and skips it when one of them failed', async () => {
    const { cwd, env } = options();
    const results = await runGates(
      {
        build: gate(`echo built > build.out`),
        test: gate('cat build.out', { needs: ['build'] }),
        lint: gate('exit 1'),
        e2e: gate('echo never', { needs: ['lint'] }),
      },
      ['test', 'e2e'],
      { cwd, env },
    );
    expect(results.map((r) => [r.name, r.outcome, r.reason ?? r.output])).toEqual([
      ['build', 'passed', ''],
      ['test', 'passed', 'built\n'],
      ['lint', 'failed', ''],
      ['e2e', 'skipped', 'needs lint, which did not pass'],
    ]);
  });
});

describe('a gate that leaves a process behind', () => {
  it('is done when its shell exits, and what it left is killed', async () => {
    const { cwd, env } = options();
    const pidFile = join(cwd, 'server.pid');
    const [result] = await runGates(
      { test: gate(`sleep 30 & echo $! > ${pidFile}; echo tested`, { timeoutMinutes: 0.2 }) },
      ['test'],
      { cwd, env },
    );
    expect(result).toMatchObject({ outcome: 'passed', exitCode: 0, output: 'tested\n' });
    expect(result?.durationMs).toBeLessThan(0.2 * 60_000);
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(alive(Number(readFileSync(pidFile, 'utf8')))).toBe(false);
  });
});
