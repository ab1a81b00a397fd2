import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { getOctokit } from '@actions/github';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { GitHub } from '../../src/coordinator/github.js';
import { readSource, readStream } from '../../src/coordinator/source.js';
import { DEFAULT_CONFIG } from '../../src/core/config/parse.js';
import { MAX_SUB_ISSUES } from '../support/fake-github.js';
import { validateResponse } from './openapi-schema.js';
import { Simulator, TOKENS } from './simulator.js';
import { validateWebhook } from './webhook-schema.js';

// Sub-issues and issue dependencies on the simulated GitHub, over HTTP: the coordinator's port
// reads them, a person changes them through the REST API, and every answer and every webhook is
// checked against GitHub's OpenAPI description (paths and x-webhooks).

interface Received {
  readonly event: string;
  readonly payload: Record<string, unknown>;
}

let sim: Simulator;
let receiver: Server;
let received: Received[];
let replies: { route: string; problems: string[] }[];
let octokit: ReturnType<typeof getOctokit>;
let github: GitHub;

beforeEach(async () => {
  sim = await new Simulator({ files: { 'README.md': '# chat\n' }, webhookSecret: 'sub-issues-secret' }).start();
  received = [];
  receiver = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (c: Buffer) => chunks.push(c));
    request.on('end', () => {
      received.push({
        event: String(request.headers['x-github-event']),
        payload: JSON.parse(Buffer.concat(chunks).toString('utf8')) as Record<string, unknown>,
      });
      response.end();
    });
  });
  await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
  sim.targets = [`http://127.0.0.1:${(receiver.address() as AddressInfo).port}/`];
  // Every answer of the routes added for sub-issues and dependencies (and the issue itself),
  // errors included, against what GitHub's description says the route answers.
  replies = [];
  sim.fake.onReply = (method, path, status, body) => {
    if (!/\/issues\/\d+(\/sub_issues?|\/dependencies\/.*)?$/.test(path)) return;
    replies.push({ route: `${method} ${path} ${status}`, problems: validateResponse(method, path, status, body) });
  };
  octokit = getOctokit(TOKENS.maintainer, { baseUrl: sim.url, retry: { enabled: false } });
  github = new GitHub(octokit, { owner: 'acme', repo: 'chat' });
  sim.fake.addIssue(1, '## Plan\n', [], 'Parent');
  for (const n of [2, 3, 4]) sim.fake.addIssue(n, `- [ ] Task ${n}`, [], `Child ${n}`);
});

afterEach(async () => {
  await sim.stop();
  await new Promise<void>((resolve) => receiver.close(() => resolve()));
  // Whatever a test did, GitHub would have accepted every request, answer and webhook.
  expect(sim.fake.violations).toEqual([]);
  expect(sim.violations).toEqual([]);
  expect(replies.filter((r) => r.problems.length > 0)).toEqual([]);
});

/** A person's request through the API, answered whatever its status. */
async function api(route: string, parameters: Record<string, unknown>) {
  try {
    const response = await octokit.request(route, { owner: 'acme', repo: 'chat', ...parameters });
    return { status: response.status, data: response.data as Record<string, unknown> };
  } catch (error) {
    const { status, response } = error as { status: number; response?: { data: Record<string, unknown> } };
    return { status, data: response?.data ?? {} };
  }
}

const id = (n: number) => sim.fake.issueId(sim.fake.issue(n));
const addSub = (parent: number, child: number, extra: Record<string, unknown> = {}) =>
  api('POST /repos/{owner}/{repo}/issues/{issue_number}/sub_issues', {
    issue_number: parent,
    sub_issue_id: id(child),
    ...extra,
  });

/** Forgets the events so far (once they have arrived). */
async function forget(): Promise<void> {
  await sim.idle();
  received.length = 0;
}

async function events(): Promise<string[]> {
  await sim.idle();
  return received.map(({ event, payload }) => {
    const p = payload as Record<string, { number?: number } | string>;
    const [a, b] =
      event === 'sub_issues'
        ? [(p.parent_issue as { number: number }).number, (p.sub_issue as { number: number }).number]
        : [(p.blocked_issue as { number: number }).number, (p.blocking_issue as { number: number }).number];
    return `${event}.${p.action} ${a}/${b} in ${(payload.repository as { full_name: string }).full_name}`;
  });
}

