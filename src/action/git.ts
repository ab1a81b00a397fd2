import { execFile } from 'node:child_process';

// Git, always as an argument list: no shell ever sees a title, a branch name or a path.

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

/** The remote the checkout came from. */
const REMOTE = 'origin';

export class Git {
  /**
   * @param auth  `-c` settings for commands that talk to the remote (the token as an HTTP
   *              header), so that no credential is left in the checkout's config for
   *              `implement` or a gate to read.
   */
  constructor(
    readonly cwd: string,
    private readonly env: NodeJS.ProcessEnv = process.env,
    private readonly auth: readonly string[] = [],
  ) {}

  /** Network commands carry the credentials; nothing else does. */
  remote(args: readonly string[]): Promise<string> {
    return this.run([...this.auth, ...args]);
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
    return new Promise((resolve, reject) => {
      const child = execFile(
        'git',
        [...args],
        { cwd: this.cwd, env: this.env, maxBuffer: 64 * 1024 * 1024 },
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
    return (await this.run(['status', '--porcelain'])).trim() !== '';
  }

  /** Stages everything and commits it (empty allowed): one task, one commit. */
  async commitAll(message: string, author: { name: string; email: string }): Promise<string> {
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
