import { createHmac, randomUUID } from 'node:crypto';
import { createRequire } from 'node:module';
import type { FakeGitHub, FakePull } from './fake-github.js';

// Webhook payloads from GitHub's own examples (@octokit/webhooks-examples), with the repository,
// issue and sender of the scenario put in.

interface ExampleGroup {
  readonly name: string;
  readonly examples: Record<string, unknown>[];
}
const require = createRequire(import.meta.url);
const groups = require('@octokit/webhooks-examples') as ExampleGroup[];

export type Payload = Record<string, unknown> & { action?: string };

export function example(name: string, action?: string): Payload {
  const group = groups.find((g) => g.name === name);
  const found = group?.examples.find((e) => action === undefined || e.action === action);
  if (!found) throw new Error(`no example for ${name}.${action}`);
  return structuredClone(found) as Payload;
}

export interface Sender {
  readonly login: string;
  readonly type?: 'User' | 'Bot';
}

const MAINTAINER: Sender = { login: 'maintainer', type: 'User' };

function situate(fake: FakeGitHub, payload: Payload, sender: Sender): Payload {
  const repository = payload.repository as Record<string, unknown>;
  repository.name = fake.repo;
  repository.full_name = `${fake.owner}/${fake.repo}`;
  repository.default_branch = fake.defaultBranch;
  repository.owner = { ...(repository.owner as object), login: fake.owner };
  payload.installation = { id: 1, node_id: 'MDIzOkludGVncmF0aW9uSW5zdGFsbGF0aW9uMQ==' };
  payload.sender = { ...(payload.sender as object), login: sender.login, type: sender.type ?? 'User' };
  return payload;
}

function issueJson(fake: FakeGitHub, number: number, base: Record<string, unknown>) {
  const issue = fake.issue(number);
  return {
    ...base,
    number,
    title: issue.title,
    body: issue.body,
    state: issue.state,
    labels: issue.labels.map((name, i) => ({
      id: i + 1,
      node_id: `L${i}`,
      url: '',
      name,
      color: 'ededed',
      default: false,
      description: null,
    })),
    html_url: `https://github.com/${fake.owner}/${fake.repo}/issues/${number}`,
  };
}

export function issuesLabeled(fake: FakeGitHub, number: number, label = 'execute', sender = MAINTAINER): Payload {
  const payload = example('issues', 'labeled');
  payload.issue = issueJson(fake, number, payload.issue as Record<string, unknown>);
  payload.label = { ...(payload.label as object), name: label };
  return situate(fake, payload, sender);
}

/** `issues.closed`: GitHub's examples have none, so a labeled one with the action and label changed. */
export function issuesClosed(fake: FakeGitHub, number: number, sender = MAINTAINER): Payload {
  const payload = example('issues', 'labeled');
  payload.action = 'closed';
  delete payload.label;
  payload.issue = issueJson(fake, number, payload.issue as Record<string, unknown>);
  return situate(fake, payload, sender);
}

export function issuesEdited(fake: FakeGitHub, number: number, sender = MAINTAINER): Payload {
  const payload = example('issues', 'edited');
  payload.issue = issueJson(fake, number, payload.issue as Record<string, unknown>);
  return situate(fake, payload, sender);
}

/** A comment by a person, added to the fake first so that reactions can find it. */
export function commentCreated(fake: FakeGitHub, number: number, body: string, sender = MAINTAINER): Payload {
  const id = fake.nextId();
  fake.comments.push({
    id,
    issue: number,
    body,
    login: sender.login,
    bot: sender.type === 'Bot',
    createdAt: fake.now(),
  });
  const payload = example('issue_comment', 'created');
  payload.issue = { ...issueJson(fake, number, payload.issue as Record<string, unknown>), pull_request: undefined };
  payload.comment = {
    ...(payload.comment as object),
    id,
    body,
    user: { login: sender.login, type: sender.type ?? 'User' },
  };
  return situate(fake, payload, sender);
}

export function workflowRunCompleted(
  fake: FakeGitHub,
  branch: string,
  conclusion: 'success' | 'failure' | 'cancelled',
): Payload {
  const run = fake.finishRun(branch, conclusion);
  const payload = example('workflow_run', 'completed');
  payload.workflow_run = {
    ...(payload.workflow_run as object),
    id: run.id,
    path: `.github/workflows/${run.workflow}`,
    head_branch: branch,
    conclusion,
    status: 'completed',
  };
  return situate(fake, payload, { login: 'github-actions[bot]', type: 'Bot' });
}

