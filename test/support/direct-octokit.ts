import { endpoint } from '@octokit/endpoint';
import type { RequestInterface } from '@octokit/types';
import type { OctokitPort } from '../../src/coordinator/github.js';
import type { FakeGitHub } from './fake-github.js';

// An Octokit `request` straight into the fake, no HTTP: fast enough for hundreds of runs, and
// with `hop` called around every request, the interleaving of concurrent writers is whatever the
// seeded hops make it.

export function directOctokit(fake: FakeGitHub, hop: () => Promise<void>, token = 'ghs_app'): OctokitPort {
  const request = async (route: string, parameters: Record<string, unknown> = {}) => {
    const options = endpoint(route, parameters);
    await hop();
    const [status, data] = fake.handle(options.method, options.url, options.body, `token ${token}`);
    await hop();
    if (status >= 400) throw Object.assign(new Error(String((data as { message?: string }).message)), { status });
    return { status, data, headers: {}, url: options.url };
  };
  return { request: request as unknown as RequestInterface };
}

/** Between 0 and `most` turns of the event loop, as the seeded source says. */
export function hops(random: () => number, most = 4): () => Promise<void> {
  return async () => {
    const turns = Math.floor(random() * (most + 1));
    for (let i = 0; i < turns; i++) await new Promise((resolve) => setImmediate(resolve));
  };
}
