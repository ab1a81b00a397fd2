import { readFile } from 'node:fs/promises';
import { getOctokit } from '@actions/github';
import { GitHub as Octokit } from '@actions/github/lib/utils';
import { GitHub, type RepoRef } from '../coordinator/github.js';

/** What a command may touch outside itself; tests hand in their own. */
export interface CliIo {
  readonly stdout: (text: string) => void;
  readonly stderr: (text: string) => void;
  readonly readFile: (path: string) => Promise<string>;
  readonly readStdin: () => Promise<string>;
  /** GitHub's API for a repository, with the token in GITHUB_TOKEN (none: public data only). */
  readonly github: (repo: RepoRef) => GitHub;
}

export const processIo: CliIo = {
  stdout: (text) => process.stdout.write(text),
  stderr: (text) => process.stderr.write(text),
  readFile: (path) => readFile(path, 'utf8'),
  readStdin: async () => {
    const chunks: Buffer[] = [];
    for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
    return Buffer.concat(chunks).toString('utf8');
  },
  github: (repo) => {
    const token = process.env.GITHUB_TOKEN ?? '';
    const baseUrl = process.env.GITHUB_API_URL || 'https://api.github.com';
    // Without a token, requests go out unauthenticated: public data only, at a lower rate.
    const octokit = token ? getOctokit(token, { baseUrl }) : new Octokit({ baseUrl });
    return new GitHub(octokit, repo);
  },
};

/** Exit codes: 0 valid, 1 the input has errors, 2 the command was used wrongly. */
export const EXIT = { ok: 0, invalid: 1, usage: 2 } as const;
export type ExitCode = (typeof EXIT)[keyof typeof EXIT];

/** A usage problem, reported with the command's name and a pointer to its help. */
export class UsageError extends Error {
  override name = 'UsageError';
}