describe('sub-issues on the simulated GitHub', () => {
  it('lists them through the port, in order, by id and number, with the parent summing them up', async () => {
    for (const n of [3, 2, 4]) expect((await addSub(1, n)).status).toBe(201);
    Object.assign(sim.fake.issue(4), { state: 'closed', stateReason: 'completed' });

    const subs = await github.subIssues(1);
    expect(subs.map((s) => s.number)).toEqual([3, 2, 4]);
    expect(subs[0]).toEqual({
      number: 3,
      id: id(3),
      repo: 'acme/chat',
      title: 'Child 3',
      body: '- [ ] Task 3',
      state: 'open',
      stateReason: null,
      url: 'https://github.com/acme/chat/issues/3',
      blockerCount: 0,
    });
    expect(subs[0]?.id).not.toBe(3);
    expect(subs[2]).toMatchObject({ state: 'closed', stateReason: 'completed' });
    expect(await github.subIssues(2)).toEqual([]);

    const parent = (await api('GET /repos/{owner}/{repo}/issues/{issue_number}', { issue_number: 1 })).data;
    expect(parent.sub_issues_summary).toEqual({ total: 3, completed: 1, percent_completed: 33 });
    const child = (await api('GET /repos/{owner}/{repo}/issues/{issue_number}', { issue_number: 2 })).data;
    expect(child.parent_issue_url).toBe('https://api.github.com/repos/acme/chat/issues/1');
    expect(sim.fake.subIssuesOf(1).map((r) => r.number)).toEqual([3, 2, 4]);
  });

  it('takes the id, not the number, and sends both sides of each change', async () => {
    // The number where the id belongs: no issue has that id.
    const wrong = await api('POST /repos/{owner}/{repo}/issues/{issue_number}/sub_issues', {
      issue_number: 1,
      sub_issue_id: 2,
    });
    expect(wrong.status).toBe(422);
    expect(await addSub(1, 2)).toMatchObject({ status: 201, data: { number: 1 } });
    expect(await events()).toEqual([
      'sub_issues.sub_issue_added 1/2 in acme/chat',
      'sub_issues.parent_issue_added 1/2 in acme/chat',
    ]);
    const added = received[0]?.payload as Record<string, Record<string, unknown>>;
    expect(added.parent_issue_id).toBe(id(1));
    expect(added.sub_issue_id).toBe(id(2));
    expect(added.parent_issue?.sub_issues_summary).toEqual({ total: 1, completed: 0, percent_completed: 0 });
    expect(added.sender?.login).toBe('maintainer');
  });

  it('gives an issue one parent: a second one is refused unless it replaces the first', async () => {
    sim.fake.addIssue(5, '', [], 'Another parent');
    expect((await addSub(1, 2)).status).toBe(201);
    const again = await addSub(5, 2);
    expect(again.status).toBe(422);
    expect(JSON.stringify(again.data)).toContain('Sub issue may only have one parent');
    expect((await addSub(1, 2)).status).toBe(422); // already its sub-issue
    expect((await addSub(2, 1)).status).toBe(422); // its own parent's parent: a cycle
    expect((await addSub(2, 2)).status).toBe(422);
    expect(() => sim.fake.addSubIssue(5, 2)).toThrow('Sub issue may only have one parent');

    await forget();
    expect((await addSub(5, 2, { replace_parent: true })).status).toBe(201);
    expect((await github.subIssues(1)).map((s) => s.number)).toEqual([]);
    expect((await github.subIssues(5)).map((s) => s.number)).toEqual([2]);
    expect(await events()).toEqual([
      'sub_issues.sub_issue_removed 1/2 in acme/chat',
      'sub_issues.parent_issue_removed 1/2 in acme/chat',
      'sub_issues.sub_issue_added 5/2 in acme/chat',
      'sub_issues.parent_issue_added 5/2 in acme/chat',
    ]);
  });

  it(`holds at most ${MAX_SUB_ISSUES} sub-issues, and the port pages through them`, async () => {
    for (let n = 10; n < 10 + MAX_SUB_ISSUES + 1; n++) sim.fake.addIssue(n, '', [], `Child ${n}`);
    for (let n = 10; n < 10 + MAX_SUB_ISSUES; n++) sim.fake.addSubIssue(1, n);
    const over = await addSub(1, 10 + MAX_SUB_ISSUES);
    expect(over.status).toBe(422);
    expect(JSON.stringify(over.data)).toContain(`more than ${MAX_SUB_ISSUES} sub-issues`);

    sim.fake.requests.length = 0;
    const subs = await github.subIssues(1);
    expect(subs).toHaveLength(MAX_SUB_ISSUES);
    expect(subs.at(-1)?.number).toBe(10 + MAX_SUB_ISSUES - 1);
    expect(sim.fake.requests.map((r) => `${r.path}?${new URLSearchParams(r.query)}`)).toEqual([
      '/repos/acme/chat/issues/1/sub_issues?per_page=100&page=1',
      '/repos/acme/chat/issues/1/sub_issues?per_page=100&page=2',
    ]);
    // GitHub's default page is 30.
    const page4 = await api('GET /repos/{owner}/{repo}/issues/{issue_number}/sub_issues', { issue_number: 1, page: 4 });
    expect((page4.data as unknown as { number: number }[]).map((i) => i.number)).toEqual(
      Array.from({ length: 10 }, (_, i) => 100 + i),
    );
  });

  it('removes one, and a second removal finds nothing', async () => {
    sim.fake.addSubIssue(1, 2);
    sim.fake.addSubIssue(1, 3);
    await forget();
    const removal = () =>
      api('DELETE /repos/{owner}/{repo}/issues/{issue_number}/sub_issue', { issue_number: 1, sub_issue_id: id(2) });
    expect(await removal()).toMatchObject({ status: 200, data: { number: 1 } });
    expect((await github.subIssues(1)).map((s) => s.number)).toEqual([3]);
    expect((await removal()).status).toBe(404);
    expect(await events()).toEqual([
      'sub_issues.sub_issue_removed 1/2 in acme/chat',
      'sub_issues.parent_issue_removed 1/2 in acme/chat',
    ]);
    expect(sim.fake.parentOf(2)).toBeUndefined();
  });

  it('takes a sub-issue from another repository of the same owner, and no other owner', async () => {
    sim.fake.otherIssues.set('acme/billing#7', { number: 7, title: 'Hook', body: '', labels: [], state: 'open' });
    sim.fake.otherIssues.set('umbrella/lib#8', { number: 8, title: 'Lib', body: '', labels: [], state: 'open' });
    const billing = (await api('GET /repos/{owner}/{repo}/issues/{issue_number}', { repo: 'billing', issue_number: 7 }))
      .data;
    expect(
      (
        await api('POST /repos/{owner}/{repo}/issues/{issue_number}/sub_issues', {
          issue_number: 1,
          sub_issue_id: billing.id,
        })
      ).status,
    ).toBe(201);
    expect(() => sim.fake.addSubIssue(1, 'umbrella/lib#8')).toThrow('same repository owner');
    expect((await github.subIssues(1)).map((s) => `${s.repo}#${s.number}`)).toEqual(['acme/billing#7']);
    // The child's side goes to acme/billing, where this App does not listen.
    expect(await events()).toEqual(['sub_issues.sub_issue_added 1/7 in acme/chat']);
    expect(received[0]?.payload.sub_issue_repo).toMatchObject({ full_name: 'acme/billing' });
  });
});

