import { generateKeyPairSync } from 'node:crypto';
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createNodeMiddleware, Probot, ProbotOctokit } from 'probot';
import { afterEach, describe, expect, it } from 'vitest';
import { createCoordinatorApp } from '../../src/app/app.js';
import { createCoordinatorOctokit } from '../../src/app/octokit.js';
import { taskCommitMessage } from '../../src/core/execution/ledger.js';
import { appHarness, serverlessHost, statusComment, unpacedLimiters } from '../support/app-harness.js';
import { FakeGitHub, finishStream } from '../support/fake-github.js';
import {
  checkRunRerequested,
  commentCreated,
  issuesLabeled,
  pullRequest,
  pushed,
  workflowRunCompleted,
} from '../support/webhooks.js';

const chat = readFileSync(new URL('../../examples/chat-system.md', import.meta.url), 'utf8');
const cleanups: (() => void)[] = [];
afterEach(() => {
  for (const cleanup of cleanups.splice(0)) cleanup();
});

async function setup(body = chat) {
  const harness = await appHarness();
  cleanups.push(() => harness.fake.close());
  harness.fake.addIssue(12, body, ['execute'], 'Chat system');
  return harness;
}

describe('faults', () => {
  it('retries 5xx answers and loses nothing', async () => {
    const { fake, deliver } = await setup();
    fake.fail('POST', /\/git\/refs$/, 502, 2);
    fake.fail('POST', /\/dispatches$/, 503, 1);
    fake.fail('GET', /\/issues\/12\/comments$/, 500, 1);
    await deliver('issues', issuesLabeled(fake, 12));
    expect(fake.dispatches().map((d) => d.inputs.stream)).toEqual(['A', 'B']);
    expect(fake.requests.filter((r) => r.status >= 500)).toHaveLength(4);
  });

  it('waits out secondary rate limits (403 and 429 with retry-after) and retries', async () => {
    const { fake, deliver } = await setup();
    fake.fail('POST', /\/git\/refs$/, 403, 2, { 'retry-after': '1' });
    fake.fail('POST', /\/dispatches$/, 429, 1, { 'retry-after': '1' });
    await deliver('issues', issuesLabeled(fake, 12));
    expect(fake.dispatches().map((d) => d.inputs.stream)).toEqual(['A', 'B']);
  });

  it('would drop the request with Probot’s own handler, which only logs', async () => {
    const fake = new FakeGitHub().listen();
    cleanups.push(() => fake.close());
    fake.config = '';
    fake.permissions.set('maintainer', 'write');
    fake.addIssue(12, chat, ['execute']);
    fake.fail('POST', /\/git\/refs$/, 403, 1, { 'retry-after': '1' });
    const coordinator = createCoordinatorApp();
    const probot = new Probot({
      githubToken: 't',
      Octokit: ProbotOctokit.defaults({ retry: { enabled: false } }),
      logLevel: 'fatal',
    });
    await probot.load(coordinator);
    await probot.receive({ id: 'x', name: 'issues', payload: issuesLabeled(fake, 12) } as Parameters<
      Probot['receive']
    >[0]);
    await coordinator.idle();
    expect(fake.dispatches()).toEqual([]);
  });
});

