import { execFileSync } from 'node:child_process';
import { createHmac, randomUUID } from 'node:crypto';
import { chmodSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FakeGitHub } from '../support/fake-github.js';
import { GitStore } from '../support/repo-store.js';
import { pushEvent } from '../support/webhooks.js';
import { compileValidators, conform, validateWebhook } from './webhook-schema.js';

// GitHub on loopback, for end-to-end runs: the REST subset the App and the Action use, served
// over HTTP from the fake, with branches and commits in a real bare repository (so `git push`
// works), and every change sent as a signed webhook to the App replicas. Deliveries can be
// duplicated and shuffled, and API calls can fail on purpose.

export interface Delivery {
  /** The GUID of the event: a redelivery keeps it, as GitHub's does. */
  readonly id: string;
  readonly event: string;
  readonly action: string | undefined;
  readonly target: string;
  status: number | undefined;
  ms: number | undefined;
}

export interface DeliveryPolicy {
  /** How many times each event is sent (GitHub may redeliver). */
  readonly copies?: () => number;
  /** Milliseconds each copy waits before it is sent: events overtake each other. */
  readonly delay?: () => number;
  /** Which replica a copy goes to, in [0, 1). */
  readonly target?: () => number;
}

export interface SimulatorOptions {
  /** Files of the repository's first commit. */
  readonly files: Record<string, string>;
  readonly webhookSecret: string;
  readonly delivery?: DeliveryPolicy;
}

export const TOKENS = {
  app: 'ghs_app_installation_token',
  action: 'ghs_actions_token',
  maintainer: 'ghp_maintainer_token',
  reader: 'ghp_reader_token',
} as const;

export class Simulator {
  readonly fake: FakeGitHub;
  readonly bare: string;
  readonly root: string;
  readonly deliveries: Delivery[] = [];
  /** Event ids in the order the events happened (deliveries may arrive in another). */
  readonly sent: string[] = [];
  /** Webhooks that GitHub's schemas reject (there should be none). */
  readonly violations: string[] = [];
  /** Where webhooks go: one URL per App replica; each delivery picks one. */
  targets: string[] = [];
  #server: Server | undefined;
  #slow: { share: number; ms: number; random: () => number } | undefined;
  #url = '';
  #inflight = new Set<Promise<void>>();

  constructor(private readonly options: SimulatorOptions) {
    this.root = mkdtempSync(join(tmpdir(), 'simulator-'));
    this.bare = join(this.root, 'origin.git');
    seedRepository(this.root, this.bare, options.files);
    this.fake = new FakeGitHub(new GitStore(this.bare));
    this.fake.identities.set(TOKENS.action, { login: 'github-actions[bot]', type: 'Bot' });
    this.fake.identities.set(TOKENS.maintainer, { login: 'maintainer', type: 'User' });
    this.fake.identities.set(TOKENS.reader, { login: 'reader', type: 'User' });
    this.fake.permissions.set('maintainer', 'maintain');
    this.fake.permissions.set('reader', 'triage');
    this.fake.requireWorkflowFiles = true;
    this.fake.onEvent = (event, payload) => this.send(event, payload);
    compileValidators();
  }

  get url(): string {
    return this.#url;
  }