describe('issue dependencies on the simulated GitHub', () => {
  it('reads "blocked by" through the port, other repositories included', async () => {
    sim.fake.otherIssues.set('acme/billing#4', {
      number: 4,
      title: 'Hook API',
      body: '',
      labels: [],
      state: 'closed',
      stateReason: 'completed',
    });
    sim.fake.otherIssues.set('umbrella/lib#9', { number: 9, title: 'Lib', body: '', labels: [], state: 'open' });
    const block = (issueId: unknown) =>
      api('POST /repos/{owner}/{repo}/issues/{issue_number}/dependencies/blocked_by', {
        issue_number: 3,
        issue_id: issueId,
      });
    expect(await block(id(2))).toMatchObject({ status: 201, data: { number: 3 } });
    const billing = await api('GET /repos/{owner}/{repo}/issues/{issue_number}', { repo: 'billing', issue_number: 4 });
    expect((await block(billing.data.id)).status).toBe(201);
    sim.fake.addBlockedBy(3, 'umbrella/lib#9');
    expect((await block(id(2))).status).toBe(422); // already
    expect((await block(id(3))).status).toBe(422); // itself

    expect(await github.blockedBy(3)).toEqual([
      { number: 2, repo: 'acme/chat', state: 'open', stateReason: null },
      { number: 4, repo: 'acme/billing', state: 'closed', stateReason: 'completed' },
      { number: 9, repo: 'umbrella/lib', state: 'open', stateReason: null },
    ]);
    expect(await github.blockedBy(2)).toEqual([]);
    const blocking = await api('GET /repos/{owner}/{repo}/issues/{issue_number}/dependencies/blocking', {
      issue_number: 2,
    });
    expect((blocking.data as unknown as { number: number }[]).map((i) => i.number)).toEqual([3]);
    const blocked = (await api('GET /repos/{owner}/{repo}/issues/{issue_number}', { issue_number: 3 })).data;
    expect(blocked.issue_dependencies_summary).toEqual({
      blocked_by: 2,
      blocking: 0,
      total_blocked_by: 3,
      total_blocking: 0,
    });
    // Both sides for a blocker here; a blocker elsewhere hears of it in its own repository.
    expect(await events()).toEqual([
      'issue_dependencies.blocked_by_added 3/2 in acme/chat',
      'issue_dependencies.blocking_added 3/2 in acme/chat',
      'issue_dependencies.blocked_by_added 3/4 in acme/chat',
      'issue_dependencies.blocked_by_added 3/9 in acme/chat',
    ]);
    expect(received[2]?.payload.blocking_issue_repo).toMatchObject({ full_name: 'acme/billing' });
  });

  it('removes a blocker by its id, and a second removal finds nothing', async () => {
    sim.fake.addBlockedBy(3, 2);
    sim.fake.addBlockedBy(3, 4);
    await forget();
    const removal = () =>
      api('DELETE /repos/{owner}/{repo}/issues/{issue_number}/dependencies/blocked_by/{issue_id}', {
        issue_number: 3,
        issue_id: id(2),
      });
    expect(await removal()).toMatchObject({ status: 200, data: { number: 3 } });
    expect((await github.blockedBy(3)).map((b) => b.number)).toEqual([4]);
    expect((await removal()).status).toBe(404);
    expect(await events()).toEqual([
      'issue_dependencies.blocked_by_removed 3/2 in acme/chat',
      'issue_dependencies.blocking_removed 3/2 in acme/chat',
    ]);
  });
});