describe('webhook security', () => {
  it('rejects a delivery with a bad signature before making any API call', async () => {
    const fake = new FakeGitHub().listen();
    cleanups.push(() => fake.close());
    fake.addIssue(12, chat, ['execute']);
    const probot = new Probot({
      githubToken: 't',
      secret: 'the-webhook-secret',
      Octokit: createCoordinatorOctokit({ retryAfterBaseValue: 1, limiters: unpacedLimiters() }),
      logLevel: 'fatal',
    });
    const middleware = await createNodeMiddleware(createCoordinatorApp({ inline: true }), { probot });
    const server: Server = createServer((request, response) => void middleware(request, response));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    cleanups.push(() => server.close());
    const { port } = server.address() as AddressInfo;
    const response = await fetch(`http://127.0.0.1:${port}/api/github/webhooks`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        'x-github-event': 'issues',
        'x-github-delivery': 'forged',
        'x-hub-signature-256': `sha256=${'0'.repeat(64)}`,
      },
      body: JSON.stringify(issuesLabeled(fake, 12)),
    });
    expect(response.status).toBe(400);
    expect(fake.requests).toEqual([]);
  });

  it('never runs text from the issue: injection strings stay data everywhere', async () => {
    const marker = join(tmpdir(), `pwned-${process.pid}-${Date.now()}`);
    const body = [
      `## Stream A: $(touch ${marker})`,
      `- [ ] Task 1: "; touch ${marker}; echo "`,
      `- [ ] Task 2: \`touch ${marker}\``,
      '',
      '## Stream B',
      `Depends on: $(touch ${marker})`,
      '- [ ] Task 3: ok',
    ].join('\n');
    const { fake, deliver } = await setup(body.replace(`Depends on: $(touch ${marker})`, 'Depends on: A'));
    await deliver('issues', issuesLabeled(fake, 12));
    expect(existsSync(marker)).toBe(false);
    expect(fake.dispatches()).toEqual([{ branch: 'execute/12/A', inputs: { issue: '12', stream: 'A' } }]);
    expect(statusComment(fake)).toContain(`A · $(touch ${marker})`);
    rmSync(marker, { force: true });
  });
});

describe('the execution check on stream pull requests', () => {
  it('is green when the stream’s tasks are ticked and its gates passed, red otherwise', async () => {
    const { fake, deliver } = await setup();
    await deliver('issues', issuesLabeled(fake, 12));
    const a = finishStream(fake, 12, 'A', ['A.1', 'A.2']) as NonNullable<ReturnType<typeof finishStream>>;
    await deliver('pull_request', pullRequest(fake, 'opened', a));
    expect(fake.checks.at(-1)).toMatchObject({
      name: 'execution',
      conclusion: 'failure',
      title: 'Stream A is not complete',
    });
    // The task gates (lint, test) and the stream gate (test): what the Action reports on the head.
    expect(fake.checks.at(-1)?.summary).toContain('Gates: lint not reported, test not reported.');

    fake.checks.push({ name: 'gate: lint', headSha: a.headSha, conclusion: 'success', title: '', summary: '' });
    fake.checks.push({ name: 'gate: test', headSha: a.headSha, conclusion: 'success', title: '', summary: '' });
    await deliver('check_run', checkRunRerequested(fake, 'execution', a.head, a.headSha));
    expect(fake.checks.at(-1)).toMatchObject({
      name: 'execution',
      conclusion: 'success',
      title: 'Stream A is complete',
    });
    expect(fake.checks.at(-1)?.summary).toBe('2/2 tasks ticked in #12.\nGates: lint success, test success.');
    expect(fake.violations).toEqual([]);
  });
});

describe('the periodic reconcile', () => {
  it('finds labelled issues in every installation and advances them', async () => {
    const fake = new FakeGitHub().listen();
    cleanups.push(() => fake.close());
    fake.config = '';
    fake.addIssue(12, chat, ['execute']);
    fake.approve(12);
    fake.addIssue(13, chat, []);
    fake.addIssue(14, chat, ['execute']);
    const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
    const coordinator = createCoordinatorApp();
    const probot = new Probot({
      appId: 1,
      privateKey: privateKey.export({ type: 'pkcs1', format: 'pem' }).toString(),
      Octokit: createCoordinatorOctokit({ retryAfterBaseValue: 1, limiters: unpacedLimiters() }),
      logLevel: 'fatal',
    });
    await probot.load(coordinator);
    expect(await coordinator.reconcile()).toBe(2);
    await coordinator.idle();
    // The webhooks that told of its progress never arrived, yet its ready streams start.
    expect(fake.dispatches().map((d) => d.branch)).toEqual(['execute/12/A', 'execute/12/B']);
    // #14 carries the label but no writer's approval (its label event was lost): it waits, and says so.
    expect(statusComment(fake, 14)).toContain('Waiting for approval: no writer has approved this plan yet.');
    expect(fake.violations).toEqual([]);
  });
});

