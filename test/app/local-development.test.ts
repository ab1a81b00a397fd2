import { type ChildProcess, spawn } from 'node:child_process';
import { createHmac, generateKeyPairSync, randomUUID } from 'node:crypto';
import { copyFileSync, mkdtempSync, readFileSync } from 'node:fs';
import { createServer, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { startServer } from '../../src/app/server.js';
import { CONFIG } from '../support/app-harness.js';
import { FakeGitHub } from '../support/fake-github.js';
import { freePort, output, until } from '../support/processes.js';
import { issuesLabeled, postDelivery } from '../support/webhooks.js';

// A developer's machine: `npm start` with no credentials (Probot's setup page, which registers
// the App from app.yml) and with credentials plus WEBHOOK_PROXY_URL (a smee.io channel that
// forwards GitHub's deliveries to localhost). The channel here is a local stand-in speaking
// smee's protocol (server-sent events, one JSON message per delivery); smee-client is the real one.

const root = new URL('../..', import.meta.url).pathname;
const cleanups: (() => unknown)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

/** `npm start` (lib/app/run.js) in a folder of its own, so that no `.env` of this checkout is read. */
function npmStart(env: Record<string, string>): { child: ChildProcess; output: () => string } {
  const cwd = mkdtempSync(join(tmpdir(), 'app-setup-'));
  for (const file of ['app.yml', 'package.json']) copyFileSync(join(root, file), join(cwd, file));
  const child = spawn(process.execPath, [join(root, 'lib/app/run.js')], {
    cwd,
    env: { PATH: process.env.PATH ?? '', NODE_ENV: 'development', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  cleanups.push(() => child.kill('SIGKILL'));
  return { child, output: output(child) };
}

/** The manifest Probot's setup page would post to GitHub. */
async function setupManifest(port: string): Promise<Record<string, unknown>> {
  const html = await (await fetch(`http://127.0.0.1:${port}/probot`)).text();
  const encoded = /name="manifest"[^>]*value='([^']*)'/.exec(html)?.[1] ?? /value='([^']*)'/.exec(html)?.[1];
  if (!encoded) throw new Error(`no manifest in the setup page:\n${html}`);
  return JSON.parse(encoded.replaceAll('&quot;', '"').replaceAll('&#39;', "'").replaceAll('&amp;', '&'));
}

/** A webhook channel as smee.io serves it: GET opens the event stream, `send` delivers one event. */
async function smeeChannel() {
  const listeners: ServerResponse[] = [];
  const server = createServer((request, response) => {
    if (request.method !== 'GET' || request.url !== '/channel') return void response.writeHead(404).end();
    response.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache' });
    response.write(': connected\n\n');
    listeners.push(response);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  cleanups.push(() => {
    for (const listener of listeners) listener.end();
    server.closeAllConnections();
    server.close();
  });
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/channel`,
    listeners,
    send(message: Record<string, unknown>) {
      for (const listener of listeners) listener.write(`data: ${JSON.stringify(message)}\n\n`);
    },
  };
}

describe('local development', () => {
  it('registers through a smee.io channel: smee-client is installed, and the channel becomes the webhook URL', async () => {
    // No proxy URL: Probot asks smee.io for a channel. The network is out of reach here (a proxy
    // that refuses), so the attempt fails, but it is made: the client is there to make it.
    const port = String(await freePort());
    const fresh = npmStart({ PORT: port, HTTPS_PROXY: 'http://127.0.0.1:9', https_proxy: 'http://127.0.0.1:9' });
    await until(() => (fresh.output().includes('Listening on') ? true : undefined), 'the setup page');
    expect(fresh.output()).toContain('Unable to connect to smee.io');
    expect(fresh.output()).not.toContain('SmeeClient is not available');
    // Without a channel the manifest names the server itself, at its root (see README: a hosted
    // App's webhook URL must then be set to …/api/github/webhooks by hand).
    expect((await setupManifest(port)).hook_attributes).toEqual({ url: `http://127.0.0.1:${port}/` });

    // With a channel (here a local one: Probot also connects to it at once), the channel is the
    // webhook URL.
    const channel = await smeeChannel();
    const proxied = String(await freePort());
    const withChannel = npmStart({ PORT: proxied, WEBHOOK_PROXY_URL: channel.url });
    await until(() => (withChannel.output().includes('Listening on') ? true : undefined), 'the setup page');
    const manifest = await setupManifest(proxied);
    expect(manifest.hook_attributes).toEqual({ url: channel.url });
    expect(manifest.name).toBe('Execution Coordinator');
    expect(manifest.default_events).toContain('issues');
  });

  it('receives deliveries through WEBHOOK_PROXY_URL and acts on them', async () => {
    const fake = new FakeGitHub().listen();
    cleanups.push(() => fake.close());
    fake.config = CONFIG;
    fake.permissions.set('maintainer', 'maintain');
    fake.addIssue(12, readFileSync(join(root, 'examples/chat-system.md'), 'utf8'), ['execute'], 'Chat system');
    const channel = await smeeChannel();
    const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
    const server = await startServer({
      PORT: String(await freePort()),
      APP_ID: '1',
      PRIVATE_KEY: privateKey.export({ type: 'pkcs1', format: 'pem' }).toString(),
      WEBHOOK_SECRET: 'local-secret',
      WEBHOOK_PROXY_URL: channel.url,
      LOG_LEVEL: 'fatal',
      RECONCILE_INTERVAL_MINUTES: '0',
    });
    cleanups.push(() => server.stop());
    await until(() => (channel.listeners.length > 0 ? true : undefined), 'smee-client to connect');

    // What smee.io sends for one of GitHub's deliveries: its headers, the parsed body, a time.
    const payload = issuesLabeled(fake, 12);
    const body = JSON.stringify(payload);
    channel.send({
      'x-github-event': 'issues',
      'x-github-delivery': randomUUID(),
      'x-hub-signature-256': `sha256=${createHmac('sha256', 'local-secret').update(body).digest('hex')}`,
      body: payload,
      query: {},
      timestamp: Date.now(),
    });
    const dispatched = await until(
      () => (fake.dispatches().length === 2 ? fake.dispatches() : undefined),
      'streams A and B to be dispatched',
    );
    expect(dispatched.map((d) => d.inputs.stream).sort()).toEqual(['A', 'B']);

    // README's troubleshooting: what GitHub's Recent Deliveries show when the webhook URL lacks
    // the path (Probot's setup names the server's root), and when the secrets differ.
    const post = (path: string, signature: string) =>
      postDelivery(`http://127.0.0.1:${server.port}${path}`, 'issues', body, { signature });
    expect((await post('/', 'sha256=0')).status).toBe(404);
    const forged = await post(
      '/api/github/webhooks',
      `sha256=${createHmac('sha256', 'other').update(body).digest('hex')}`,
    );
    expect(forged.status).toBe(400);
    expect(await forged.text()).toContain('signature does not match event payload and secret');
  });
});
