import nock from 'nock';
import { parseBreakdown } from '../../src/core/breakdown/parse.js';
import { approvalOf } from '../../src/core/execution/approval.js';
import { taskKey } from '../../src/core/execution/ledger.js';
import { approvalComment } from '../../src/core/render/comments.js';
import { validateRequest } from './openapi.js';
import { MemoryStore, type RepoStore } from './repo-store.js';
import {
  commentEvent,
  dependencyEvent,
  editedEvent,
  issuesClosed,
  labeledEvent,
  pullOpenedEvent,
  pullRequestEvent,
  pushEvent,
  subIssueEvent,
} from './webhooks.js';

/** The issues a pull request's text closes on merge (`Closes #12`, `fixes #3`, `Resolved #4`). */
function closingReferences(text: string): number[] {
  return [...text.matchAll(/\b(?:close[sd]?|fix(?:e[sd])?|resolve[sd]?):?[ \t]+#(\d+)\b/gi)].map((m) => Number(m[1]));
}

// An in-memory GitHub for one repository, served through nock at https://api.github.com: the
// REST subset the coordinator uses, stateful, with every request recorded and validated against
// GitHub's OpenAPI description. Faults (5xx, secondary rate limits) can be queued per route.

export type Permission = 'admin' | 'maintain' | 'write' | 'triage' | 'read' | 'none';

export interface FakeIssue {
  /** GitHub's id (not the number): what the sub-issue and dependency endpoints take. Set on first use. */
  id?: number;
  number: number;
  title: string;
  body: string;
  labels: string[];
  state: 'open' | 'closed';
  /** Why it was closed: `completed`, `not_planned`, … (GitHub's `state_reason`). */
  stateReason?: string;
  /** Set when the issue is a pull request: when it merged, if it did. */
  pullRequest?: { mergedAt: string | null };
  /** Who opened it (`maintainer` unless said). */
  author?: string;
}
/** An issue here or in another repository: `owner/repo` and its number. */
export interface IssueRef {
  readonly repo: string;
  readonly number: number;
}
/** Who made a change: a person unless said (the fake's helpers act as the maintainer). */
export type Actor = { readonly login: string; readonly type: 'User' | 'Bot' };
export interface FakeComment {
  id: number;
  issue: number;
  body: string;
  login: string;
  bot: boolean;
  createdAt: string;
}
export interface FakeRun {
  id: number;
  workflow: string;
  branch: string;
  inputs: Record<string, string>;
  status: 'queued' | 'in_progress' | 'completed';
  conclusion: string | null;
  createdAt: string;
  /** When it began running (`run_started_at`); unset while it is queued. */
  startedAt?: string;
  /** When it last changed (`updated_at`): a completed run's end. Its creation, until then. */
  updatedAt?: string;
}
export interface FakePull {
  number: number;
  head: string;
  headSha: string;
  base: string;
  state: 'open' | 'closed';
  merged: boolean;
  title: string;
  body?: string;
  draft?: boolean;
}
export interface FakeCheck {
  id?: number;
  name: string;
  headSha: string;
  conclusion: string;
  title: string;
  summary: string;
  text?: string;
  annotations?: unknown[];
}
export interface RecordedRequest {
  readonly method: string;
  readonly path: string;
  readonly query: Record<string, string>;
  readonly body: unknown;
  readonly status: number;
}
interface Fault {
  readonly method: string;
  readonly path: RegExp;
  readonly status: number;
  readonly headers: Record<string, string>;
  remaining: number;
  /** Fail after the change took effect (GitHub did the work, then the answer was lost). */
  readonly after?: boolean;
}

const API = 'https://api.github.com';
type Reply = [number, unknown, Record<string, string>?];
/** GitHub's limits: children of one parent; issues in one dependency list. */
export const MAX_SUB_ISSUES = 100;
export const MAX_DEPENDENCIES = 50;
const MAINTAINER: Actor = { login: 'maintainer', type: 'User' };
const DOCS = 'https://docs.github.com/rest/issues';

export class FakeGitHub {
  readonly owner = 'acme';
  readonly repo = 'chat';
  readonly defaultBranch = 'main';
  readonly requests: RecordedRequest[] = [];
  /** Requests that GitHub's OpenAPI description rejects; tests expect none. */
  readonly violations: string[] = [];
  readonly issues = new Map<number, FakeIssue>();
  /** Issues of other repositories, by `owner/repo#number`. */
  readonly otherIssues = new Map<string, FakeIssue>();
  readonly comments: FakeComment[] = [];
  readonly store: RepoStore;
  readonly runs: FakeRun[] = [];
  readonly pulls: FakePull[] = [];
  readonly checks: FakeCheck[] = [];
  readonly permissions = new Map<string, Permission>();
  readonly reactions = new Set<string>();
  /** Branch pairs (`A|B`, either order) whose merge conflicts. */
  readonly conflicts = new Set<string>();
  config: string | undefined;
  /** Refuse to dispatch a workflow whose file is not in the repository at the ref (as GitHub). */
  requireWorkflowFiles = false;
  /** The bot the coordinator writes as. */
  readonly botLogin = 'execution-coordinator[bot]';
  #faults: Fault[] = [];
  // Real time, one second apart at least: GitHub's timestamps have one-second resolution, and
  // code comparing them with the present (looking for a run just started) must see the present.
  #clock = Date.now();
  #ids = 100;
  #scope: nock.Scope | undefined;
  readonly #table = this.#routes();

  /** In memory, or over a bare git repository (which must already have the default branch). */
  constructor(store: RepoStore = new MemoryStore()) {
    this.store = store;
    if (!this.refs.has(this.defaultBranch)) this.refs.set(this.defaultBranch, this.commit('Initial commit', []));
  }

  /**
   * Branches, as the store holds them; a branch created through here is in the repository's
   * activity log (`GET /activity`), as every branch GitHub creates is.
   */
  get refs(): RepoStore['refs'] {
    const refs = this.store.refs;
    return {
      ...refs,
      [Symbol.iterator]: () => refs[Symbol.iterator](),
      set: (name: string, sha: string) => {
        if (!refs.has(name)) this.branchCreatedAt.set(name, this.now());
        refs.set(name, sha);
      },
    };
  }

  /** When each branch was created (the activity log's `branch_creation` entries); tests may backdate. */
  readonly branchCreatedAt = new Map<string, string>();
  /** Workflows by file name that are not `active` (`missing` answers 404, as a deleted or renamed one). */
  readonly workflowStates = new Map<string, string>();

  #workflowState(workflow: string, ref: string = this.defaultBranch): string {
    const state = this.workflowStates.get(workflow);
    if (state) return state;
    return this.requireWorkflowFiles && this.store.file(ref, `.github/workflows/${workflow}`) === undefined
      ? 'missing'
      : 'active';
  }

  get commits(): RepoStore['commits'] {
    return this.store.commits;
  }

  /** Starts answering requests to api.github.com. */
  listen(): this {
    const scope = nock(API).persist();
    for (const method of ['GET', 'POST', 'PATCH', 'PUT', 'DELETE'] as const) {
      const fake = this;
      scope.intercept(/.*/, method).reply(function (uri, body) {
        return fake.handle(method, uri, body, this.req.headers.authorization);
      });
    }
    this.#scope = scope;
    return this;
  }

  /** Stops answering; a request GitHub's OpenAPI description rejects fails the test here. */
  close(): void {
    this.#scope?.persist(false);
    nock.cleanAll();
    if (this.violations.length > 0) throw new Error(`requests GitHub would reject:\n${this.violations.join('\n')}`);
  }

  // Arranging the world

  now(): string {
    this.#clock = Math.max(Date.now(), this.#clock + 1000);
    return new Date(this.#clock).toISOString();
  }

  nextId(): number {
    return ++this.#ids;
  }

  commit(message: string, parents: string[]): string {
    return this.store.commit(message, parents);
  }

  addIssue(number: number, body: string, labels: string[] = [], title = `Issue ${number}`): FakeIssue {
    const issue: FakeIssue = { number, title, body, labels, state: 'open' };
    this.issues.set(number, issue);
    return issue;
  }

  issue(number: number): FakeIssue {
    const issue = this.issues.get(number);
    if (!issue) throw new Error(`no issue ${number}`);
    return issue;
  }

  get slug(): string {
    return `${this.owner}/${this.repo}`;
  }

  // Sub-issues and dependencies, as GitHub keeps them: by `owner/repo#n`, across repositories.

  /** Parent → its sub-issues, in their order. */
  readonly #children = new Map<string, string[]>();
  /** Sub-issue → its one parent. */
  readonly #parent = new Map<string, string>();
  /** Issue → the issues it is blocked by, in the order they were added. */
  readonly #blockers = new Map<string, string[]>();
  #otherIds = 9_000_000;

  /** Makes `child` (a number here, or `owner/repo#n` of the same owner) a sub-issue of `parent`, as POST …/sub_issues does; the events go out. */
  addSubIssue(parent: number, child: number | string, options: { replaceParent?: boolean; by?: Actor } = {}): void {
    const target = this.#resolve(child);
    if (!target) throw new Error(`no issue ${child}`);
    this.#must(
      this.#addSubIssue(
        this.#key(parent),
        this.issueId(target.issue),
        options.replaceParent === true,
        options.by ?? MAINTAINER,
      ),
    );
  }

  /** Takes `child` from `parent`'s sub-issues, as DELETE …/sub_issue does; the events go out. */
  removeSubIssue(parent: number, child: number | string, by: Actor = MAINTAINER): void {
    const target = this.#resolve(child);
    if (!target) throw new Error(`no issue ${child}`);
    this.#must(this.#removeSubIssue(this.#key(parent), this.issueId(target.issue), by));
  }

  /** Marks `issue` as blocked by `blocker` (here, or `owner/repo#n` anywhere), as POST …/dependencies/blocked_by does. */
  addBlockedBy(issue: number, blocker: number | string, by: Actor = MAINTAINER): void {
    const target = this.#resolve(blocker);
    if (!target) throw new Error(`no issue ${blocker}`);
    this.#must(this.#addBlockedBy(this.#key(issue), this.issueId(target.issue), by));
  }

  /** Removes `blocker` from what blocks `issue`, as DELETE …/dependencies/blocked_by/{issue_id} does. */
  removeBlockedBy(issue: number, blocker: number | string, by: Actor = MAINTAINER): void {
    const target = this.#resolve(blocker);
    if (!target) throw new Error(`no issue ${blocker}`);
    this.#must(this.#removeBlockedBy(this.#key(issue), this.issueId(target.issue), by));
  }

  /** The sub-issues of `parent`, in order. */
  subIssuesOf(parent: number | string): IssueRef[] {
    return (this.#children.get(this.#key(parent)) ?? []).map(refOf);
  }

  /** The parent of `child`, if it has one. */
  parentOf(child: number | string): IssueRef | undefined {
    const key = this.#parent.get(this.#key(child));
    return key ? refOf(key) : undefined;
  }

  /** What `issue` is blocked by, in the order they were added. */
  blockedByOf(issue: number | string): IssueRef[] {
    return (this.#blockers.get(this.#key(issue)) ?? []).map(refOf);
  }

  /** What `issue` blocks. */
  blockingOf(issue: number | string): IssueRef[] {
    const key = this.#key(issue);
    return [...this.#blockers].filter(([, blockers]) => blockers.includes(key)).map(([blocked]) => refOf(blocked));
  }

  /** The issue's id (GitHub's, not its number): given on first use, distinct from every number. */
  issueId(issue: FakeIssue): number {
    if (issue.id === undefined) {
      const here = this.issues.get(issue.number) === issue;
      issue.id = here ? 1_000_000 + issue.number : ++this.#otherIds;
    }
    return issue.id;
  }

  /** GitHub's `sub_issues_summary` of an issue: how many sub-issues, how many closed. */
  subIssuesSummary(number: number, repo: string = this.slug) {
    const children = (this.#children.get(`${repo}#${number}`) ?? []).flatMap((k) => this.#resolve(k)?.issue ?? []);
    const completed = children.filter((c) => c.state === 'closed').length;
    return {
      total: children.length,
      completed,
      percent_completed: children.length === 0 ? 0 : Math.floor((completed * 100) / children.length),
    };
  }

  /** An issue as GitHub's REST API returns it (`owner/repo#n`, or a number here). */
  restIssue(ref: number | string): Record<string, unknown> {
    const found = this.#resolve(ref);
    if (!found) throw new Error(`no issue ${ref}`);
    return this.#issueJson(found.issue, found.repo);
  }

  /** A user as GitHub's API shows one (`simple-user`). */
  restUser(login: string, type: 'User' | 'Bot' | 'Organization' = 'User'): Record<string, unknown> {
    const url = `${API}/users/${encodeURIComponent(login)}`;
    let id = 0;
    for (const c of login) id = (id * 31 + c.charCodeAt(0)) % 1_000_000;
    return {
      login,
      id: id + 1,
      node_id: `U_${id + 1}`,
      avatar_url: `https://avatars.githubusercontent.com/u/${id + 1}?v=4`,
      gravatar_id: '',
      url,
      html_url: `https://github.com/${login}`,
      followers_url: `${url}/followers`,
      following_url: `${url}/following{/other_user}`,
      gists_url: `${url}/gists{/gist_id}`,
      starred_url: `${url}/starred{/owner}{/repo}`,
      subscriptions_url: `${url}/subscriptions`,
      organizations_url: `${url}/orgs`,
      repos_url: `${url}/repos`,
      events_url: `${url}/events{/privacy}`,
      received_events_url: `${url}/received_events`,
      type,
      site_admin: false,
    };
  }

  /** `owner/repo#n` of a number here, `#n`, or `owner/repo#n`. */
  #key(ref: number | string): string {
    if (typeof ref === 'number') return `${this.slug}#${ref}`;
    return ref.startsWith('#') ? `${this.slug}${ref}` : ref;
  }

  #resolve(ref: number | string): { repo: string; issue: FakeIssue } | undefined {
    const key = this.#key(ref);
    const { repo, number } = refOf(key);
    const issue = repo === this.slug ? this.issues.get(number) : this.otherIssues.get(key);
    return issue ? { repo, issue } : undefined;
  }

  /** The key of the issue with this id, here or elsewhere. */
  #byId(id: number): string | undefined {
    for (const issue of this.issues.values()) if (this.issueId(issue) === id) return `${this.slug}#${issue.number}`;
    for (const [key, issue] of this.otherIssues) if (this.issueId(issue) === id) return key;
    return undefined;
  }

  #must(reply: Reply): void {
    if (reply[0] >= 400) {
      const body = reply[1] as { message?: string; errors?: { message?: string }[] };
      throw new Error(`GitHub answers ${reply[0]}: ${body.errors?.[0]?.message ?? body.message}`);
    }
  }

  #invalid(field: string, message: string): Reply {
    return [
      422,
      {
        message: 'Validation Failed',
        errors: [{ resource: 'Issue', code: 'custom', field, message }],
        documentation_url: DOCS,
      },
    ];
  }

  #notFound(): Reply {
    return [404, { message: 'Not Found', documentation_url: DOCS }];
  }

  #addSubIssue(parentKey: string, childId: number, replace: boolean, by: Actor): Reply {
    const parent = this.#resolve(parentKey);
    if (!parent) return this.#notFound();
    const childKey = this.#byId(childId);
    const child = childKey ? this.#resolve(childKey) : undefined;
    if (!childKey || !child) return this.#invalid('sub_issue_id', 'Sub issue does not exist');
    if (child.issue.pullRequest) return this.#invalid('sub_issue_id', 'Sub issue must be an issue, not a pull request');
    if (childKey === parentKey) return this.#invalid('sub_issue_id', 'An issue cannot be its own sub-issue');
    if (child.repo.split('/')[0] !== parent.repo.split('/')[0])
      return this.#invalid('sub_issue_id', 'Sub issue must belong to the same repository owner as the parent issue');
    const current = this.#parent.get(childKey);
    if (current === parentKey) return this.#invalid('sub_issue_id', 'Issue is already a sub-issue of this parent');
    if (current && !replace) return this.#invalid('sub_issue_id', 'Sub issue may only have one parent');
    for (let up: string | undefined = parentKey; up; up = this.#parent.get(up))
      if (up === childKey) return this.#invalid('sub_issue_id', 'An issue cannot be a sub-issue of its own sub-issue');
    const siblings = this.#children.get(parentKey) ?? [];
    if (siblings.length >= MAX_SUB_ISSUES)
      return this.#invalid('sub_issue_id', `Parent issue cannot have more than ${MAX_SUB_ISSUES} sub-issues`);
    if (current) this.#unlinkSubIssue(current, childKey, by);
    this.#children.set(parentKey, [...siblings, childKey]);
    this.#parent.set(childKey, parentKey);
    this.#emitSubIssue('added', parentKey, childKey, by);
    return [201, this.#issueJson(parent.issue, parent.repo)];
  }

  #removeSubIssue(parentKey: string, childId: number, by: Actor): Reply {
    const parent = this.#resolve(parentKey);
    const childKey = this.#byId(childId);
    if (!parent || !childKey || this.#parent.get(childKey) !== parentKey) return this.#notFound();
    this.#unlinkSubIssue(parentKey, childKey, by);
    return [200, this.#issueJson(parent.issue, parent.repo)];
  }

  #unlinkSubIssue(parentKey: string, childKey: string, by: Actor): void {
    this.#children.set(
      parentKey,
      (this.#children.get(parentKey) ?? []).filter((k) => k !== childKey),
    );
    this.#parent.delete(childKey);
    this.#emitSubIssue('removed', parentKey, childKey, by);
  }

  /** Both sides, as GitHub sends them: each to its own repository (only this one's reach the App). */
  #emitSubIssue(change: 'added' | 'removed', parentKey: string, childKey: string, by: Actor): void {
    const parent = refOf(parentKey);
    const child = refOf(childKey);
    if (parent.repo === this.slug)
      this.#emit('sub_issues', () => subIssueEvent(this, `sub_issue_${change}`, parent, child, by));
    if (child.repo === this.slug)
      this.#emit('sub_issues', () => subIssueEvent(this, `parent_issue_${change}`, parent, child, by));
  }

  #addBlockedBy(blockedKey: string, blockerId: number, by: Actor): Reply {
    const blocked = this.#resolve(blockedKey);
    if (!blocked) return this.#notFound();
    const blockerKey = this.#byId(blockerId);
    const blocker = blockerKey ? this.#resolve(blockerKey) : undefined;
    if (!blockerKey || !blocker) return this.#invalid('issue_id', 'Blocking issue does not exist');
    if (blocker.issue.pullRequest) return this.#invalid('issue_id', 'A pull request cannot block an issue');
    if (blockerKey === blockedKey) return this.#invalid('issue_id', 'An issue cannot be blocked by itself');
    const blockers = this.#blockers.get(blockedKey) ?? [];
    if (blockers.includes(blockerKey)) return this.#invalid('issue_id', 'Issue is already blocked by this issue');
    if (blockers.length >= MAX_DEPENDENCIES)
      return this.#invalid('issue_id', `An issue cannot be blocked by more than ${MAX_DEPENDENCIES} issues`);
    if (this.blockingOf(blockerKey).length >= MAX_DEPENDENCIES)
      return this.#invalid('issue_id', `An issue cannot block more than ${MAX_DEPENDENCIES} issues`);
    this.#blockers.set(blockedKey, [...blockers, blockerKey]);
    this.#emitDependency('added', blockedKey, blockerKey, by);
    return [201, this.#issueJson(blocked.issue, blocked.repo)];
  }

  #removeBlockedBy(blockedKey: string, blockerId: number, by: Actor): Reply {
    const blocked = this.#resolve(blockedKey);
    const blockerKey = this.#byId(blockerId);
    const blockers = this.#blockers.get(blockedKey) ?? [];
    if (!blocked || !blockerKey || !blockers.includes(blockerKey)) return this.#notFound();
    this.#blockers.set(
      blockedKey,
      blockers.filter((k) => k !== blockerKey),
    );
    this.#emitDependency('removed', blockedKey, blockerKey, by);
    return [200, this.#issueJson(blocked.issue, blocked.repo)];
  }

  #emitDependency(change: 'added' | 'removed', blockedKey: string, blockerKey: string, by: Actor): void {
    const blocked = refOf(blockedKey);
    const blocking = refOf(blockerKey);
    if (blocked.repo === this.slug)
      this.#emit('issue_dependencies', () => dependencyEvent(this, `blocked_by_${change}`, blocked, blocking, by));
    if (blocking.repo === this.slug)
      this.#emit('issue_dependencies', () => dependencyEvent(this, `blocking_${change}`, blocked, blocking, by));
  }

  /** One page of a listing, as GitHub pages (`per_page` up to 100, 30 unless said). */
  #page<T>(items: readonly T[], query: Record<string, string>): T[] {
    const perPage = Math.min(100, Number(query.per_page ?? 30));
    const page = Number(query.page ?? 1);
    return items.slice((page - 1) * perPage, page * perPage);
  }

  #listed(keys: readonly string[], query: Record<string, string>): Reply {
    return [
      200,
      this.#page(keys, query).flatMap((key) => {
        const found = this.#resolve(key);
        return found ? [this.#issueJson(found.issue, found.repo)] : [];
      }),
    ];
  }

  /** A comment by a bot other than the coordinator's (another App installed on the repository). */
  botComment(issue: number, login: string, body: string): void {
    this.comments.push({ id: this.nextId(), issue, body, login, bot: true, createdAt: this.now() });
  }

  /** The coordinator's approval of the issue as it stands, as if a writer had labelled it. */
  approve(issue: number, by = 'maintainer'): void {
    const { title, body } = this.issue(issue);
    const record = approvalOf({ title, body }, parseBreakdown(body), by);
    this.comments.push({
      id: this.nextId(),
      issue,
      body: approvalComment(record),
      login: this.botLogin,
      bot: true,
      createdAt: this.now(),
    });
  }

  /** The ledger key of a task as the issue's body now holds it (its id and its title). */
  taskKey(issue: number, task: string): string {
    const found = parseBreakdown(this.issue(issue).body)
      .streams.flatMap((s) => s.tasks)
      .find((t) => t.id === task);
    if (!found) throw new Error(`issue ${issue} has no task ${task}`);
    return taskKey(found);
  }

  /** A task commit pushed to a stream branch, as the Action makes it (the title from the issue). */
  pushTaskCommit(branch: string, issue: number, task: string, subject = task): string {
    const head = this.refs.get(branch);
    if (!head) throw new Error(`no branch ${branch}`);
    const [id, hash] = this.taskKey(issue, task).split('#');
    const sha = this.commit(`${subject}\n\nExecute-Issue: ${issue}\nExecute-Task: ${id} ${hash}\n`, [head]);
    this.refs.set(branch, sha);
    return sha;
  }

  /**
   * Closes an issue with `reason` (`completed`, `not_planned`, …), or reopens it without one, as
   * the caller; the event goes out.
   */
  closeIssue(number: number, reason: string | undefined, by: Actor = this.caller): void {
    const issue = this.issue(number);
    issue.state = reason === undefined ? 'open' : 'closed';
    issue.stateReason = reason === undefined ? 'reopened' : reason;
    this.#emit('issues', () => issuesClosed(this, number, by, reason === undefined ? 'reopened' : 'closed'));
  }

  openPull(head: string, title = `Stream ${head}`): FakePull {
    const pull: FakePull = {
      number: this.nextId(),
      head,
      headSha: this.refs.get(head) ?? '',
      base: this.defaultBranch,
      state: 'open',
      merged: false,
      title,
    };
    this.pulls.push(pull);
    return pull;
  }

  finishRun(branch: string, conclusion: 'success' | 'failure' | 'cancelled'): FakeRun {
    const run = [...this.runs].reverse().find((r) => r.branch === branch);
    if (!run) throw new Error(`no run on ${branch}`);
    run.startedAt ??= run.createdAt;
    run.status = 'completed';
    run.conclusion = conclusion;
    run.updatedAt = this.now();
    return run;
  }

  /**
   * From now on, a `rate` share of the bots' requests (the App's, the Action's) fails before it
   * takes effect: a 502, or a secondary rate limit (403 or 429 with retry-after). People's own
   * requests are left alone.
   */
  failRandomly(rate: number, random: () => number): void {
    this.#chaos = { rate, random };
  }

  #chaos: { rate: number; random: () => number } | undefined;

  #randomFault(): Fault | undefined {
    if (!this.#chaos || this.caller.type !== 'Bot' || this.#chaos.random() >= this.#chaos.rate) return undefined;
    const kind = Math.floor(this.#chaos.random() * 3);
    const status = [502, 403, 429][kind] as number;
    return { method: '', path: /$^/, status, headers: status === 502 ? {} : { 'retry-after': '1' }, remaining: 1 };
  }

  /** The next `times` requests matching method and path answer `status` instead. */
  fail(
    method: string,
    path: RegExp,
    status: number,
    times = 1,
    headers: Record<string, string> = {},
    after = false,
  ): void {
    this.#faults.push({ method, path, status, headers, remaining: times, after });
  }

  // Reading what happened

  /** `METHOD /path` of every request so far (query strings left out). */
  calls(): string[] {
    return this.requests.map((r) => `${r.method} ${r.path}`);
  }

  dispatches(): { branch: string; inputs: Record<string, string> }[] {
    return this.runs.map((r) => ({ branch: r.branch, inputs: r.inputs }));
  }

  commentsOn(issue: number): FakeComment[] {
    return this.comments.filter((c) => c.issue === issue);
  }

  // Serving

  #emit(name: string, build: () => Record<string, unknown>): void {
    if (this.onEvent) this.onEvent(name, build());
  }

  /** Who a token belongs to; any other token acts as the App's bot. */
  readonly identities = new Map<string, { login: string; type: 'User' | 'Bot' }>();
  /** Called with each webhook event GitHub would send for a change made through the API. */
  onEvent: ((name: string, payload: Record<string, unknown>) => void) | undefined;
  /** Called with every answer the fake gives (tests check them against GitHub's description). */
  onReply: ((method: string, path: string, status: number, body: unknown) => void) | undefined;
  /** Called when a workflow run is requested. */
  onDispatch: ((run: FakeRun) => void) | undefined;
  #caller: { login: string; type: 'User' | 'Bot' } = { login: this.botLogin, type: 'Bot' };

  /** The identity behind the request being served. */
  get caller(): { login: string; type: 'User' | 'Bot' } {
    return this.#caller;
  }

  /** Serves one request, from nock or from an HTTP server: [status, body, headers]. */
  handle(method: string, uri: string, rawBody: unknown, authorization?: string): Reply {
    const token = authorization?.replace(/^(?:token|bearer)\s+/i, '') ?? '';
    this.#caller = this.identities.get(token) ?? { login: this.botLogin, type: 'Bot' };
    const url = new URL(uri, API);
    const path = url.pathname;
    const query = Object.fromEntries(url.searchParams);
    const body =
      typeof rawBody === 'string' && rawBody !== '' ? safeJson(rawBody) : rawBody === '' ? undefined : rawBody;
    try {
      this.violations.push(...validateRequest(method, path, query, body));
    } catch (error) {
      // A validator failure must fail the test, never hang the request.
      this.violations.push(`${method} ${path}: could not validate: ${(error as Error).message}`);
    }
    const fault =
      this.#faults.find((f) => f.remaining > 0 && f.method === method && f.path.test(path)) ?? this.#randomFault();
    let reply: Reply;
    if (fault?.after) {
      fault.remaining--;
      this.#route(method, decodeURIComponent(path), query, (body ?? {}) as Record<string, unknown>);
      reply = [fault.status, { message: 'Server Error' }, fault.headers];
    } else if (fault) {
      fault.remaining--;
      reply = [
        fault.status,
        {
          message:
            fault.status === 403 || fault.status === 429
              ? 'You have exceeded a secondary rate limit. Please wait a few minutes before you try again.'
              : 'Server Error',
        },
        fault.headers,
      ];
    } else {
      try {
        reply = this.#route(method, decodeURIComponent(path), query, (body ?? {}) as Record<string, unknown>);
      } catch (error) {
        reply = [500, { message: `fake: ${(error as Error).message}` }];
      }
    }
    this.requests.push({ method, path: decodeURIComponent(path), query, body, status: reply[0] });
    this.onReply?.(method, path, reply[0], reply[1]);
    return reply;
  }

  #route(method: string, path: string, query: Record<string, string>, body: Record<string, unknown>): Reply {
    const base = `/repos/${this.owner}/${this.repo}`;
    const app = this.#appRoute(method, path, body);
    if (app) return app;
    // Issues of other repositories (a blocker elsewhere): `owner/repo#n` in `otherIssues`.
    const elsewhere = /^\/repos\/([^/]+)\/([^/]+)\/issues\/(\d+)$/.exec(path);
    if (method === 'GET' && elsewhere && !path.startsWith(`${base}/`)) {
      const issue = this.otherIssues.get(`${elsewhere[1]}/${elsewhere[2]}#${elsewhere[3]}`);
      return issue ? [200, this.#issueJson(issue, `${elsewhere[1]}/${elsewhere[2]}`)] : [404, { message: 'Not Found' }];
    }
    if (!path.startsWith(base)) return [404, { message: 'Not Found' }];
    const route = `${method} ${path.slice(base.length)}`;
    if (route === 'GET ')
      return [200, { name: this.repo, full_name: `${this.owner}/${this.repo}`, default_branch: this.defaultBranch }];
    for (const [pattern, handle] of this.#table) {
      const match = pattern.exec(route);
      if (match) return handle(match, query, body);
    }
    return [404, { message: `fake GitHub does not serve ${method} ${path}` }];
  }

  #routes(): [RegExp, (m: RegExpExecArray, query: Record<string, string>, body: Record<string, unknown>) => Reply][] {
    const base = `/repos/${this.owner}/${this.repo}`;
    return [
      [
        /^GET \/contents\/(.+)$/,
        (m, query) => {
          const path = m[1] as string;
          const text =
            this.store.file(query.ref ?? this.defaultBranch, path) ??
            (path === '.github/execution-coordinator.yml' ? this.config : undefined);
          if (text === undefined) return [404, { message: 'Not Found' }];
          return [200, text, { 'content-type': 'text/plain; charset=utf-8' }];
        },
      ],
      [
        /^GET \/issues$/,
        (_m, query) => {
          const wanted = query.labels?.split(',') ?? [];
          const issues = [...this.issues.values()].filter(
            (i) => i.state === (query.state ?? 'open') && wanted.every((l) => i.labels.includes(l)),
          );
          return [200, issues.map((i) => this.#issueJson(i))];
        },
      ],
      [
        /^(GET|PATCH) \/issues\/(\d+)$/,
        (m, _query, body) => {
          const issue = this.issues.get(Number(m[2]));
          if (!issue) return [404, { message: 'Not Found' }];
          if (m[1] === 'PATCH') {
            const from: { body?: string; title?: string } = {};
            if (typeof body.body === 'string' && body.body !== issue.body) {
              from.body = issue.body;
              issue.body = body.body;
            }
            if (typeof body.title === 'string' && body.title !== issue.title) {
              from.title = issue.title;
              issue.title = body.title;
            }
            if (from.body !== undefined || from.title !== undefined)
              this.#emit('issues', () => editedEvent(this, issue.number, from, this.caller));
            if ((body.state === 'closed' || body.state === 'open') && body.state !== issue.state)
              this.closeIssue(
                issue.number,
                body.state === 'closed' ? String(body.state_reason ?? 'completed') : undefined,
              );
          }
          return [200, this.#issueJson(issue)];
        },
      ],
      [
        /^GET \/issues\/(\d+)\/parent$/,
        (m) => {
          const parent = this.issues.has(Number(m[1])) ? this.#parent.get(`${this.slug}#${m[1]}`) : undefined;
          const found = parent ? this.#resolve(parent) : undefined;
          return found ? [200, this.#issueJson(found.issue, found.repo)] : this.#notFound();
        },
      ],
      [
        /^GET \/issues\/(\d+)\/sub_issues$/,
        (m, query) => {
          const key = `${this.slug}#${m[1]}`;
          return this.issues.has(Number(m[1])) ? this.#listed(this.#children.get(key) ?? [], query) : this.#notFound();
        },
      ],
      [
        /^POST \/issues\/(\d+)\/sub_issues$/,
        (m, _query, body) =>
          this.#addSubIssue(
            `${this.slug}#${m[1]}`,
            Number(body.sub_issue_id),
            body.replace_parent === true,
            this.caller,
          ),
      ],
      [
        /^DELETE \/issues\/(\d+)\/sub_issue$/,
        (m, _query, body) => this.#removeSubIssue(`${this.slug}#${m[1]}`, Number(body.sub_issue_id), this.caller),
      ],
      [
        /^GET \/issues\/(\d+)\/dependencies\/(blocked_by|blocking)$/,
        (m, query) => {
          if (!this.issues.has(Number(m[1]))) return this.#notFound();
          const key = `${this.slug}#${m[1]}`;
          const keys =
            m[2] === 'blocked_by'
              ? (this.#blockers.get(key) ?? [])
              : this.blockingOf(key).map((r) => `${r.repo}#${r.number}`);
          return this.#listed(keys, query);
        },
      ],
      [
        /^POST \/issues\/(\d+)\/dependencies\/blocked_by$/,
        (m, _query, body) => this.#addBlockedBy(`${this.slug}#${m[1]}`, Number(body.issue_id), this.caller),
      ],
      [
        /^DELETE \/issues\/(\d+)\/dependencies\/blocked_by\/(\d+)$/,
        (m) => this.#removeBlockedBy(`${this.slug}#${m[1]}`, Number(m[2]), this.caller),
      ],
      [
        /^GET \/issues\/(\d+)\/comments$/,
        (m, query, _body) => {
          const all = this.commentsOn(Number(m[1]));
          const perPage = Number(query.per_page ?? 30);
          const page = Number(query.page ?? 1);
          return [200, all.slice((page - 1) * perPage, page * perPage).map((c) => this.#commentJson(c))];
        },
      ],
      [
        /^POST \/issues\/(\d+)\/comments$/,
        (m, _query, body) => {
          const comment: FakeComment = {
            id: this.nextId(),
            issue: Number(m[1]),
            body: String(body.body),
            login: this.caller.login,
            bot: this.caller.type === 'Bot',
            createdAt: this.now(),
          };
          this.comments.push(comment);
          this.#emit('issue_comment', () => commentEvent(this, comment.issue, comment, this.caller));
          return [201, this.#commentJson(comment)];
        },
      ],
      [
        /^(PATCH|DELETE) \/issues\/comments\/(\d+)$/,
        (m, _query, body) => {
          const index = this.comments.findIndex((c) => c.id === Number(m?.[2]));
          if (index < 0) return [404, { message: 'Not Found' }];
          if (m[1] === 'DELETE') {
            this.comments.splice(index, 1);
            return [204, ''];
          }
          const comment = this.comments[index] as FakeComment;
          comment.body = String(body.body);
          return [200, this.#commentJson(comment)];
        },
      ],
      [
        /^POST \/issues\/comments\/(\d+)\/reactions$/,
        (m, _query, body) => {
          const key = `${m[1]}:${body.content}`;
          const existed = this.reactions.has(key);
          this.reactions.add(key);
          return [existed ? 200 : 201, { id: this.nextId(), content: body.content, user: { login: this.botLogin } }];
        },
      ],
      [
        /^POST \/issues\/(\d+)\/labels$/,
        (m, _query, body) => {
          const issue = this.issue(Number(m[1]));
          for (const label of body.labels as string[]) {
            if (issue.labels.includes(label)) continue;
            issue.labels.push(label);
            this.#emit('issues', () => labeledEvent(this, issue.number, label, this.caller));
          }
          return [200, issue.labels.map((name) => ({ name }))];
        },
      ],
      [
        /^DELETE \/issues\/(\d+)\/labels\/(.+)$/,
        (m, _query, _body) => {
          const issue = this.issue(Number(m[1]));
          if (!issue.labels.includes(m[2] as string)) return [404, { message: 'Label does not exist' }];
          issue.labels = issue.labels.filter((l) => l !== m?.[2]);
          return [200, issue.labels.map((name) => ({ name }))];
        },
      ],
      [
        /^GET \/collaborators\/([^/]+)\/permission$/,
        (m, _query, _body) => {
          const role = this.permissions.get(m[1] as string) ?? 'read';
          const permission = role === 'maintain' ? 'write' : role === 'triage' ? 'read' : role;
          return [200, { permission, role_name: role, user: { login: m[1] } }];
        },
      ],
      [
        /^GET \/git\/ref\/heads\/(.+)$/,
        (m, _query, _body) => {
          const sha = this.refs.get(m[1] as string);
          return sha ? [200, this.#refJson(m[1] as string, sha)] : [404, { message: 'Not Found' }];
        },
      ],
      [
        /^GET \/git\/matching-refs\/heads\/(.*)$/,
        (m, _query, _body) => {
          const prefix = m[1] as string;
          return [
            200,
            [...this.refs].filter(([name]) => name.startsWith(prefix)).map(([name, sha]) => this.#refJson(name, sha)),
          ];
        },
      ],
      [
        /^POST \/git\/refs$/,
        (_m, _query, body) => {
          const name = String(body.ref).replace(/^refs\/heads\//, '');
          if (this.refs.has(name)) return [422, { message: 'Reference already exists' }];
          this.refs.set(name, String(body.sha));
          this.#emit('push', () => pushEvent(this, name, '0'.repeat(40), String(body.sha), this.caller));
          return [201, this.#refJson(name, String(body.sha))];
        },
      ],
      [
        /^PATCH \/git\/refs\/heads\/(.+)$/,
        (m, _query, body) => {
          const name = m[1] as string;
          if (!this.refs.has(name)) return [422, { message: 'Reference does not exist' }];
          const sha = String(body.sha);
          if (!body.force && !this.#ancestors(sha).has(this.refs.get(name) as string)) {
            return [422, { message: 'Update is not a fast forward' }];
          }
          const before = this.refs.get(name) as string;
          this.refs.set(name, sha);
          this.#emit('push', () => pushEvent(this, name, before, sha, this.caller));
          return [200, this.#refJson(name, sha)];
        },
      ],
      [
        /^DELETE \/git\/refs\/heads\/(.+)$/,
        (m, _query, _body) => {
          if (!this.refs.delete(m[1] as string)) return [422, { message: 'Reference does not exist' }];
          return [204, ''];
        },
      ],
      [
        /^POST \/merges$/,
        (_m, _query, body) => {
          const baseName = String(body.base);
          const headName = String(body.head);
          const baseSha = this.refs.get(baseName);
          const headSha = this.refs.get(headName);
          if (!baseSha || !headSha) return [404, { message: 'Base or head does not exist' }];
          if (this.#conflicting(baseSha, headName)) return [409, { message: 'Merge conflict' }];
          if (this.#ancestors(baseSha).has(headSha)) return [204, ''];
          const sha = this.store.merge(
            baseSha,
            headSha,
            String(body.commit_message ?? `Merge ${headName} into ${baseName}`),
          );
          if (sha === 'conflict') return [409, { message: 'Merge conflict' }];
          this.refs.set(baseName, sha);
          this.#emit('push', () => pushEvent(this, baseName, baseSha, sha, this.caller));
          return [201, { sha, commit: { message: this.commits.get(sha)?.message } }];
        },
      ],
      [
        /^GET \/commits$/,
        (_m, query, _body) => {
          const head = this.refs.get(query.sha ?? this.defaultBranch) ?? query.sha;
          const history = head
            ? this.store.history(head).map((c) => ({ sha: c.sha, commit: { message: c.message } }))
            : [];
          const perPage = Number(query.per_page ?? 30);
          const page = Number(query.page ?? 1);
          return [200, history.slice((page - 1) * perPage, page * perPage)];
        },
      ],
      [
        /^POST \/actions\/workflows\/([^/]+)\/dispatches$/,
        (m, _query, body) => {
          const branch = String(body.ref);
          if (!this.refs.has(branch)) return [422, { message: `No ref found for: ${branch}` }];
          const state = this.#workflowState(m[1] as string, branch);
          if (state === 'missing') return [404, { message: 'Not Found' }];
          if (state !== 'active')
            return [422, { message: "Cannot trigger a 'workflow_dispatch' on a disabled workflow" }];
          const run: FakeRun = {
            id: this.nextId(),
            workflow: m[1] as string,
            branch,
            inputs: (body.inputs ?? {}) as Record<string, string>,
            status: 'queued',
            conclusion: null,
            createdAt: this.now(),
          };
          this.runs.push(run);
          this.onDispatch?.(run);
          return body.return_run_details
            ? [
                200,
                {
                  workflow_run_id: run.id,
                  run_url: `${API}${base}/actions/runs/${run.id}`,
                  html_url: this.#runUrl(run),
                },
              ]
            : [204, ''];
        },
      ],
      [
        /^GET \/actions\/workflows\/([^/]+)$/,
        (m) => {
          const state = this.#workflowState(m[1] as string);
          if (state === 'missing') return [404, { message: 'Not Found' }];
          const path = `.github/workflows/${m[1]}`;
          return [
            200,
            {
              id: 1,
              node_id: 'W_1',
              name: m[1],
              path,
              state,
              created_at: '2026-01-01T00:00:00Z',
              updated_at: '2026-01-01T00:00:00Z',
              url: `${API}${base}/actions/workflows/1`,
              html_url: `https://github.com/${this.owner}/${this.repo}/blob/${this.defaultBranch}/${path}`,
              badge_url: `https://github.com/${this.owner}/${this.repo}/workflows/x/badge.svg`,
            },
          ];
        },
      ],
      [
        /^GET \/activity$/,
        (_m, query) => {
          const name = (query.ref ?? '').replace(/^refs\/heads\//, '');
          const created = this.branchCreatedAt.get(name);
          if (query.activity_type !== 'branch_creation' || !created || !this.refs.has(name)) return [200, []];
          return [
            200,
            [
              {
                id: 1,
                node_id: 'A_1',
                before: '0'.repeat(40),
                after: this.refs.get(name),
                ref: `refs/heads/${name}`,
                timestamp: created,
                activity_type: 'branch_creation',
                actor: null,
              },
            ],
          ];
        },
      ],
      [
        /^GET \/actions\/workflows\/([^/]+)\/runs$/,
        (m, query, _body) => {
          if (this.#workflowState(m[1] as string) === 'missing') return [404, { message: 'Not Found' }];
          const runs = this.runs
            .filter((r) => r.workflow === m[1] && (query.branch === undefined || r.branch === query.branch))
            .reverse();
          return [
            200,
            {
              total_count: runs.length,
              workflow_runs: runs.slice(0, Number(query.per_page ?? 30)).map((r) => this.#runJson(r)),
            },
          ];
        },
      ],
      [
        /^POST \/actions\/runs\/(\d+)\/cancel$/,
        (m, _query, _body) => {
          const run = this.runs.find((r) => r.id === Number(m?.[1]));
          if (!run) return [404, { message: 'Not Found' }];
          if (run.status === 'completed') return [409, { message: 'Cannot cancel a workflow run that is completed.' }];
          run.status = 'completed';
          run.conclusion = 'cancelled';
          run.updatedAt = this.now();
          return [202, {}];
        },
      ],
      [
        /^POST \/pulls$/,
        (_m, _query, body) => {
          const head = String(body.head);
          if (!this.refs.has(head)) return [422, { message: `head ${head} does not exist` }];
          if (this.pulls.some((p) => p.head === head && p.state === 'open')) {
            return [422, { message: `A pull request already exists for ${this.owner}:${head}.` }];
          }
          const pull = this.openPull(head, String(body.title));
          pull.base = String(body.base);
          pull.body = String(body.body ?? '');
          pull.draft = body.draft === true;
          this.#emit('pull_request', () => pullOpenedEvent(this, pull, this.caller));
          return [201, this.#pullJson(pull)];
        },
      ],
      [
        /^PATCH \/pulls\/(\d+)$/,
        (m, _query, body) => {
          const pull = this.pulls.find((p) => p.number === Number(m[1]));
          if (!pull) return [404, { message: 'Not Found' }];
          if (typeof body.title === 'string') pull.title = body.title;
          if (typeof body.body === 'string') pull.body = body.body;
          return [200, this.#pullJson(pull)];
        },
      ],
      [
        /^PUT \/pulls\/(\d+)\/merge$/,
        (m, _query, body) => {
          const pull = this.pulls.find((p) => p.number === Number(m[1]));
          if (!pull) return [404, { message: 'Not Found' }];
          if (pull.state !== 'open') return [405, { message: 'Pull Request is not mergeable' }];
          const baseSha = this.refs.get(pull.base);
          const headSha = this.refs.get(pull.head) ?? pull.headSha;
          if (!baseSha) return [404, { message: 'Base does not exist' }];
          const message = String(body.commit_message ?? `Merge pull request #${pull.number} from ${pull.head}`);
          const sha = this.#ancestors(headSha).has(baseSha) ? headSha : this.store.merge(baseSha, headSha, message);
          if (sha === 'conflict' || this.#conflicting(baseSha, pull.head))
            return [405, { message: 'Pull Request is not mergeable' }];
          this.refs.set(pull.base, sha);
          Object.assign(pull, { state: 'closed', merged: true, headSha });
          const by = this.caller;
          this.#emit('push', () => pushEvent(this, pull.base, baseSha, sha, by));
          this.#emit('pull_request', () => pullRequestEvent(this, 'closed', pull, by));
          // GitHub's closing keywords: a merge into the default branch closes the issues named.
          if (pull.base === this.defaultBranch)
            for (const number of closingReferences(pull.body ?? ''))
              if (this.issues.get(number)?.state === 'open') this.closeIssue(number, 'completed', by);
          return [200, { sha, merged: true, message: 'Pull Request successfully merged' }];
        },
      ],
      [
        /^GET \/pulls$/,
        (_m, query) => {
          const head = query.head?.split(':')[1];
          const state = query.state ?? 'open';
          const pulls = [...this.pulls]
            .reverse()
            .filter((p) => (head === undefined || p.head === head) && (state === 'all' || p.state === state))
            .slice(0, Number(query.per_page ?? 30));
          return [200, pulls.map((p) => this.#pullJson(p))];
        },
      ],
      [
        /^GET \/commits\/(.+)\/check-runs$/,
        (m, _query, _body) => {
          const sha = this.refs.get(m[1] as string) ?? m[1];
          const runs = this.checks.filter((c) => c.headSha === sha);
          return [
            200,
            {
              total_count: runs.length,
              check_runs: runs.map((c, i) => ({
                id: i + 1,
                name: c.name,
                status: 'completed',
                conclusion: c.conclusion,
                head_sha: c.headSha,
              })),
            },
          ];
        },
      ],
      [
        /^PATCH \/check-runs\/(\d+)$/,
        (m, _query, body) => {
          const check = this.checks.find((c) => c.id === Number(m[1]));
          if (!check) return [404, { message: 'Not Found' }];
          const output = (body.output ?? {}) as { annotations?: unknown[] };
          check.annotations = [...(check.annotations ?? []), ...(output.annotations ?? [])];
          return [200, { id: check.id, name: check.name, head_sha: check.headSha }];
        },
      ],
      [
        /^POST \/check-runs$/,
        (_m, _query, body) => {
          const output = body.output as { title: string; summary: string; text?: string; annotations?: unknown[] };
          const check: FakeCheck = {
            id: this.nextId(),
            name: String(body.name),
            headSha: String(body.head_sha),
            conclusion: String(body.conclusion),
            title: output.title,
            summary: output.summary,
            text: output.text ?? '',
            annotations: [...(output.annotations ?? [])],
          };
          this.checks.push(check);
          return [
            201,
            {
              id: check.id,
              name: check.name,
              head_sha: check.headSha,
              status: 'completed',
              conclusion: check.conclusion,
            },
          ];
        },
      ],
    ];
  }

  /** What an App sees of its one installation on this one repository. */
  #appRoute(method: string, path: string, body?: unknown): Reply | undefined {
    const repository = {
      id: 1,
      name: this.repo,
      full_name: `${this.owner}/${this.repo}`,
      owner: { login: this.owner },
      default_branch: this.defaultBranch,
    };
    // The one GraphQL query the coordinator asks: who the token is (installation tokens too).
    if (method === 'POST' && path === '/graphql') {
      const query = (body as { query?: string } | undefined)?.query ?? '';
      if (/^\s*(?:query\s*)?\{\s*viewer\s*\{\s*login\s*\}\s*\}\s*$/.test(query))
        return [200, { data: { viewer: { login: this.caller.login } } }];
      return [200, { errors: [{ message: `the fake answers only { viewer { login } }, not ${query}` }] }];
    }
    if (method === 'GET' && path === '/app')
      return [200, { id: 1, slug: this.botLogin.replace(/\[bot\]$/, ''), name: 'Execution Coordinator' }];
    if (method === 'GET' && path === '/app/installations') return [200, [{ id: 1, account: { login: this.owner } }]];
    if (method === 'POST' && path === '/app/installations/1/access_tokens') {
      return [
        201,
        { token: 'ghs_installation', expires_at: '2099-01-01T00:00:00Z', permissions: {}, repository_selection: 'all' },
      ];
    }
    if (method === 'GET' && path === '/installation/repositories')
      return [200, { total_count: 1, repositories: [repository] }];
    return undefined;
  }

  /** Whether merging `head` into a commit conflicts: some branch it conflicts with is in there. */
  #conflicting(baseSha: string, head: string): boolean {
    const stream = head.split('/').at(-1) as string;
    const history = this.#ancestors(baseSha);
    return [...this.refs].some(([name, sha]) => {
      const other = name.split('/').at(-1) as string;
      const pair = this.conflicts.has(`${other}|${stream}`) || this.conflicts.has(`${stream}|${other}`);
      return pair && history.has(sha);
    });
  }

  #ancestors(sha: string): Set<string> {
    return this.store.ancestors(sha);
  }

  /** An issue as GitHub's REST API returns it (the `issue` schema), with its sub-issue and dependency summaries. */
  #issueJson(issue: FakeIssue, repo: string = this.slug) {
    const key = `${repo}#${issue.number}`;
    const api = `${API}/repos/${repo}`;
    const url = `${api}/issues/${issue.number}`;
    const html = `https://github.com/${repo}`;
    const blockers = (this.#blockers.get(key) ?? []).flatMap((k) => this.#resolve(k)?.issue ?? []);
    const blocking = this.blockingOf(key).flatMap((r) => this.#resolve(`${r.repo}#${r.number}`)?.issue ?? []);
    const parent = this.#parent.get(key);
    const created = '2026-01-01T00:00:00Z';
    return {
      url,
      repository_url: api,
      labels_url: `${url}/labels{/name}`,
      comments_url: `${url}/comments`,
      events_url: `${url}/events`,
      html_url: `${html}/issues/${issue.number}`,
      id: this.issueId(issue),
      node_id: `I_${this.issueId(issue)}`,
      number: issue.number,
      title: issue.title,
      user: this.restUser(issue.author ?? 'maintainer'),
      labels: issue.labels.map((name, i) => ({
        id: i + 1,
        node_id: `LA_${i + 1}`,
        url: `${api}/labels/${encodeURIComponent(name)}`,
        name,
        description: null,
        color: 'ededed',
        default: false,
      })),
      state: issue.state,
      state_reason: issue.stateReason ?? null,
      locked: false,
      assignee: null,
      assignees: [],
      milestone: null,
      comments: repo === this.slug ? this.commentsOn(issue.number).length : 0,
      created_at: created,
      updated_at: created,
      closed_at: issue.state === 'closed' ? created : null,
      author_association: 'MEMBER',
      body: issue.body,
      ...(issue.pullRequest
        ? {
            pull_request: {
              merged_at: issue.pullRequest.mergedAt,
              url: `${api}/pulls/${issue.number}`,
              html_url: `${html}/pull/${issue.number}`,
              diff_url: `${html}/pull/${issue.number}.diff`,
              patch_url: `${html}/pull/${issue.number}.patch`,
            },
          }
        : {}),
      timeline_url: `${url}/timeline`,
      sub_issues_summary: this.subIssuesSummary(issue.number, repo),
      issue_dependencies_summary: {
        blocked_by: blockers.filter((b) => b.state === 'open').length,
        blocking: blocking.filter((b) => b.state === 'open').length,
        total_blocked_by: blockers.length,
        total_blocking: blocking.length,
      },
      parent_issue_url: parent ? `${API}/repos/${refOf(parent).repo}/issues/${refOf(parent).number}` : null,
    };
  }

  #commentJson(c: FakeComment) {
    return {
      id: c.id,
      body: c.body,
      user: { login: c.login, type: c.bot ? 'Bot' : 'User' },
      created_at: c.createdAt,
      html_url: `https://github.com/${this.owner}/${this.repo}/issues/${c.issue}#issuecomment-${c.id}`,
    };
  }

  #refJson(name: string, sha: string) {
    return { ref: `refs/heads/${name}`, object: { sha, type: 'commit' } };
  }

  #runUrl(run: FakeRun): string {
    return `https://github.com/${this.owner}/${this.repo}/actions/runs/${run.id}`;
  }

  #runJson(run: FakeRun) {
    return {
      id: run.id,
      head_branch: run.branch,
      event: 'workflow_dispatch',
      status: run.status,
      conclusion: run.conclusion,
      html_url: this.#runUrl(run),
      created_at: run.createdAt,
      ...(run.startedAt ? { run_started_at: run.startedAt } : {}),
      updated_at: run.updatedAt ?? run.startedAt ?? run.createdAt,
    };
  }

  #pullJson(p: FakePull) {
    const full = `${this.owner}/${this.repo}`;
    return {
      number: p.number,
      title: p.title,
      state: p.state,
      merged_at: p.merged ? '2026-11-21T12:00:00Z' : null,
      html_url: `https://github.com/${full}/pull/${p.number}`,
      head: {
        ref: p.head,
        sha: p.state === 'open' ? (this.refs.get(p.head) ?? p.headSha) : p.headSha,
        repo: { full_name: full },
      },
      base: { ref: p.base, repo: { full_name: full } },
    };
  }
}

/** `owner/repo#n` → its parts. */
function refOf(key: string): IssueRef {
  const hash = key.lastIndexOf('#');
  return { repo: key.slice(0, hash), number: Number(key.slice(hash + 1)) };
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

/** Does what the Action does for a stream: task commits, ticks, then the pull request. */
export function finishStream(fake: FakeGitHub, issue: number, stream: string, tasks: readonly string[]): FakePull {
  const branch = `execute/${issue}/${stream}`;
  for (const task of tasks) fake.pushTaskCommit(branch, issue, task);
  const item = fake.issue(issue);
  for (const task of tasks) {
    const number = task.split('.').at(-1);
    item.body = item.body.replace(new RegExp(`- \\[ \\] (Task ${number}:)`), '- [x] $1');
  }
  return fake.openPull(branch);
}
