import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

// `.env.example` documents every variable the App reads: its own, and those Probot reads for it
// (read from Probot's own source, so an upgrade that adds one shows here). `.env`, which holds
// the private key once Probot's setup has run, is never committed.

const root = new URL('../..', import.meta.url).pathname;
const names = (text: string) => new Set([...text.matchAll(/env\.([A-Z][A-Z0-9_]+)/g)].map((m) => m[1] as string));

describe('the App’s environment', () => {
  it('is documented in .env.example, variable by variable', () => {
    const documented = new Set(
      [...readFileSync(join(root, '.env.example'), 'utf8').matchAll(/^#? ?([A-Z][A-Z0-9_]+)=/gm)].map((m) => m[1]),
    );
    const probot = join(root, 'node_modules/probot');
    const read = new Set([
      ...names(readFileSync(join(probot, 'lib/bin/read-env-options.js'), 'utf8')),
      ...['PRIVATE_KEY', 'PRIVATE_KEY_PATH'], // @probot/get-private-key
      ...readdirSync(join(root, 'src/app')).flatMap((file) => [
        ...names(readFileSync(join(root, 'src/app', file), 'utf8')),
      ]),
    ]);
    expect([...read].filter((name) => !documented.has(name))).toEqual([]);
    expect(read.size).toBeGreaterThan(15);
  });

  it('keeps .env out of git', () => {
    expect(() => execFileSync('git', ['check-ignore', '-q', '.env'], { cwd: root })).not.toThrow();
  });
});
