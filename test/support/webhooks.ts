import { createHmac, randomUUID } from 'node:crypto';
import { createRequire } from 'node:module';
import type { FakeGitHub, FakePull, IssueRef } from './fake-github.js';

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
    sub_issues_summary: fake.subIssuesSummary(number),
  };
}

export function issuesLabeled(fake: FakeGitHub, number: number, label = 'execute', sender = MAINTAINER): Payload {
  const payload = example('issues', 'labeled');
  payload.issue = issueJson(fake, number, payload.issue as Record<string, unknown>);
  payload.label = { ...(payload.label as object), name: label };
  return situate(fake, payload, sender);
}

/** `issues.closed` (or `reopened`): GitHub's examples have none, so a labeled one with the action and label changed. */
export function issuesClosed(
  fake: FakeGitHub,
  number: number,
  sender: Sender = MAINTAINER,
  action: 'closed' | 'reopened' = 'closed',
): Payload {
  const payload = example('issues', 'labeled');
  payload.action = action;
  delete payload.label;
  const issue = issueJson(fake, number, payload.issue as Record<string, unknown>);
  payload.issue = {
    ...issue,
    state_reason: fake.issue(number).stateReason ?? null,
    closed_at: action === 'closed' ? '2026-11-21T12:00:00Z' : null,
  };
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

export function editedEvent(
  fake: FakeGitHub,
  number: number,
  from: { body?: string; title?: string } | string,
  sender: Actor,
): Payload {
  const payload = issuesEdited(fake, number, sender);
  const was = typeof from === 'string' ? { body: from } : from;
  payload.changes = {
    ...(was.body !== undefined ? { body: { from: was.body } } : {}),
    ...(was.title !== undefined ? { title: { from: was.title } } : {}),
  };
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
  return pullRequestEvent(fake, 'opened', pull, sender);
}

export function pullRequestEvent(
  fake: FakeGitHub,
  action: 'opened' | 'closed',
  pull: FakePull,
  sender: Actor,
): Payload {
  return situate(fake, { ...pullRequest(fake, action, pull) }, sender);
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

// Sub-issues and dependencies. GitHub's examples have none of these events, and
// @octokit/webhooks-schemas no schema: the payloads follow the `x-webhooks` of @octokit/openapi
// (test/simulator/openapi-schema.ts checks them), whole, with no field left to fill in.

/** A repository as a webhook shows it (`repository-webhooks`; `repository` without the webhook-only keys). */
export function repositoryJson(fake: FakeGitHub, slug: string, shape: 'webhooks' | 'rest' = 'webhooks') {
  const base = example('issues', 'labeled').repository as Record<string, unknown>;
  const [owner = '', name = ''] = slug.split('/');
  const text = JSON.stringify(base).replaceAll('Codertocat/Hello-World', slug).replaceAll('Codertocat', owner);
  const repository = JSON.parse(text) as Record<string, unknown>;
  let id = 0;
  for (const c of slug) id = (id * 31 + c.charCodeAt(0)) % 100_000_000;
  Object.assign(repository, {
    // The repository the App is installed on is id 1 (GET /installation/repositories says so).
    id: slug === `${fake.owner}/${fake.repo}` ? 1 : id + 2,
    node_id: `R_${slug}`,
    name,
    full_name: slug,
    owner: fake.restUser(owner, 'Organization'),
    default_branch: slug === `${fake.owner}/${fake.repo}` ? fake.defaultBranch : 'main',
    master_branch: undefined,
  });
  if (shape === 'rest') delete repository.custom_properties;
  return JSON.parse(JSON.stringify(repository)) as Record<string, unknown>;
}

/** The organization that owns the fake's repository (`organization-simple-webhooks`). */
export function organizationJson(fake: FakeGitHub) {
  const url = `https://api.github.com/orgs/${fake.owner}`;
  return {
    login: fake.owner,
    id: 4,
    node_id: 'O_4',
    url,
    repos_url: `${url}/repos`,
    events_url: `${url}/events`,
    hooks_url: `${url}/hooks`,
    issues_url: `${url}/issues`,
    members_url: `${url}/members{/member}`,
    public_members_url: `${url}/public_members{/member}`,
    avatar_url: 'https://avatars.githubusercontent.com/u/4?v=4',
    description: null,
  };
}

function around(fake: FakeGitHub, repo: string, sender: Actor) {
  return {
    repository: repositoryJson(fake, repo),
    organization: organizationJson(fake),
    installation: { id: 1, node_id: 'MDIzOkludGVncmF0aW9uSW5zdGFsbGF0aW9uMQ==' },
    sender: fake.restUser(sender.login, sender.type),
  };
}

export type SubIssueAction = 'sub_issue_added' | 'sub_issue_removed' | 'parent_issue_added' | 'parent_issue_removed';

/**
 * `sub_issues`: `sub_issue_*` goes to the parent's repository (with `sub_issue_repo`),
 * `parent_issue_*` to the sub-issue's (with `parent_issue_repo`); both issues as they are now.
 */
export function subIssueEvent(
  fake: FakeGitHub,
  action: SubIssueAction,
  parent: IssueRef,
  child: IssueRef,
  sender: Actor,
): Payload {
  const parentIssue = fake.restIssue(`${parent.repo}#${parent.number}`);
  const subIssue = fake.restIssue(`${child.repo}#${child.number}`);
  const childSide = action.startsWith('parent_issue');
  return {
    action,
    sub_issue_id: subIssue.id as number,
    sub_issue: subIssue,
    parent_issue_id: parentIssue.id as number,
    parent_issue: parentIssue,
    ...(childSide
      ? { parent_issue_repo: repositoryJson(fake, parent.repo, 'rest') }
      : { sub_issue_repo: repositoryJson(fake, child.repo, 'rest') }),
    ...around(fake, childSide ? child.repo : parent.repo, sender),
  };
}

export type DependencyAction = 'blocked_by_added' | 'blocked_by_removed' | 'blocking_added' | 'blocking_removed';

/**
 * `issue_dependencies`: `blocked_by_*` goes to the blocked issue's repository (with
 * `blocking_issue_repo`), `blocking_*` to the blocking issue's (with `blocked_issue_repo`).
 */
export function dependencyEvent(
  fake: FakeGitHub,
  action: DependencyAction,
  blocked: IssueRef,
  blocking: IssueRef,
  sender: Actor,
): Payload {
  const blockedIssue = fake.restIssue(`${blocked.repo}#${blocked.number}`);
  const blockingIssue = fake.restIssue(`${blocking.repo}#${blocking.number}`);
  const blockingSide = action.startsWith('blocking');
  return {
    action,
    blocked_issue_id: blockedIssue.id as number,
    blocked_issue: blockedIssue,
    blocking_issue_id: blockingIssue.id as number,
    blocking_issue: blockingIssue,
    ...(blockingSide
      ? { blocked_issue_repo: repositoryJson(fake, blocked.repo, 'rest') }
      : { blocking_issue_repo: repositoryJson(fake, blocking.repo, 'rest') }),
    ...around(fake, blockingSide ? blocking.repo : blocked.repo, sender),
  };
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
