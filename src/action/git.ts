import { execFile } from 'node:child_process';
import { lstatSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';

// Git, always as an argument list: no shell ever sees a title, a branch name or a path. And never
// with a credential in that list (an error message quotes it, and `ps` shows it to every user):
// the token reaches git through the environment of the one child that talks to the remote.

export class GitError extends Error {
  override name = 'GitError';
  constructor(
    readonly args: readonly string[],
    readonly stderr: string,
    readonly code: number | null,
  ) {
    super(`git ${args.join(' ')} failed (${code}): ${stderr.trim()}`);
  }
}

/** Where a `.git` file (`gitdir: <path>`) points, resolved from its folder. */
function gitfileTarget(path: string): string {
  const text = readFileSync(path, 'utf8');
  const match = /^gitdir: (.+)$/m.exec(text.slice(0, 4096));
  return match ? resolve(dirname(path), (match[1] as string).trim()) : '';
}

function insideOf(folder: string, path: string): boolean {
  return path !== '' && !relative(folder, path).startsWith('..') && !relative(folder, path).startsWith('/');
}

/** The remote the checkout came from. */
const REMOTE = 'origin';

/** Where the token goes: the server's URL (GITHUB_SERVER_URL) and the token itself. */
export interface GitCredentials {
  readonly serverUrl: string;
  readonly token: string;
}

// Variables git itself may need; nothing else of the Action's environment reaches it.
const PASSED =
  /^(?:PATH|HOME|TMPDIR|LANG|LC_ALL|(?:HTTPS?|NO|ALL)_PROXY|(?:https?|no|all)_proxy|SSL_CERT_(?:FILE|DIR)|GIT_SSL_CAINFO)$/;

/**
 * Settings that win over any config file (they come as command-line config): whatever a task
 * may have planted in `.git/config` or a hook directory, this git runs no hook, no file monitor,
 * no credential helper and no pager, and signs nothing. `safe.directory` lets it work in a
 * checkout whose work tree belongs to the sandbox user.
 */
const OVERRIDES: readonly (readonly [string, string])[] = [
  ['core.hooksPath', '/dev/null'],
  ['core.fsmonitor', 'false'],
  ['core.pager', 'cat'],
  ['core.askPass', ''],
  ['credential.helper', ''],
  ['commit.gpgSign', 'false'],
  ['protocol.ext.allow', 'never'],
  ['safe.directory', '*'],
];

/** The environment of a git child: the few variables it needs, the overrides, and any extra config. */
export function gitEnvironment(
  env: NodeJS.ProcessEnv,
  extra: readonly (readonly [string, string])[] = [],
): NodeJS.ProcessEnv {
  const config = [...OVERRIDES, ...extra];
  return {
    ...Object.fromEntries(Object.entries(env).filter(([name]) => PASSED.test(name))),
    GIT_TERMINAL_PROMPT: '0',
    GIT_CONFIG_COUNT: String(config.length),
    ...Object.fromEntries(
      config.flatMap(([key, value], i) => [
        [`GIT_CONFIG_KEY_${i}`, key],
        [`GIT_CONFIG_VALUE_${i}`, value],
      ]),
    ),
  };
}

/**
 * The token as an HTTP header for the server. The empty value first resets any header a
 * checkout persisted, so that exactly one Authorization header is sent.
 */
function authConfig({ serverUrl, token }: GitCredentials): [string, string][] {
  const key = `http.${serverUrl.replace(/\/$/, '')}/.extraheader`;
  const basic = Buffer.from(`x-access-token:${token}`).toString('base64');
  return [
    [key, ''],
    [key, `AUTHORIZATION: basic ${basic}`],
  ];
}

export class Git {
  readonly #local: NodeJS.ProcessEnv;
  readonly #remote: NodeJS.ProcessEnv;

  /**
   * @param env          the Action's environment; only what git needs is passed on
   * @param credentials  for the commands that talk to the remote, and only for them
   */
  constructor(
    readonly cwd: string,
    env: NodeJS.ProcessEnv = process.env,
    credentials?: GitCredentials,
  ) {
    this.#local = gitEnvironment(env);
    this.#remote = credentials ? gitEnvironment(env, authConfig(credentials)) : this.#local;
  }

  /** Network commands carry the credentials; nothing else does. */
  remote(args: readonly string[]): Promise<string> {
    return this.#exec(args, this.#remote);
  }

  /**
   * Credentials a checkout left in the repository's config (actions/checkout's
   * `persist-credentials`, directly or through an include): the names of the keys.
   */
  async persistedCredentials(): Promise<string[]> {
    // No repository (a gate run on files laid out by other means): no git config to hold one.
    if (!(await this.isRepository())) return [];
    const found = await this.run([
      'config',
      '--local',
      '--includes',
      '--name-only',
      '--get-regexp',
      '^http\\..*\\.extraheader$|^credential\\.',
    ]).catch((error: unknown) => {
      // 1: no such key, which is the good answer.
      if (error instanceof GitError && error.code === 1) return '';
      throw error;
    });
    return [...new Set(found.split('\n').filter(Boolean))];
  }

  async isRepository(): Promise<boolean> {
    return this.run(['rev-parse', '--git-dir']).then(
      () => true,
      (error: unknown) => {
        if (error instanceof GitError && error.code === 128) return false;
        throw error;
      },
    );
  }

  async isShallow(): Promise<boolean> {
    return (await this.run(['rev-parse', '--is-shallow-repository'])).trim() === 'true';
  }

  /**
   * Puts the checkout on the remote tip of `branch`: a re-run or a checkout of another ref may
   * stand elsewhere. Uncommitted changes (a stream without implement) come along.
   */
  async syncTo(branch: string): Promise<void> {
    // The ledger and the handoff read history that a shallow checkout does not have.
    if (await this.isShallow()) await this.remote(['fetch', '--unshallow', '--no-tags', '--quiet', REMOTE]);
    const tracking = `refs/remotes/${REMOTE}/${branch}`;
    await this.remote(['fetch', '--no-tags', '--quiet', REMOTE, `+refs/heads/${branch}:${tracking}`]);
    const [head, tip] = [await this.head(), (await this.run(['rev-parse', tracking])).trim()];
    if (head !== tip) await this.run(['checkout', '--quiet', '-B', branch, tracking]);
  }

  run(args: readonly string[], input?: string): Promise<string> {
    return this.#exec(args, this.#local, input);
  }

  #exec(args: readonly string[], env: NodeJS.ProcessEnv, input?: string): Promise<string> {
    return new Promise((resolve, reject) => {
      const child = execFile(
        'git',
        [...args],
        { cwd: this.cwd, env, maxBuffer: 64 * 1024 * 1024 },
        (error, stdout, stderr) => {
          if (error) reject(new GitError(args, stderr, typeof error.code === 'number' ? error.code : null));
          else resolve(stdout);
        },
      );
      if (input !== undefined) child.stdin?.end(input);
    });
  }

  async head(): Promise<string> {
    return (await this.run(['rev-parse', 'HEAD'])).trim();
  }

  async hasChanges(): Promise<boolean> {
    this.refuseForeignRepositories();
    return (await this.run(['status', '--porcelain'])).trim() !== '';
  }

  /**
   * A task may leave a git repository inside the work tree (`sub/.git`), with a config of its own:
   * `git status` and `git add` look into it and run its filters and file monitor, as this
   * process's user. So none may be there, except a submodule's `.git` file pointing into our own
   * `.git/modules`, which the task cannot write.
   */
  refuseForeignRepositories(): void {
    const modules = join(this.cwd, '.git', 'modules');
    const foreign: string[] = [];
    const stack = readdirSync(this.cwd)
      .filter((entry) => entry !== '.git')
      .map((entry) => join(this.cwd, entry));
    while (stack.length > 0 && foreign.length < 5) {
      const path = stack.pop() as string;
      const stat = lstatSync(path, { throwIfNoEntry: false });
      if (!stat) continue;
      const name = path.slice(path.lastIndexOf('/') + 1);
      if (name === '.git') {
        if (!stat.isFile() || !insideOf(modules, gitfileTarget(path))) foreign.push(relative(this.cwd, path));
        continue;
      }
      if (stat.isDirectory()) for (const entry of readdirSync(path)) stack.push(join(path, entry));
    }
    if (foreign.length > 0)
      throw new Error(
        `the work tree holds a git repository the Action did not make (${foreign.join(', ')}): git would run its config; remove it, or vendor its files without their .git`,
      );
  }

  /** Stages everything and commits it (empty allowed): one task, one commit. */
  async commitAll(message: string, author: { name: string; email: string }): Promise<string> {
    this.refuseForeignRepositories();
    await this.run(['add', '--all']);
    await this.run(
      [
        '-c',
        `user.name=${author.name}`,
        '-c',
        `user.email=${author.email}`,
        'commit',
        '--allow-empty',
        '--no-verify',
        '--file',
        '-',
      ],
      message,
    );
    return this.head();
  }

  async push(branch: string): Promise<void> {
    await this.remote(['push', '--quiet', REMOTE, `HEAD:refs/heads/${branch}`]);
  }

  /** Fetches every branch under `prefix` into refs/remotes/origin/<prefix>…; returns their names. */
  async fetchBranches(prefix: string): Promise<string[]> {
    await this.remote([
      'fetch',
      '--no-tags',
      '--quiet',
      REMOTE,
      `+refs/heads/${prefix}*:refs/remotes/${REMOTE}/${prefix}*`,
    ]);
    const refs = await this.run(['for-each-ref', '--format=%(refname:strip=3)', `refs/remotes/${REMOTE}/${prefix}`]);
    return refs.split('\n').filter(Boolean);
  }

  /** Full messages of the commits reachable from these refs, each once. */
  async messages(refs: readonly string[]): Promise<string[]> {
    if (refs.length === 0) return [];
    const out = await this.run(['log', '--format=%B%x00', ...refs, '--']);
    return out
      .split('\0')
      .map((m) => m.replace(/^\n/, ''))
      .filter((m) => m.trim() !== '');
  }

  /** Merges a ref; on a conflict, aborts and returns the conflicting files. */
  async merge(ref: string, message: string, author: { name: string; email: string }): Promise<{ conflicts: string[] }> {
    try {
      await this.run([
        '-c',
        `user.name=${author.name}`,
        '-c',
        `user.email=${author.email}`,
        'merge',
        '--no-ff',
        '--no-edit',
        '-m',
        message,
        ref,
      ]);
      return { conflicts: [] };
    } catch (error) {
      const conflicts = (await this.run(['diff', '--name-only', '--diff-filter=U'])).split('\n').filter(Boolean);
      await this.run(['merge', '--abort']).catch(() => undefined);
      if (conflicts.length === 0) throw error;
      return { conflicts };
    }
  }

  /** Files changed between two commits. */
  async changedFiles(from: string, to: string): Promise<string[]> {
    return (await this.run(['diff', '--name-only', `${from}...${to}`])).split('\n').filter(Boolean);
  }

  async mergeBase(a: string, b: string): Promise<string> {
    return (await this.run(['merge-base', a, b])).trim();
  }
}