describe('answers lost after the work was done', () => {
  it('does not dispatch again when GitHub started the run but the answer was a 502', async () => {
    const { fake, deliver } = await setup();
    fake.fail('POST', /\/dispatches$/, 502, 1, {}, true);
    await deliver('issues', issuesLabeled(fake, 12));
    expect(fake.dispatches().map((d) => d.inputs.stream)).toEqual(['A', 'B']);
  });
});

describe('the exported middleware for serverless hosts', () => {
  it('verifies signatures and answers a signed delivery after doing its work', async () => {
    const { createHmac } = await import('node:crypto');
    const fake = new FakeGitHub().listen();
    cleanups.push(() => fake.close());
    fake.addIssue(12, chat, ['execute']);
    const host = await serverlessHost({ WEBHOOK_SECRET: 'serverless-secret' });
    cleanups.push(host.close);
    const url = `http://127.0.0.1:${host.port}/api/github/webhooks`;
    const body = JSON.stringify(issuesLabeled(fake, 12, 'bug'));
    const post = (signature: string) =>
      fetch(url, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          'x-github-event': 'issues',
          'x-github-delivery': `d-${signature.length}`,
          'x-hub-signature-256': signature,
        },
        body,
      });
    expect((await post(`sha256=${'0'.repeat(64)}`)).status).toBe(400);
    expect(fake.requests).toEqual([]);
    const signed = `sha256=${createHmac('sha256', 'serverless-secret').update(body).digest('hex')}`;
    expect((await post(signed)).status).toBe(200);
    // Inline: by the time it answered, it had read the config and seen the label is not its own.
    expect(fake.calls()).toContain('GET /repos/acme/chat/contents/.github/execution-coordinator.yml');

    // Work that fails is a failed delivery (5xx), which GitHub records; its redelivery does the work.
    fake.permissions.set('maintainer', 'maintain');
    fake.fail('GET', /\/git\/matching-refs\//, 422, 1);
    const start = JSON.stringify(issuesLabeled(fake, 12));
    const deliver = () =>
      fetch(url, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          'x-github-event': 'issues',
          'x-github-delivery': 'start-1',
          'x-hub-signature-256': `sha256=${createHmac('sha256', 'serverless-secret').update(start).digest('hex')}`,
        },
        body: start,
      });
    expect((await deliver()).status).toBeGreaterThanOrEqual(500);
    expect(fake.dispatches()).toEqual([]);
    expect((await deliver()).status).toBe(200);
    expect(fake.dispatches().map((d) => d.inputs.stream)).toEqual(['A', 'B']);
  });
});

describe('the work queue', () => {
  it('never lets a push’s advance absorb a completed run’s tick repair', async () => {
    const { fake, probot, coordinator } = await setup();
    await probot.receive({ id: 'label', name: 'issues', payload: issuesLabeled(fake, 12) } as never);
    await coordinator.idle();
    // A.1 was committed and pushed, but its tick never reached the issue (the run lost it).
    fake.pushTaskCommit('execute/12/A', 12, 'A.1');
    // A command's advance is under way when the push and the completion arrive: both wait.
    const events = [
      { id: 'cmd', name: 'issue_comment', payload: commentCreated(fake, 12, '/execute status') },
      {
        id: 'push',
        name: 'push',
        payload: pushed(fake, 'execute/12/A', [
          taskCommitMessage('x', 12, { id: 'A.1', title: 'Task 1: Message schema' }),
        ]),
      },
      { id: 'done', name: 'workflow_run', payload: workflowRunCompleted(fake, 'execute/12/A', 'failure') },
    ];
    await Promise.all(events.map((event) => probot.receive(event as never)));
    await coordinator.idle();
    expect(fake.issue(12).body).toContain('- [x] Task 1');
  });
});