describe('the checks themselves', () => {
  it('reject a webhook GitHub would not send', async () => {
    sim.fake.addSubIssue(1, 2);
    sim.fake.addBlockedBy(3, 2);
    await sim.idle();
    expect(received).toHaveLength(4);
    for (const { event, payload } of received) expect(validateWebhook(event, payload)).toEqual([]);

    const added = structuredClone(received[0]?.payload) as Record<string, unknown>;
    delete added.parent_issue_id;
    expect(validateWebhook('sub_issues', added).join('\n')).toContain("required property 'parent_issue_id'");
    const misspelt = structuredClone(received[0]?.payload) as Record<string, Record<string, unknown>>;
    misspelt.sub_issue = { ...misspelt.sub_issue, sub_issue_summary: misspelt.sub_issue?.sub_issues_summary };
    expect(validateWebhook('sub_issues', misspelt).join('\n')).toContain('sub_issue_summary');
    const dependency = structuredClone(received[2]?.payload) as Record<string, unknown>;
    delete dependency.organization;
    expect(validateWebhook('issue_dependencies', dependency).join('\n')).toContain("'organization'");
    expect(validateWebhook('sub_issues', { ...added, action: 'sub_issue_moved' })).not.toEqual([]);
  });

  it('reject an answer GitHub would not give', async () => {
    sim.fake.addSubIssue(1, 2);
    const listed = (await api('GET /repos/{owner}/{repo}/issues/{issue_number}/sub_issues', { issue_number: 1 }))
      .data as unknown as Record<string, unknown>[];
    const path = '/repos/acme/chat/issues/1/sub_issues';
    expect(validateResponse('GET', path, 200, listed)).toEqual([]);
    expect(validateResponse('GET', path, 200, [{ ...listed[0], state_reason: 'finished' }]).join()).toContain(
      'state_reason',
    );
    const { sub_issues_summary: _, ...rest } = listed[0] as Record<string, unknown>;
    expect(validateResponse('GET', path, 200, [{ ...rest, sub_issues_summary: { total: 1 } }]).join()).toContain(
      "'completed'",
    );
    expect(validateResponse('GET', path, 200, [{ ...listed[0], id: undefined }]).join()).toContain("'id'");
    expect(validateResponse('POST', path, 418, {})).not.toEqual([]);
  });

  it('reads one stream with only its own sub-issue’s links: a check before each task costs three requests', async () => {
    for (const n of [2, 3, 4]) sim.fake.addSubIssue(1, n);
    sim.fake.addIssue(5, '', [], 'Outside');
    for (const n of [2, 3, 4]) sim.fake.addBlockedBy(n, 5);
    sim.fake.addBlockedBy(4, 3);
    const context = { github, issueNumber: 1, config: DEFAULT_CONFIG, defaultBranch: 'main', trusted: () => false };
    const before = sim.fake.requests.length;
    const { stream } = await readStream(context, 'issue-4');
    const asked = sim.fake.requests.slice(before).map((r) => `${r.method} ${r.path}`);
    expect(asked).toEqual([
      'GET /repos/acme/chat/issues/1',
      'GET /repos/acme/chat/issues/1/sub_issues',
      'GET /repos/acme/chat/issues/4/dependencies/blocked_by',
    ]);
    // The stream as the whole plan reads it.
    const whole = (await readSource(context)).plan.streams.find((s) => s.id === 'issue-4');
    expect(stream).toEqual(whole);
    expect(stream?.dependsOn).toEqual(['issue-3']);
    expect(stream?.external).toEqual(['#5']);
  });
});
