import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';

// Where the fake GitHub keeps branches and commits: in memory (fast, for App tests), or in a real
// bare git repository that the Action under test clones and pushes to, so that what the API says
// and what git holds are one and the same.

export interface CommitInfo {
  readonly message: string;
  readonly parents: readonly string[];
}

export interface RepoStore {
  readonly refs: {
    get(name: string): string | undefined;
    set(name: string, sha: string): void;
    has(name: string): boolean;
    delete(name: string): boolean;
    keys(): string[];
    [Symbol.iterator](): Iterator<[string, string]>;
  };
  readonly commits: { get(sha: string): CommitInfo | undefined };
  commit(message: string, parents: readonly string[]): string;
  /** Commits reachable from `sha`, itself included. */
  ancestors(sha: string): Set<string>;
  /** First-parent history from `sha`, newest first. */
  history(sha: string): { sha: string; message: string }[];
  /** A merge commit of `head` into `base`, or 'conflict'. */
  merge(base: string, head: string, message: string): string | 'conflict';
  /** A file's content at a ref, if the store holds files. */
  file(ref: string, path: string): string | undefined;
}

export class MemoryStore implements RepoStore {
  readonly #refs = new Map<string, string>();
  readonly #commits = new Map<string, CommitInfo>();
  #seq = 0;

  readonly refs = {
    get: (name: string) => this.#refs.get(name),
    set: (name: string, sha: string) => void this.#refs.set(name, sha),
    has: (name: string) => this.#refs.has(name),
    delete: (name: string) => this.#refs.delete(name),
    keys: () => [...this.#refs.keys()],
    [Symbol.iterator]: () => this.#refs.entries(),
  };
  readonly commits = { get: (sha: string) => this.#commits.get(sha) };

  commit(message: string, parents: readonly string[]): string {
    const sha = createHash('sha1')
      .update(`${message}\0${parents.join(',')}\0${++this.#seq}`)
      .digest('hex');
    this.#commits.set(sha, { message, parents: [...parents] });
    return sha;
  }

  ancestors(sha: string): Set<string> {
    const seen = new Set<string>();
    const stack = [sha];
    while (stack.length > 0) {
      const at = stack.pop() as string;
      if (seen.has(at)) continue;
      seen.add(at);
      stack.push(...(this.#commits.get(at)?.parents ?? []));
    }
    return seen;
  }

  history(sha: string): { sha: string; message: string }[] {
    const out: { sha: string; message: string }[] = [];
    for (let at: string | undefined = sha; at && this.#commits.has(at); at = this.#commits.get(at)?.parents[0]) {
      out.push({ sha: at, message: this.#commits.get(at)?.message ?? '' });
    }
    return out;
  }

  merge(base: string, head: string, message: string): string {
    return this.commit(message, [base, head]);
  }

  file(): undefined {
    return undefined;
  }
}

export class GitStore implements RepoStore {
  constructor(readonly bare: string) {}

  #git(args: string[], input?: string): string {
    return execFileSync('git', ['-C', this.bare, ...args], {
      encoding: 'utf8',
      input,
      env: {
        ...process.env,
        GIT_AUTHOR_NAME: 'GitHub',
        GIT_AUTHOR_EMAIL: 'noreply@github.com',
        GIT_COMMITTER_NAME: 'GitHub',
        GIT_COMMITTER_EMAIL: 'noreply@github.com',
      },
      stdio: ['pipe', 'pipe', 'pipe'],
    });
  }

  #try(args: string[]): string | undefined {
    try {
      return this.#git(args).trim();
    } catch {
      return undefined;
    }
  }

  readonly refs = {
    get: (name: string) => this.#try(['rev-parse', '--verify', '--quiet', `refs/heads/${name}^{commit}`]) || undefined,
    set: (name: string, sha: string) => void this.#git(['update-ref', `refs/heads/${name}`, sha]),
    has: (name: string) => this.refs.get(name) !== undefined,
    delete: (name: string) => {
      if (!this.refs.has(name)) return false;
      this.#git(['update-ref', '-d', `refs/heads/${name}`]);
      return true;
    },
    keys: () => this.#list().map(([name]) => name),
    [Symbol.iterator]: () => this.#list()[Symbol.iterator](),
  };

  readonly commits = {
    get: (sha: string): CommitInfo | undefined => {
      const out = this.#try(['log', '-1', '--format=%P%x00%B', sha]);
      if (out === undefined) return undefined;
      const [parents, message] = out.split('\0');
      return { parents: (parents ?? '').split(' ').filter(Boolean), message: message ?? '' };
    },
  };

  #list(): [string, string][] {
    return this.#git(['for-each-ref', '--format=%(refname:strip=2) %(objectname)', 'refs/heads/'])
      .split('\n')
      .filter(Boolean)
      .map((line) => line.split(' ') as [string, string]);
  }

  commit(message: string, parents: readonly string[]): string {
    const tree = parents[0]
      ? this.#git(['rev-parse', `${parents[0]}^{tree}`]).trim()
      : this.#git(['mktree'], '').trim();
    return this.#git(['commit-tree', tree, ...parents.flatMap((p) => ['-p', p]), '-F', '-'], message).trim();
  }

  ancestors(sha: string): Set<string> {
    return new Set(this.#git(['rev-list', sha]).split('\n').filter(Boolean));
  }

  history(sha: string): { sha: string; message: string }[] {
    return this.#git(['log', '--first-parent', '--format=%H%x00%B%x01', sha])
      .split('\x01')
      .map((entry) => entry.replace(/^\n/, ''))
      .filter(Boolean)
      .map((entry) => {
        const [commit, message] = entry.split('\0');
        return { sha: commit as string, message: (message ?? '').replace(/\n$/, '') };
      });
  }

  file(ref: string, path: string): string | undefined {
    return this.#try(['show', `${this.refs.get(ref) ?? ref}:${path}`]);
  }

  merge(base: string, head: string, message: string): string | 'conflict' {
    let tree: string;
    try {
      tree = this.#git(['merge-tree', '--write-tree', base, head]).split('\n')[0] as string;
    } catch {
      return 'conflict'; // merge-tree exits 1 when the merge has conflicts
    }
    return this.#git(['commit-tree', tree, '-p', base, '-p', head, '-F', '-'], message).trim();
  }
}
