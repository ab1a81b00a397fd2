import { existsSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { actionHarness } from '../support/action-harness.js';

// What a task could leave behind for the Action's own git or for later: a git repository of its
// own in the work tree (its config would run as the Action's user), and processes that fork
// faster than a scan of /proc can see them.

const BODY = '## Stream A: Store\n- [ ] Task 1: Add the store\n- [ ] Task 2: Add the index\n';
const CONFIG = 'gates:\n  ok: "true"\ntask-gates: [ok]\n';

let close: (() => void) | undefined;
const markers: string[] = [];
afterEach(() => {
  close?.();
  for (const marker of markers.splice(0)) rmSync(marker, { force: true });
});

function setup(implement: string) {
  const harness = actionHarness({ '.github/execution-coordinator.yml': CONFIG, 'implement.sh': implement });
  close = harness.close;
  harness.fake.addIssue(12, BODY, ['execute']);
  harness.fake.approve(12);
  harness.fake.refs.set('execute/12/A', harness.fake.refs.get('main') as string);
  const run = () =>
    harness.run(
      { mode: 'stream', issue: '12', stream: 'A', implement: 'sh implement.sh' },
      { inputs: {} },
      harness.checkout('execute/12/A'),
    );
  return { ...harness, runA: run };
}

/**
 * The chain's processes (perl) of `uid`, zombies included: a chain that keeps forking makes this
 * number grow. Only perl: once the user is removed, another run's sandbox user may get its uid.
 */
/** Live perl and sleep processes of `uid` (ended ones nobody reaped do not run anything). */
function liveCount(uid: number): number {
  return readdirSync('/proc')
    .filter((entry) => /^\d+$/.test(entry))
    .filter((pid) => {
      try {
        const status = readFileSync(`/proc/${pid}/status`, 'utf8');
        return (
          Number(/^Uid:\s+(\d+)/m.exec(status)?.[1]) === uid &&
          /^Name:\s+(?:perl|sleep)$/m.test(status) &&
          !/^State:\s+Z/m.test(status)
        );
      } catch {
        return false;
      }
    }).length;
}

describe('what a task leaves behind', () => {
  it('a git repository of its own in the work tree: refused before the Action’s git looks at it', async () => {
    const marker = join(tmpdir(), `nested-filter-ran-${process.pid}`);
    markers.push(marker);
    const { fake, runA } = setup(
      [
        'set -e',
        'mkdir -p sub && cd sub && git init -q',
        // Each records who ran it: the task's own git may run them, the Action's must not.
        `git config filter.x.clean "id -u >> ${marker}; cat"`,
        `git config core.fsmonitor "id -u >> ${marker}"`,
        "echo '* filter=x' > .gitattributes && echo a > f",
        'git -c user.name=a -c user.email=b add -A && git -c user.name=a -c user.email=b commit -qm x',
        '',
      ].join('\n'),
    );
    const result = await runA();
    expect(result.failed).toBe(true);
    const failure = fake.commentsOn(12).find((c) => c.body.includes('Stream A failed'))?.body ?? '';
    expect(failure).toContain('the work tree holds a git repository the Action did not make (sub/.git)');
    const ranAs = existsSync(marker) ? readFileSync(marker, 'utf8').split('\n').filter(Boolean) : [];
    expect(ranAs.filter((uid) => uid === String(process.getuid?.()))).toEqual([]);
    expect(fake.issue(12).body).not.toContain('[x]');
  });

  it('processes that fork faster than they can be listed, or wait in a session of their own: all ended before the Action’s git runs', async () => {
    const uidFile = join(tmpdir(), `sandbox-uid-${process.pid}`);
    markers.push(uidFile);
    const { runA } = setup(
      [
        `id -u > ${uidFile}`,
        // Detach, then keep replacing itself with a child: a moving target for a scan of /proc.
        `perl -MPOSIX -e 'exit if fork; POSIX::setsid(); while (1) { exit if fork }' </dev/null >/dev/null 2>&1 &`,
        // And one that just waits, in a session of its own, out of the task's process group.
        'setsid sleep 300 </dev/null >/dev/null 2>&1 &',
        'sleep 0.3',
        'echo store > store.txt',
        '',
      ].join('\n'),
    );
    const result = await runA();
    expect(result.failed).toBe(false);
    const uid = Number(readFileSync(uidFile, 'utf8').trim());
    expect(uid).toBeGreaterThan(0);
    // Nothing of that user runs on, now or a moment later.
    expect(liveCount(uid)).toBe(0);
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(liveCount(uid)).toBe(0);
  });
});
