import { spawn, spawnSync } from 'node:child_process';
import { generateKeyPairSync } from 'node:crypto';
import { copyFileSync, mkdtempSync, readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { CONFIG } from '../support/app-harness.js';
import { FakeGitHub } from '../support/fake-github.js';
import { freePort, output, until } from '../support/processes.js';
import { issuesLabeled, postDelivery } from '../support/webhooks.js';

// Two App replicas, each its own `npm start` process, with REDIS_URL pointing at one real Redis
// server (Debian's redis-server, started here). GitHub asks an integration to space its writes a
// second apart; with Redis, the replicas share one write limiter, so their writes, taken together,
// keep that spacing. The control run, without REDIS_URL, shows that the test can tell: each
// replica then spaces only its own writes, and the two interleave.

const root = new URL('../..', import.meta.url).pathname;
const installed = spawnSync('redis-server', ['--version']).status === 0;
// On CI a missing Redis is a broken setup (.ci/run installs it), not a reason to skip.
const mustRun = process.env.CI === 'true';
const SECRET = 'replica-secret';
const WRITE = new Set(['POST', 'PATCH', 'PUT', 'DELETE']);

const cleanups: (() => unknown)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function startRedis(): Promise<string> {
  const port = await freePort();
  const child = spawn('redis-server', [
    '--port',
    String(port),
    '--bind',
    '127.0.0.1',
    '--save',
    '',
    '--appendonly',
    'no',
  ]);
  cleanups.push(() => child.kill('SIGKILL'));
  const text = output(child);
  await until(() => (text().includes('Ready to accept connections') ? true : undefined), 'redis-server');
  return `redis://127.0.0.1:${port}`;
}

/** The fake GitHub over HTTP, as a GitHub Enterprise Server (`/api/v3`), noting when each write arrives. */
async function githubOverHttp(fake: FakeGitHub) {
  const writes: { at: number; what: string }[] = [];
  const server: Server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const method = request.method ?? 'GET';
      const path = (request.url ?? '/').replace(/^\/api\/v3/, '');
      if (WRITE.has(method) && !path.startsWith('/app/')) writes.push({ at: Date.now(), what: `${method} ${path}` });
      const text = Buffer.concat(chunks).toString('utf8');
      const [status, body, headers] = fake.handle(
        method,
        path,
        text === '' ? undefined : JSON.parse(text),
        request.headers.authorization,
      ) as [number, unknown, Record<string, string>?];
      response.writeHead(status, { 'content-type': 'application/json; charset=utf-8', ...headers });
      response.end(status === 204 ? undefined : typeof body === 'string' ? body : JSON.stringify(body));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  cleanups.push(() => new Promise((resolve) => server.close(resolve)));
  return { host: `127.0.0.1:${(server.address() as AddressInfo).port}`, writes };
}

/** One replica: `npm start` (lib/app/run.js) with the App's credentials, in a folder of its own. */
async function replica(env: Record<string, string>): Promise<string> {
  const port = await freePort();
  const cwd = mkdtempSync(join(tmpdir(), 'replica-'));
  copyFileSync(join(root, 'package.json'), join(cwd, 'package.json'));
  const child = spawn(process.execPath, [join(root, 'lib/app/run.js')], {
    cwd,
    env: { PATH: process.env.PATH ?? '', PORT: String(port), LOG_LEVEL: 'info', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  cleanups.push(() => child.kill('SIGKILL'));
  const text = output(child);
  await until(() => (text().includes('Listening on') ? true : undefined), `replica on port ${port}:\n${text()}`);
  return `http://127.0.0.1:${port}/api/github/webhooks`;
}

/**
 * Two replicas, each labelled one issue at the same moment; returns the gaps, in milliseconds,
 * between consecutive writes GitHub received from the two together: comments, and the rest.
 */
async function writeGaps(redisUrl: string | undefined): Promise<{ comments: number[]; others: number[] }> {
  const fake = new FakeGitHub();
  fake.config = CONFIG;
  fake.permissions.set('maintainer', 'maintain');
  const chat = readFileSync(join(root, 'examples/chat-system.md'), 'utf8');
  fake.addIssue(12, chat, ['execute'], 'Chat system');
  fake.addIssue(13, chat, ['execute'], 'Chat system, again');
  const github = await githubOverHttp(fake);
  const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const env = {
    APP_ID: '1',
    PRIVATE_KEY: privateKey.export({ type: 'pkcs1', format: 'pem' }).toString(),
    WEBHOOK_SECRET: SECRET,
    GHE_HOST: github.host,
    GHE_PROTOCOL: 'http',
    RECONCILE_INTERVAL_MINUTES: '0',
    ...(redisUrl ? { REDIS_URL: redisUrl } : {}),
  };
  const urls = await Promise.all([replica(env), replica(env)]);
  // The replicas ask who they are (GET /app) when they start; the writes come after.
  await until(() => (fake.requests.filter((r) => r.path === '/app').length >= 2 ? true : undefined), 'GET /app');

  await Promise.all(
    [12, 13].map(async (issue, i) => {
      const body = JSON.stringify(issuesLabeled(fake, issue));
      const response = await postDelivery(urls[i] as string, 'issues', body, { secret: SECRET });
      expect(response.status).toBe(200);
    }),
  );
  // Each start ends with its status comment.
  await until(
    () =>
      [12, 13].every((n) => fake.commentsOn(n).some((c) => c.body.includes('execution-coordinator:status')))
        ? true
        : undefined,
    'both status comments',
  );
  expect(fake.dispatches()).toHaveLength(4);
  // A comment notifies people: GitHub asks for those three seconds apart, and the throttle holds
  // them in a limiter of their own after the write limiter, so they are timed apart from the rest.
  const gaps = (notifying: boolean) => {
    const times = github.writes
      .filter((w) => /^POST \/repos\/[^/]+\/[^/]+\/issues\/\d+\/comments$/.test(w.what) === notifying)
      .map((w) => w.at)
      .sort((a, b) => a - b);
    return times.slice(1).map((at, i) => at - (times[i] as number));
  };
  return { comments: gaps(true), others: gaps(false) };
}

describe.runIf(installed || mustRun)('replicas with REDIS_URL', () => {
  it('share one write limiter through a real Redis server', { timeout: 180_000 }, async () => {
    if (!installed)
      throw new Error('redis-server is not installed (.ci/run installs it: apt-get install redis-server)');
    const alone = await writeGaps(undefined);
    for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
    const shared = await writeGaps(await startRedis());

    // Every write keeps its distance from the one before, whichever replica sent either: the
    // limiters space them 1,000 ms apart (comments 3,000); arrival jitter is allowed for, generously.
    expect(shared.others.length).toBeGreaterThanOrEqual(7);
    expect(shared.comments.length).toBeGreaterThanOrEqual(3);
    expect(Math.min(...shared.others)).toBeGreaterThanOrEqual(500);
    expect(Math.min(...shared.comments)).toBeGreaterThanOrEqual(2_000);
    // Without Redis the two replicas' writes crowd together.
    expect(Math.min(...alone.others)).toBeLessThan(500);
    expect(Math.min(...alone.comments)).toBeLessThan(500);
  });
});
