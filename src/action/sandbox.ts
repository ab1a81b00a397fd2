import { type ChildProcess, execFileSync, spawn, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { chmodSync, lchownSync, lstatSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';

// Where untrusted code runs. `implement` (often an agent) and the gates are code the issue's
// tasks shaped; the Action holds a write token. On a Linux runner where this step is root (or
// became root through passwordless sudo, see elevate.ts), they run as a fresh unprivileged user
// made for this run: it cannot read this process's environment (/proc/<pid>/environ is its
// owner's), cannot write `.git` (hooks, config) or the runner's files, and every process it left
// behind is killed before the Action's git talks to the remote. Elsewhere they run as this user,
// with a warning, because then nothing can keep them from the token.

export type SandboxSetting = 'auto' | 'required' | 'off';

export interface Sandbox {
  /** `user`: a separate unprivileged user; `same-user`: this process's user (no isolation). */
  readonly kind: 'user' | 'same-user';
  /** Starts `/bin/sh -c command` in its own process group, inside the sandbox. */
  spawn(command: string, options: { readonly cwd: string; readonly env: NodeJS.ProcessEnv }): ChildProcess;
  /** Ends every process the sandbox user still has: a daemon a task started does not outlive it. */
  sweep(): void;
  /** Gives the work tree back to its owner and removes the sandbox user. */
  release(): void;
}

export interface SandboxPlaces {
  /** The checkout: its work tree is handed to the sandbox user, its `.git` is not. */
  readonly workspace: string;
  /** The run's own folder (RUNNER_TEMP): task context files and the sandbox user's home. */
  readonly tempDir: string;
}

export class SandboxError extends Error {
  override name = 'SandboxError';
}

/** The sandbox the setting asks for, and a warning when it cannot isolate. */
export function openSandbox(setting: SandboxSetting, places: SandboxPlaces): { sandbox: Sandbox; warning?: string } {
  if (setting === 'off') {
    return {
      sandbox: sameUser,
      warning:
        'input `sandbox` is off: implement and the gates run as this step’s user and could read the token from this process',
    };
  }
  if (process.getuid?.() !== 0) {
    const why = `this step runs as uid ${process.getuid?.() ?? '?'} without passwordless sudo, so implement and the gates cannot run as another user`;
    if (setting === 'required') throw new SandboxError(`input \`sandbox\` is required, but ${why}`);
    return {
      sandbox: sameUser,
      warning: `${why}: they could read the token from this process. Use a GitHub-hosted runner, a self-hosted one with passwordless sudo, or see README "Threat model"`,
    };
  }
  return { sandbox: new UserSandbox(places) };
}

function spawnShell(command: string, cwd: string, env: NodeJS.ProcessEnv, ids?: { uid: number; gid: number }) {
  return spawn('/bin/sh', ['-c', command], {
    cwd,
    env,
    ...(ids ? { uid: ids.uid, gid: ids.gid } : {}),
    detached: true, // its own process group: a timeout ends the whole tree
    stdio: ['ignore', 'pipe', 'pipe'],
  });
}

const sameUser: Sandbox = {
  kind: 'same-user',
  spawn: (command, { cwd, env }) => spawnShell(command, cwd, env),
  sweep: () => undefined,
  release: () => undefined,
};

interface Owner {
  readonly uid: number;
  readonly gid: number;
  readonly mode: number;
}

class UserSandbox implements Sandbox {
  readonly kind = 'user';
  readonly #places: SandboxPlaces;
  readonly #name = `ec-sandbox-${randomBytes(4).toString('hex')}`;
  readonly #home: string;
  #ids: { uid: number; gid: number } | undefined;
  #owner: Owner | undefined;

  constructor(places: SandboxPlaces) {
    this.#places = places;
    this.#home = join(places.tempDir, `${this.#name}-home`);
  }

  spawn(command: string, { cwd, env }: { cwd: string; env: NodeJS.ProcessEnv }): ChildProcess {
    const ids = this.#open();
    return spawnShell(command, cwd, { ...env, HOME: this.#home, USER: this.#name, LOGNAME: this.#name }, ids);
  }

  /**
   * The user and the hand-over happen at the first command, not before: the Action's own git
   * (checkout, merges) writes the work tree first, and whatever it wrote must be handed over too.
   */
  #open(): { uid: number; gid: number } {
    if (this.#ids) return this.#ids;
    const { workspace, tempDir } = this.#places;
    createUser(this.#name);
    const ids = { uid: numberOf('id', ['-u', this.#name]), gid: numberOf('id', ['-g', this.#name]) };
    this.#ids = ids;
    mkdirSync(this.#home, { recursive: true, mode: 0o700 });
    lchownSync(this.#home, ids.uid, ids.gid);
    const root = statSync(workspace);
    this.#owner = { uid: root.uid, gid: root.gid, mode: root.mode & 0o7777 };
    // The work tree is the sandbox user's to change; `.git` stays ours. The folder itself stays
    // ours too, with the sticky bit: the user may add and remove its own entries, but cannot
    // rename `.git` away and put a `.git` of its own (hooks, config) in its place.
    for (const entry of readdirSync(workspace)) if (entry !== '.git') chownTree(join(workspace, entry), ids);
    chmodSync(workspace, 0o1777);
    for (const path of [workspace, tempDir, this.#home]) this.#openPath(path);
    return ids;
  }

  /**
   * Search permission (never listing) on each folder above `path` that lacks it. It stays: two
   * runs on one machine may share these folders, and one must not close them on the other.
   */
  #openPath(path: string): void {
    for (let dir = dirname(path); ; dir = dirname(dir)) {
      const mode = statSync(dir).mode & 0o7777;
      if ((mode & 0o001) === 0) chmodSync(dir, mode | 0o001);
      if (dirname(dir) === dir) return;
    }
  }

  sweep(): void {
    if (!this.#ids) return;
    const ids = this.#ids;
    // kill(-1) as the user itself signals every process of that user in one pass of the kernel,
    // so a process that forks faster than /proc can be read is caught too. Round after round
    // until /proc shows none; a survivor stops the run before the Action's git does anything.
    // A scan alone proves nothing (a process between fork and exit can slip past it): kill first,
    // always, then ask for two empty scans in a row.
    for (let round = 0, empty = 0; round < 20; round++) {
      spawnSync(process.execPath, ['-e', 'process.kill(-1, "SIGKILL")'], {
        ...ids,
        cwd: '/',
        stdio: 'ignore',
        env: {},
      });
      empty = processesOf(ids.uid).length === 0 ? empty + 1 : 0;
      if (empty >= 2) return;
    }
    const left = processesOf(ids.uid);
    if (left.length > 0) {
      throw new SandboxError(
        `${left.length} processes of the sandbox user ${this.#name} could not be ended (pids ${left.slice(0, 5).join(', ')}): stopping before git runs`,
      );
    }
  }

  release(): void {
    if (!this.#ids || !this.#owner) return;
    // Throws while the user's processes live: then its uid is not freed for another user, nor
    // is anything chowned under their feet.
    this.sweep();
    const { workspace } = this.#places;
    // Everything goes back to the checkout's owner, `.git` included (an elevated run wrote it as root).
    chownTree(workspace, this.#owner);
    chmodSync(workspace, this.#owner.mode);
    rmSync(this.#home, { recursive: true, force: true });
    try {
      execFileSync('userdel', [this.#name], { stdio: 'ignore' });
    } catch {
      // A user that cannot be removed now is harmless: it owns nothing and runs nothing.
    }
  }
}

/** `useradd` takes a lock on /etc/passwd; a concurrent run may hold it for a moment. */
function createUser(name: string): void {
  for (let attempt = 1; ; attempt++) {
    try {
      execFileSync(
        'useradd',
        [
          '--system',
          '--user-group',
          '--no-create-home',
          '--home-dir',
          '/nonexistent',
          '--shell',
          '/usr/sbin/nologin',
          name,
        ],
        { stdio: ['ignore', 'ignore', 'pipe'] },
      );
      return;
    } catch (error) {
      if (attempt >= 100) {
        const stderr = String((error as { stderr?: Buffer }).stderr ?? '').trim();
        throw new SandboxError(`could not create the sandbox user ${name}: ${stderr || (error as Error).message}`);
      }
      execFileSync('sleep', ['0.1']);
    }
  }
}

function numberOf(command: string, args: string[]): number {
  return Number(execFileSync(command, args, { encoding: 'utf8' }).trim());
}

/** Changes the owner of a tree without following symbolic links. */
function chownTree(path: string, ids: { uid: number; gid: number }): void {
  const stack = [path];
  while (stack.length > 0) {
    const current = stack.pop() as string;
    lchownSync(current, ids.uid, ids.gid);
    if (lstatSync(current).isDirectory()) for (const entry of readdirSync(current)) stack.push(join(current, entry));
  }
}

/** Pids of the live processes whose real user is `uid`. */
function processesOf(uid: number): number[] {
  const pids: number[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const status = readFileSync(`/proc/${entry}/status`, 'utf8');
      const real = /^Uid:\s+(\d+)/m.exec(status)?.[1];
      // A zombie has ended already: it runs nothing, and only its parent (or init) can reap it.
      const zombie = /^State:\s+Z/m.test(status);
      if (Number(real) === uid && !zombie) pids.push(Number(entry));
    } catch {
      // It ended while we looked.
    }
  }
  return pids;
}
