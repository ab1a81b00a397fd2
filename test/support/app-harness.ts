import { generateKeyPairSync, randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import Bottleneck from 'bottleneck';
import { Probot } from 'probot';
import { createCoordinatorApp } from '../../src/app/app.js';
import { createCoordinatorOctokit } from '../../src/app/octokit.js';
import { MARKERS } from '../../src/core/execution/records.js';
import { FakeGitHub } from './fake-github.js';
import { issuesLabeled } from './webhooks.js';

// The App loaded into Probot (token auth, millisecond back-off) against a fresh fake GitHub.

export const CONFIG = `
gates:
  lint: npm run lint
  test: npm test
task-gates: [lint, test]
stream-gates: [test]
`;

/** Throttling as in production, without the pacing: a test must not wait a second per write. */
export function unpacedLimiters() {
  const group = (id: string) => new Bottleneck.Group({ id, maxConcurrent: 10, minTime: 0 });
  return { write: group('write'), notifications: group('notifications'), search: group('search') };
}

export async function replica(fake: FakeGitHub) {
  const coordinator = createCoordinatorApp();
  const probot = new Probot({
    githubToken: 'test-token',
    Octokit: createCoordinatorOctokit({ retryAfterBaseValue: 1, limiters: unpacedLimiters() }),
    logLevel: 'fatal',
  });
  await probot.load(coordinator);
  // The App asks once who it is (GET /app); that is no event's cost, so counting starts after it.
  await coordinator.idle();
  fake.requests.length = 0;
  return {
    probot,
    coordinator,
    /** Delivers an event and waits until the work it queued is done. */
    async deliver(name: string, payload: Record<string, unknown>, id: string = randomUUID()) {
      await probot.receive({ id, name, payload } as Parameters<Probot['receive']>[0]);
      await coordinator.idle();
    },
  };
}

export async function appHarness(config: string | undefined = CONFIG) {
  const fake = new FakeGitHub().listen();
  fake.config = config;
  fake.permissions.set('maintainer', 'maintain');
  const app = await replica(fake);
  return { fake, ...app };
}

/** The spec's chat-system issue (#12), labelled and started: streams A and B dispatched. */
export async function startedChat(onClose: (close: () => void) => void, config?: string) {
  const body = readFileSync(new URL('../../examples/chat-system.md', import.meta.url), 'utf8');
  const harness = await appHarness(config);
  onClose(() => harness.fake.close());
  harness.fake.addIssue(12, body, ['execute'], 'Chat system');
  await harness.deliver('issues', issuesLabeled(harness.fake, 12));
  return { ...harness, body };
}

/** The text of the coordinator's status comment on an issue ('' before there is one). */
export function statusComment(fake: FakeGitHub, issue = 12): string {
  return markedComment(fake, MARKERS.status, issue)?.body ?? '';
}

/** The coordinator's comment that starts with `marker` (a status, a complaint, an approval). */
export function markedComment(fake: FakeGitHub, marker: string, issue = 12) {
  return fake.commentsOn(issue).find((c) => c.body.startsWith(marker));
}

/**
 * The exported serverless middleware (`createMiddleware`) behind a plain Node server on a free
 * port, with a fresh App key: as a host would run it. Returns the port and a way to stop it.
 */
export async function serverlessHost(env: Record<string, string>): Promise<{ port: number; close: () => void }> {
  const { createMiddleware } = await import('../../src/index.js');
  const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const middleware = await createMiddleware({
    APP_ID: '1',
    PRIVATE_KEY: privateKey.export({ type: 'pkcs1', format: 'pem' }).toString(),
    LOG_LEVEL: 'fatal',
    ...env,
  });
  const server = createServer((request, response) => void middleware(request, response));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { port: (server.address() as AddressInfo).port, close: () => server.close() };
}