  async start(): Promise<this> {
    this.#server = createServer((request, response) => {
      void this.#serve(request).then(([status, body, headers]) => {
        const text = typeof body === 'string' ? body : JSON.stringify(body);
        response.writeHead(status, { 'content-type': 'application/json; charset=utf-8', ...headers });
        response.end(status === 204 ? undefined : text);
      });
    });
    await new Promise<void>((resolve) => this.#server?.listen(0, '127.0.0.1', resolve));
    this.#url = `http://127.0.0.1:${(this.#server.address() as AddressInfo).port}`;
    installPushHook(this.bare, `${this.#url}/_simulator/pushed`);
    return this;
  }

  async stop(): Promise<void> {
    await this.idle();
    await new Promise<void>((resolve) => this.#server?.close(() => resolve()));
    rmSync(this.root, { recursive: true, force: true });
  }

  /** From now on, a `share` of API answers take `ms` longer (a slow GitHub). */
  slow(share: number, ms: number, random: () => number = Math.random): void {
    this.#slow = { share, ms, random };
  }

  async #serve(request: IncomingMessage): Promise<[number, unknown, Record<string, string>?]> {
    if (this.#slow && this.#slow.random() < this.#slow.share)
      await new Promise((resolve) => setTimeout(resolve, this.#slow?.ms));
    const chunks: Buffer[] = [];
    for await (const chunk of request) chunks.push(chunk as Buffer);
    const text = Buffer.concat(chunks).toString('utf8');
    const method = request.method ?? 'GET';
    const url = request.url ?? '/';
    if (url === '/_simulator/pushed') {
      this.#pushed(text);
      return [204, ''];
    }
    const body = text === '' ? undefined : safeJson(text);
    return this.fake.handle(method, url, body, request.headers.authorization);
  }

  /** The post-receive hook's report: one `old new ref` line per branch a push moved. */
  #pushed(lines: string): void {
    for (const line of lines.split('\n').filter(Boolean)) {
      const [before, after, ref] = line.split(' ') as [string, string, string];
      if (!ref.startsWith('refs/heads/')) continue;
      const branch = ref.slice('refs/heads/'.length);
      this.send('push', pushEvent(this.fake, branch, before, after, { login: 'github-actions[bot]', type: 'Bot' }));
    }
  }

  /** Queues a webhook; its copies go out in the background, each after its delay (see `idle`). */
  send(event: string, payload: Record<string, unknown>): void {
    const complete = conform(event, payload);
    this.violations.push(...validateWebhook(event, complete));
    const id = randomUUID();
    this.sent.push(id);
    const policy = this.options.delivery;
    const copies = Math.max(1, policy?.copies?.() ?? 1);
    for (let i = 0; i < copies; i++) {
      const wait = policy?.delay?.() ?? 0;
      const pick = policy?.target?.() ?? Math.random();
      const target = this.targets[Math.floor(pick * this.targets.length)];
      const delivery = new Promise<void>((resolve) => setTimeout(resolve, wait)).then(() =>
        target ? this.deliver(event, complete, { id, target }) : undefined,
      );
      this.#inflight.add(delivery);
      void delivery.finally(() => this.#inflight.delete(delivery));
    }
  }

  /** Sends one signed delivery to one replica, as GitHub does. */
  async deliver(
    event: string,
    payload: Record<string, unknown>,
    options: { id?: string; signature?: string; target?: string } = {},
  ): Promise<void> {
    const target = options.target ?? this.targets[0];
    if (!target) return;
    const body = JSON.stringify(payload);
    const id = options.id ?? randomUUID();
    const record: Delivery = {
      id,
      target,
      event,
      action: payload.action as string | undefined,
      status: undefined,
      ms: undefined,
    };
    this.deliveries.push(record);
    const signature =
      options.signature ?? `sha256=${createHmac('sha256', this.options.webhookSecret).update(body).digest('hex')}`;
    const started = performance.now();
    try {
      const response = await fetch(target, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          'x-github-event': event,
          'x-github-delivery': id,
          'x-hub-signature-256': signature,
          'user-agent': 'GitHub-Hookshot/simulator',
        },
        body,
      });
      await response.text();
      record.status = response.status;
    } catch {
      record.status = 0;
    }
    record.ms = performance.now() - started;
  }

  /** Resolves once no delivery is waiting or in flight. */
  async idle(): Promise<void> {
    while (this.#inflight.size > 0) {
      await Promise.all(this.#inflight);
      await new Promise((resolve) => setImmediate(resolve));
    }
  }
}

function seedRepository(root: string, bare: string, files: Record<string, string>): void {
  const git = (cwd: string, ...args: string[]) =>
    execFileSync('git', args, {
      cwd,
      env: {
        ...process.env,
        GIT_AUTHOR_NAME: 'Maintainer',
        GIT_AUTHOR_EMAIL: 'maintainer@example.com',
        GIT_COMMITTER_NAME: 'Maintainer',
        GIT_COMMITTER_EMAIL: 'maintainer@example.com',
      },
      stdio: 'ignore',
    });
  git(root, 'init', '--quiet', '--bare', '--initial-branch=main', bare);
  const seed = join(root, 'seed');
  git(root, 'init', '--quiet', '--initial-branch=main', seed);
  for (const [path, content] of Object.entries(files)) {
    mkdirSync(join(seed, path, '..'), { recursive: true });
    writeFileSync(join(seed, path), content);
    if (path.endsWith('.sh')) chmodSync(join(seed, path), 0o755);
  }
  git(seed, 'add', '--all');
  git(seed, 'commit', '--quiet', '-m', 'Initial commit');
  git(seed, 'push', '--quiet', bare, 'HEAD:refs/heads/main');
}

/** A post-receive hook that tells the simulator which branches a push moved. */
function installPushHook(bare: string, url: string): void {
  const hook = join(bare, 'hooks', 'post-receive');
  // A lost push event would hide a real bug: say so where the pusher sees it.
  const script = `fetch(${JSON.stringify(url)}, { method: 'POST', body: require('fs').readFileSync(0, 'utf8') }).catch((e) => { console.error('simulator: push event lost:', e.message); process.exitCode = 1; })`;
  writeFileSync(hook, `#!/bin/sh\nexec "${process.execPath}" -e ${JSON.stringify(script)}\n`);
  chmodSync(hook, 0o755);
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}