export function pushed(fake: FakeGitHub, branch: string, messages: string[]): Payload {
  const payload = example('push');
  payload.ref = `refs/heads/${branch}`;
  payload.deleted = false;
  payload.commits = messages.map((message, i) => ({ id: `c${i}`, message, distinct: true }));
  return situate(fake, payload, { login: 'github-actions[bot]', type: 'Bot' });
}

export function pullRequest(fake: FakeGitHub, action: 'opened' | 'closed' | 'synchronize', pull: FakePull): Payload {
  const payload = example('pull_request', action);
  const full = `${fake.owner}/${fake.repo}`;
  const base = payload.pull_request as Record<string, unknown>;
  payload.pull_request = {
    ...base,
    number: pull.number,
    merged: pull.merged,
    html_url: `https://github.com/${full}/pull/${pull.number}`,
    head: { ...(base.head as object), ref: pull.head, sha: pull.headSha, repo: { full_name: full } },
    base: { ...(base.base as object), ref: pull.base, repo: { full_name: full } },
  };
  payload.number = pull.number;
  return situate(fake, payload, { login: 'github-actions[bot]', type: 'Bot' });
}

export function checkRunRerequested(fake: FakeGitHub, name: string, branch: string, sha: string): Payload {
  const payload = example('check_run', 'rerequested');
  const check = payload.check_run as Record<string, unknown>;
  payload.check_run = {
    ...check,
    name,
    head_sha: sha,
    check_suite: { ...(check.check_suite as object), head_branch: branch },
  };
  return situate(fake, payload, MAINTAINER);
}

// Events for changes made through the fake's API (the simulator sends these).

type Actor = { readonly login: string; readonly type: 'User' | 'Bot' };

export function labeledEvent(fake: FakeGitHub, number: number, label: string, sender: Actor): Payload {
  return issuesLabeled(fake, number, label, sender);
}

export function editedEvent(fake: FakeGitHub, number: number, from: string, sender: Actor): Payload {
  const payload = issuesEdited(fake, number, sender);
  payload.changes = { body: { from } };
  return payload;
}

export function commentEvent(
  fake: FakeGitHub,
  number: number,
  comment: { id: number; body: string },
  sender: Actor,
): Payload {
  const payload = example('issue_comment', 'created');
  payload.issue = { ...issueJson(fake, number, payload.issue as Record<string, unknown>), pull_request: undefined };
  payload.comment = {
    ...(payload.comment as object),
    id: comment.id,
    body: comment.body,
    user: { login: sender.login, type: sender.type },
  };
  return situate(fake, payload, sender);
}

export function pullOpenedEvent(fake: FakeGitHub, pull: FakePull, sender: Actor): Payload {
  return situate(fake, { ...pullRequest(fake, 'opened', pull) }, sender);
}

export function pushEvent(fake: FakeGitHub, branch: string, before: string, after: string, sender: Actor): Payload {
  const payload = example('push');
  const zero = (sha: string) => /^0+$/.test(sha);
  const known = zero(before) ? new Set<string>() : fake.store.ancestors(before);
  // A new branch's push lists no commits (GitHub lists only what is new to the repository).
  const commits = zero(after) || zero(before) ? [] : [...fake.store.ancestors(after)].filter((sha) => !known.has(sha));
  payload.ref = `refs/heads/${branch}`;
  payload.before = before;
  payload.after = after;
  payload.created = /^0+$/.test(before);
  payload.deleted = /^0+$/.test(after);
  payload.commits = commits.map((sha) => ({ id: sha, message: fake.commits.get(sha)?.message ?? '', distinct: true }));
  return situate(fake, payload, sender);
}

export function workflowRunEvent(
  fake: FakeGitHub,
  run: { id: number; workflow: string; branch: string; conclusion: string | null },
): Payload {
  const payload = example('workflow_run', 'completed');
  payload.workflow_run = {
    ...(payload.workflow_run as object),
    id: run.id,
    path: `.github/workflows/${run.workflow}`,
    head_branch: run.branch,
    conclusion: run.conclusion,
    status: 'completed',
  };
  return situate(fake, payload, { login: 'github-actions[bot]', type: 'Bot' });
}

/** POSTs a delivery as GitHub does, signed with `secret` (or with the `signature` given as is). */
export function postDelivery(
  url: string,
  event: string,
  body: string,
  sign: { secret: string } | { signature: string },
) {
  const signature =
    'signature' in sign ? sign.signature : `sha256=${createHmac('sha256', sign.secret).update(body).digest('hex')}`;
  return fetch(url, {
    method: 'POST',
    body,
    headers: {
      'content-type': 'application/json',
      'x-github-event': event,
      'x-github-delivery': randomUUID(),
      'x-hub-signature-256': signature,
    },
  });
}
