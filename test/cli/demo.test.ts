import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';

// `npm run demo` with arguments it cannot use: one line saying which, the usage, exit 2, and no
// run of the happy path in their place.

const root = fileURLToPath(new URL('../..', import.meta.url));
const demo = (...args: string[]) =>
  promisify(execFile)(process.execPath, ['--import', 'tsx', 'demo/run.ts', ...args], { cwd: root }).then(
    ({ stdout, stderr }) => ({ code: 0, stdout, stderr }),
    (error: { code: number; stdout: string; stderr: string }) => error,
  );

describe('npm run demo, used wrongly', () => {
  it('names an unknown option, with the usage and no stack trace', async () => {
    const { code, stderr } = await demo('--bogus');
    expect(code).toBe(2);
    expect(stderr).toContain("npm run demo: Unknown option '--bogus'");
    expect(stderr).toContain('Usage: npm run demo');
    expect(stderr).not.toMatch(/\n\s+at /);
  });

  it('refuses --fail-at of a task the breakdown does not have, before running anything', async () => {
    const { code, stdout, stderr } = await demo('--fail-at', 'Z.9');
    expect(code).toBe(2);
    expect(stderr).toContain(
      '--fail-at Z.9: the breakdown has no such task (its tasks: A.1, A.2, B.3, B.4, C.5, C.6, D.7, D.8)',
    );
    expect(stdout).toBe('');
  });
});
