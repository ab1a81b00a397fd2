import type { RequestInterface } from '@octokit/types';
import type { PullFact, RunFact } from '../core/execution/facts.js';
import { Masker } from '../core/gates/mask.js';

// The one place the coordinator talks to GitHub. It takes any Octokit (Probot's, the Action's,
// or a plain one in tests) and returns plain facts, so the use cases never see a response shape.
// Every text it sends passes its masker first: no caller can forget to mask a comment, a body, a
// check run or an annotation.

export interface OctokitPort {
  readonly request: RequestInterface;
}

export interface RepoRef {
  readonly owner: string;
  readonly repo: string;
}

export interface Issue {
  readonly number: number;
  readonly title: string;
  readonly body: string;
  readonly labels: readonly string[];
  readonly state: string;
  readonly url: string;
  /** How many sub-issues it has, when GitHub said (`sub_issues_summary`); unknown, they are asked for. */
  readonly subIssueCount?: number;
}

/** A sub-issue of a parent: GitHub's id (what the sub-issue endpoints take) beside its number. */
export interface SubIssue {
  readonly number: number;
  readonly id: number;
  /** `owner/name`: a sub-issue may live in another repository of the same owner. */
  readonly repo: string;
  readonly title: string;
  readonly body: string;
  readonly state: string;
  /** Why it was closed (`completed`, `not_planned`, `duplicate`), `reopened`, or null. */
  readonly stateReason: string | null;
  readonly url: string;
  /** How many issues block it, when GitHub said (`issue_dependencies_summary`); unknown, they are asked for. */
  readonly blockerCount?: number;
}

/** An issue that blocks another ("blocked by"), here or in another repository. */
export interface Blocker {
  readonly number: number;
  /** `owner/name`. */
  readonly repo: string;
  readonly state: string;
  readonly stateReason: string | null;
}

/** `owner/name` of an issue from its API address (`…/repos/{owner}/{name}`), else its page's. */
function repoOfIssue(issue: { repository_url?: string; html_url?: string }): string {
  const api = /\/repos\/([^/]+)\/([^/]+)\/?$/.exec(issue.repository_url ?? '');
  if (api) return `${api[1]}/${api[2]}`;
  const page = /^https?:\/\/[^/]+\/([^/]+)\/([^/]+)\/(?:issues|pull)\/\d+/.exec(issue.html_url ?? '');
  return page ? `${page[1]}/${page[2]}` : '';
}

/** An issue as the REST API gives it, in the port's terms. */
function issueFrom(data: {
  number: number;
  title: string;
  body?: string | null;
  labels: (string | { name?: string })[];
  state: string;
  html_url: string;
  sub_issues_summary?: { total: number };
}): Issue {
  return {
    number: data.number,
    title: data.title,
    body: data.body ?? '',
    labels: data.labels.map((l) => (typeof l === 'string' ? l : (l.name ?? ''))),
    state: data.state,
    url: data.html_url,
    ...(data.sub_issues_summary ? { subIssueCount: data.sub_issues_summary.total } : {}),
  };
}

export interface Comment {
  readonly id: number;
  readonly body: string;
  readonly author: string;
  readonly authorIsBot: boolean;
  readonly createdAt: string;
  readonly url: string;
}

export interface CheckRunFact {
  readonly name: string;
  readonly status: string;
  readonly conclusion: string | null;
}

export type Permission = 'admin' | 'maintain' | 'write' | 'triage' | 'read' | 'none';

export const ANNOTATIONS_PER_REQUEST = 50;

export interface CheckAnnotation {
  readonly path: string;
  readonly start_line: number;
  readonly end_line: number;
  readonly start_column?: number;
  readonly end_column?: number;
  readonly annotation_level: 'notice' | 'warning' | 'failure';
  readonly message: string;
  readonly title?: string;
}

/** The HTTP status of a failed Octokit request, if it was one. */
export function statusOf(error: unknown): number | undefined {
  const status = (error as { status?: unknown } | null)?.status;
  return typeof status === 'number' ? status : undefined;
}

/** The request's result, or `undefined` when GitHub answers one of `statuses` (an expected no). */
async function unless<T>(request: Promise<T>, ...statuses: number[]): Promise<T | undefined> {
  try {
    return await request;
  } catch (error) {
    if (statuses.includes(statusOf(error) as number)) return undefined;
    throw error;
  }
}

/** Every page of a listing, until a short page (the last) or until `enough` says stop. */
async function pages<T>(
  fetch: (page: number) => Promise<T[]>,
  enough: (page: readonly T[]) => boolean = () => false,
): Promise<T[]> {
  const items: T[] = [];
  for (let page = 1; ; page++) {
    const batch = await fetch(page);
    items.push(...batch);
    if (batch.length < PAGE || enough(batch)) return items;
  }
}

interface PullData {
  number: number;
  html_url: string;
  state: string;
  merged_at: string | null;
  head: { sha: string };
}

function pullFact(pull: PullData): PullFact {
  return {
    number: pull.number,
    url: pull.html_url,
    state: pull.state === 'open' ? 'open' : 'closed',
    merged: pull.merged_at !== null,
    headSha: pull.head.sha,
  };
}

interface RunData {
  id: number;
  status: string | null;
  conclusion: string | null;
  html_url: string;
  created_at: string;
  run_started_at?: string;
  updated_at?: string;
}

function runFact(run: RunData): RunFact {
  return {
    id: run.id,
    status: run.status ?? 'queued',
    conclusion: run.conclusion,
    url: run.html_url,
    createdAt: run.created_at,
    ...(run.run_started_at ? { startedAt: run.run_started_at } : {}),
    ...(run.updated_at ? { updatedAt: run.updated_at } : {}),
  };
}

const PAGE = 100;

/**
 * The parameters that carry text the coordinator composed: comments, pull requests, check runs
 * and each annotation field. Names (branches, refs, shas, owners) and an issue body echoed back
 * with ticks (`updateIssueBody`, which goes unmasked: it is the issue's own text) are not ours.
 */
const TEXT = new Set(['body', 'title', 'summary', 'text', 'message', 'path', 'raw_details', 'commit_message']);
const NESTED = new Set(['output', 'annotations']);

function maskParameters(value: unknown, masker: Masker, key = ''): unknown {
  if (typeof value === 'string') return TEXT.has(key) ? masker.mask(value) : value;
  if (Array.isArray(value)) return value.map((item) => maskParameters(item, masker, key));
  if (value === null || typeof value !== 'object' || Object.getPrototypeOf(value) !== Object.prototype) return value;
  return Object.fromEntries(
    Object.entries(value).map(([name, item]) => [
      name,
      // Inside `output` and `annotations`, the text keys are masked too.
      TEXT.has(name) || NESTED.has(name) || NESTED.has(key) ? maskParameters(item, masker, name) : item,
    ]),
  );
}

/** An Octokit whose every request is masked on the way out. */
export function maskedOctokit(octokit: OctokitPort, masker: Masker): OctokitPort {
  const request = (route: string, parameters?: Record<string, unknown>) =>
    octokit.request(route, maskParameters(parameters ?? {}, masker) as Record<string, unknown>);
  return { request: request as unknown as RequestInterface };
}

export class GitHub {
  private readonly octokit: OctokitPort;
  /** Only for writing an issue's own body back: nothing of ours is in it but the ticks. */
  readonly #unmasked: OctokitPort;

  /** @param masker  what leaves is masked with it; without one, credential shapes still are. */
  constructor(
    octokit: OctokitPort,
    readonly repo: RepoRef,
    readonly masker: Masker = new Masker(),
  ) {
    this.octokit = maskedOctokit(octokit, masker);
    this.#unmasked = octokit;
  }

  get slug(): string {
    return `${this.repo.owner}/${this.repo.repo}`;
  }

  // Issues and comments

  async getIssue(number: number): Promise<Issue> {
    const { data } = await this.octokit.request('GET /repos/{owner}/{repo}/issues/{issue_number}', {
      ...this.repo,
      issue_number: number,
    });
    return issueFrom(data);
  }

  /** The issue's sub-issues, in GitHub's order (a parent has at most 100). */
  async subIssues(number: number): Promise<SubIssue[]> {
    return pages(async (page) => {
      const { data } = await this.octokit.request('GET /repos/{owner}/{repo}/issues/{issue_number}/sub_issues', {
        ...this.repo,
        issue_number: number,
        per_page: PAGE,
        page,
      });
      return data.map((issue) => ({
        number: issue.number,
        id: issue.id,
        repo: repoOfIssue(issue) || this.slug,
        title: issue.title,
        body: issue.body ?? '',
        state: issue.state,
        stateReason: issue.state_reason ?? null,
        url: issue.html_url,
        ...(issue.issue_dependencies_summary
          ? { blockerCount: issue.issue_dependencies_summary.total_blocked_by }
          : {}),
      }));
    });
  }

  /** The issue's parent, if it is a sub-issue of one in this repository; undefined otherwise. */
  async parentOf(number: number): Promise<Issue | undefined> {
    try {
      const { data } = await this.octokit.request('GET /repos/{owner}/{repo}/issues/{issue_number}/parent', {
        ...this.repo,
        issue_number: number,
      });
      if (repoOfIssue(data) !== this.slug) return undefined;
      return issueFrom(data);
    } catch (error) {
      if (statusOf(error) === 404) return undefined;
      throw error;
    }
  }

  /** What the issue is blocked by ("blocked by" dependencies), issues of other repositories included. */
  async blockedBy(number: number): Promise<Blocker[]> {
    return pages(async (page) => {
      const { data } = await this.octokit.request(
        'GET /repos/{owner}/{repo}/issues/{issue_number}/dependencies/blocked_by',
        { ...this.repo, issue_number: number, per_page: PAGE, page },
      );
      return data.map((issue) => ({
        number: issue.number,
        repo: repoOfIssue(issue) || this.slug,
        state: issue.state,
        stateReason: issue.state_reason ?? null,
      }));
    });
  }

  async updateIssueBody(number: number, body: string): Promise<void> {
    // Unmasked: masking would rewrite the issue's own words (a key quoted in a task, a sample PEM).
    await this.#unmasked.request('PATCH /repos/{owner}/{repo}/issues/{issue_number}', {
      ...this.repo,
      issue_number: number,
      body,
    });
  }

  async listComments(number: number): Promise<Comment[]> {
    return pages(async (page) => {
      const { data } = await this.octokit.request('GET /repos/{owner}/{repo}/issues/{issue_number}/comments', {
        ...this.repo,
        issue_number: number,
        per_page: PAGE,
        page,
      });
      return data.map((c) => ({
        id: c.id,
        body: c.body ?? '',
        author: c.user?.login ?? '',
        authorIsBot: c.user?.type === 'Bot',
        createdAt: c.created_at,
        url: c.html_url,
      }));
    });
  }

  async createComment(number: number, body: string): Promise<{ id: number; url: string }> {
    const { data } = await this.octokit.request('POST /repos/{owner}/{repo}/issues/{issue_number}/comments', {
      ...this.repo,
      issue_number: number,
      body,
    });
    return { id: data.id, url: data.html_url };
  }

  async deleteComment(id: number): Promise<void> {
    await unless(
      this.octokit.request('DELETE /repos/{owner}/{repo}/issues/comments/{comment_id}', {
        ...this.repo,
        comment_id: id,
      }),
      404,
    );
  }

  async updateComment(id: number, body: string): Promise<void> {
    await this.octokit.request('PATCH /repos/{owner}/{repo}/issues/comments/{comment_id}', {
      ...this.repo,
      comment_id: id,
      body,
    });
  }

  /** Adds a reaction; GitHub answers 200 when it was already there, which makes it a claim. */
  async react(commentId: number, content: '+1' | 'eyes' | 'rocket' | 'confused'): Promise<'created' | 'existed'> {
    const response = await this.octokit.request('POST /repos/{owner}/{repo}/issues/comments/{comment_id}/reactions', {
      ...this.repo,
      comment_id: commentId,
      content,
    });
    return response.status === 201 ? 'created' : 'existed';
  }

  /** Removes a label; false when it was not there (someone else removed it first). */
  async removeLabel(number: number, label: string): Promise<boolean> {
    const removed = await unless(
      this.octokit.request('DELETE /repos/{owner}/{repo}/issues/{issue_number}/labels/{name}', {
        ...this.repo,
        issue_number: number,
        name: label,
      }),
      404,
    );
    return removed !== undefined;
  }

  async permissionOf(username: string): Promise<Permission> {
    const response = await unless(
      this.octokit.request('GET /repos/{owner}/{repo}/collaborators/{username}/permission', { ...this.repo, username }),
      404,
    );
    if (!response) return 'none';
    // `permission` folds maintain into write and triage into read; `role_name` keeps them apart.
    const role = response.data.role_name as Permission;
    return ['admin', 'maintain', 'write', 'triage', 'read'].includes(role)
      ? role
      : (response.data.permission as Permission);
  }

  // Git

  async branchSha(branch: string): Promise<string | undefined> {
    const response = await unless(
      this.octokit.request('GET /repos/{owner}/{repo}/git/ref/{ref}', { ...this.repo, ref: `heads/${branch}` }),
      404,
    );
    return response?.data.object.sha;
  }

  /** Branches whose names start with `prefix`, with their head commits. */
  async branches(prefix: string): Promise<Map<string, string>> {
    const { data } = await this.octokit.request('GET /repos/{owner}/{repo}/git/matching-refs/{ref}', {
      ...this.repo,
      ref: `heads/${prefix}`,
    });
    return new Map(data.map((ref) => [ref.ref.replace(/^refs\/heads\//, ''), ref.object.sha]));
  }

  /** Creates a branch; 'existed' when it is already there, which makes creation a claim. */
  async createBranch(branch: string, sha: string): Promise<'created' | 'existed'> {
    const created = await unless(
      this.octokit.request('POST /repos/{owner}/{repo}/git/refs', { ...this.repo, ref: `refs/heads/${branch}`, sha }),
      422,
    );
    return created ? 'created' : 'existed';
  }

  /** Points an existing branch at `sha`, whatever it held (a re-claimed attempt starts over). */
  async resetBranch(branch: string, sha: string): Promise<void> {
    await this.octokit.request('PATCH /repos/{owner}/{repo}/git/refs/{ref}', {
      ...this.repo,
      ref: `heads/${branch}`,
      sha,
      force: true,
    });
  }

  /** Merges `head` into the branch `base`; 'conflict' when git cannot. */
  async merge(base: string, head: string, message: string): Promise<'merged' | 'up-to-date' | 'conflict'> {
    const response = await unless(
      this.octokit.request('POST /repos/{owner}/{repo}/merges', { ...this.repo, base, head, commit_message: message }),
      409,
    );
    if (!response) return 'conflict';
    // 204: nothing to merge (the typings only know 201).
    return (response.status as number) === 204 ? 'up-to-date' : 'merged';
  }

  /** Commit messages on a branch, newest first, one page at a time until `enough` says stop. */
  async commitMessages(branch: string, enough: (page: readonly string[]) => boolean): Promise<string[]> {
    return pages(async (page) => {
      const { data } = await this.octokit.request('GET /repos/{owner}/{repo}/commits', {
        ...this.repo,
        sha: branch,
        per_page: PAGE,
        page,
      });
      return data.map((c) => c.commit.message);
    }, enough);
  }

  // Actions

  async dispatchWorkflow(
    workflow: string,
    ref: string,
    inputs: Record<string, string>,
  ): Promise<{ runId?: number; url?: string }> {
    const response = await this.octokit.request(
      'POST /repos/{owner}/{repo}/actions/workflows/{workflow_id}/dispatches',
      {
        ...this.repo,
        workflow_id: workflow,
        ref,
        inputs,
        return_run_details: true,
        // Never retried blindly: a 5xx may still have started the run, so the caller looks for
        // it (startRun) rather than the retry plugin sending it again.
        request: { retries: 0 },
      },
    );
    const data = response.data as { workflow_run_id?: number; html_url?: string } | undefined;
    return {
      ...(typeof data?.workflow_run_id === 'number' ? { runId: data.workflow_run_id } : {}),
      ...(typeof data?.html_url === 'string' ? { url: data.html_url } : {}),
    };
  }

  /** Recent runs of a workflow started by `workflow_dispatch`, keyed by their branch. */
  async dispatchedRuns(workflow: string): Promise<Map<string, RunFact[]>> {
    // 404: the workflow is gone (renamed, deleted); it has no runs, and `workflowState` says why.
    const response = await unless(
      this.octokit.request('GET /repos/{owner}/{repo}/actions/workflows/{workflow_id}/runs', {
        ...this.repo,
        workflow_id: workflow,
        event: 'workflow_dispatch',
        per_page: PAGE,
      }),
      404,
    );
    const runs = new Map<string, RunFact[]>();
    for (const run of response?.data.workflow_runs ?? []) {
      const fact = runFact(run);
      const branch = run.head_branch ?? '';
      runs.set(branch, [...(runs.get(branch) ?? []), fact]);
    }
    return runs;
  }

  /** Runs of a workflow on one branch, started by `workflow_dispatch`, newest first. */
  async runsOn(workflow: string, branch: string): Promise<RunFact[]> {
    const response = await unless(
      this.octokit.request('GET /repos/{owner}/{repo}/actions/workflows/{workflow_id}/runs', {
        ...this.repo,
        workflow_id: workflow,
        branch,
        event: 'workflow_dispatch',
        per_page: PAGE,
      }),
      404,
    );
    return (response?.data.workflow_runs ?? []).map(runFact);
  }

  /**
   * Where an issue a stream waits for stands (`#123` here, `owner/repo#123` elsewhere): closed as
   * completed (or closed before GitHub recorded why: counted as completed), or a pull request
   * merged; still open; closed otherwise (not planned, a duplicate, a pull request closed
   * unmerged); or missing (or out of this token's reach).
   */
  async issueState(ref: string): Promise<'completed' | 'open' | 'closed' | 'missing'> {
    const match = /^(?:([\w.-]+)\/([\w.-]+))?#(\d+)$/.exec(ref);
    if (!match) return 'missing';
    const repo = match[1] && match[2] ? { owner: match[1], repo: match[2] } : this.repo;
    const response = await unless(
      this.octokit.request('GET /repos/{owner}/{repo}/issues/{issue_number}', {
        ...repo,
        issue_number: Number(match[3]),
      }),
      404,
    );
    if (!response) return 'missing';
    const { state, state_reason: reason, pull_request: pull } = response.data;
    if (state === 'open') return 'open';
    // A pull request is done when it merged; closed unmerged, it is not (its reason is null either way).
    if (pull) return pull.merged_at ? 'completed' : 'closed';
    return reason === 'completed' || reason === null || reason === undefined ? 'completed' : 'closed';
  }

  /** The workflow's state (`active`, `disabled_manually`, …), or `missing` when GitHub has no such workflow. */
  async workflowState(workflow: string): Promise<string> {
    const response = await unless(
      this.octokit.request('GET /repos/{owner}/{repo}/actions/workflows/{workflow_id}', {
        ...this.repo,
        workflow_id: workflow,
      }),
      404,
    );
    return response?.data.state ?? 'missing';
  }

  /** When the branch was created, from the repository's activity log (undefined if it has no record). */
  async branchCreatedAt(branch: string): Promise<string | undefined> {
    const response = await unless(
      this.octokit.request('GET /repos/{owner}/{repo}/activity', {
        ...this.repo,
        ref: `refs/heads/${branch}`,
        activity_type: 'branch_creation',
        per_page: 1,
      }),
      404,
    );
    return response?.data[0]?.timestamp;
  }

  /** The newest pull request from one branch (open ones only, or any). */
  async pullFrom(branch: string, state: 'open' | 'all' = 'all'): Promise<PullFact | undefined> {
    const { data } = await this.octokit.request('GET /repos/{owner}/{repo}/pulls', {
      ...this.repo,
      head: `${this.repo.owner}:${branch}`,
      state,
      per_page: 1,
    });
    return data[0] ? pullFact(data[0]) : undefined;
  }

  async cancelRun(runId: number): Promise<void> {
    // 409: the run already finished.
    await unless(
      this.octokit.request('POST /repos/{owner}/{repo}/actions/runs/{run_id}/cancel', { ...this.repo, run_id: runId }),
      409,
    );
  }

  // Pull requests and checks

  /** Pull requests whose head branch starts with `prefix`, newest first, keyed by branch. */
  async pullsByBranch(prefix: string): Promise<Map<string, PullFact>> {
    const { data } = await this.octokit.request('GET /repos/{owner}/{repo}/pulls', {
      ...this.repo,
      state: 'all',
      sort: 'created',
      direction: 'desc',
      per_page: PAGE,
    });
    const pulls = new Map<string, PullFact>();
    for (const pull of data) {
      if (pull.head.repo?.full_name !== this.slug || !pull.head.ref.startsWith(prefix) || pulls.has(pull.head.ref))
        continue;
      pulls.set(pull.head.ref, pullFact(pull));
    }
    return pulls;
  }

  async checkRuns(ref: string): Promise<CheckRunFact[]> {
    const { data } = await this.octokit.request('GET /repos/{owner}/{repo}/commits/{ref}/check-runs', {
      ...this.repo,
      ref,
      per_page: PAGE,
    });
    return data.check_runs.map((c) => ({ name: c.name, status: c.status, conclusion: c.conclusion }));
  }

  /** A file's text at a ref, or undefined when it does not exist there. */
  async fileAt(path: string, ref: string): Promise<string | undefined> {
    const response = await unless(
      this.octokit.request('GET /repos/{owner}/{repo}/contents/{path}', {
        ...this.repo,
        path,
        ref,
        mediaType: { format: 'raw' },
      }),
      404,
    );
    if (!response) return undefined;
    const { data } = response;
    return typeof data === 'string' ? data : Buffer.from(data as unknown as ArrayBuffer).toString('utf8');
  }

  /** Opens a pull request; if one is open from `head` already (a retried create), that one. */
  async createPull(pull: {
    head: string;
    base: string;
    title: string;
    body: string;
    draft: boolean;
  }): Promise<{ number: number; url: string }> {
    const created = await unless(
      this.octokit.request('POST /repos/{owner}/{repo}/pulls', { ...this.repo, ...pull }),
      422,
    );
    if (created) return { number: created.data.number, url: created.data.html_url };
    const existing = await this.pullFrom(pull.head, 'open');
    if (!existing) throw new Error(`GitHub refused to open a pull request from ${pull.head}`);
    return existing;
  }

  async updatePull(number: number, pull: { title: string; body: string }): Promise<void> {
    await this.octokit.request('PATCH /repos/{owner}/{repo}/pulls/{pull_number}', {
      ...this.repo,
      pull_number: number,
      ...pull,
    });
  }

  async addLabels(number: number, labels: readonly string[]): Promise<void> {
    if (labels.length === 0) return;
    await this.octokit.request('POST /repos/{owner}/{repo}/issues/{issue_number}/labels', {
      ...this.repo,
      issue_number: number,
      labels: [...labels],
    });
  }

  /**
   * A completed check run with its annotations: GitHub takes 50 per request, so the first 50 go
   * with the creation and the rest in updates, 50 at a time.
   */
  async reportCheckRun(check: {
    name: string;
    headSha: string;
    conclusion: 'success' | 'failure' | 'neutral' | 'skipped' | 'timed_out';
    title: string;
    summary: string;
    text?: string;
    detailsUrl?: string;
    annotations?: readonly CheckAnnotation[];
  }): Promise<number> {
    const batches: CheckAnnotation[][] = [];
    const annotations = check.annotations ?? [];
    for (let i = 0; i < annotations.length; i += ANNOTATIONS_PER_REQUEST) {
      batches.push(annotations.slice(i, i + ANNOTATIONS_PER_REQUEST));
    }
    const output = (batch: CheckAnnotation[] | undefined) => ({
      title: check.title,
      summary: check.summary,
      ...(check.text ? { text: check.text } : {}),
      ...(batch ? { annotations: batch } : {}),
    });
    const { data } = await this.octokit.request('POST /repos/{owner}/{repo}/check-runs', {
      ...this.repo,
      name: check.name,
      head_sha: check.headSha,
      status: 'completed',
      conclusion: check.conclusion,
      ...(check.detailsUrl ? { details_url: check.detailsUrl } : {}),
      output: output(batches[0]),
    });
    for (const batch of batches.slice(1)) {
      await this.octokit.request('PATCH /repos/{owner}/{repo}/check-runs/{check_run_id}', {
        ...this.repo,
        check_run_id: data.id,
        output: output(batch),
      });
    }
    return data.id;
  }

  /** Who this token is (a user, or an App's `<slug>[bot]`): GraphQL answers installation tokens too. */
  async viewerLogin(): Promise<string> {
    const { data } = await this.octokit.request('POST /graphql', { query: '{ viewer { login } }' });
    const login = (data as { data?: { viewer?: { login?: unknown } } } | undefined)?.data?.viewer?.login;
    if (typeof login !== 'string' || login === '') throw new Error('GitHub did not say whom the token belongs to');
    return login;
  }

  async defaultBranch(): Promise<string> {
    const { data } = await this.octokit.request('GET /repos/{owner}/{repo}', { ...this.repo });
    return data.default_branch;
  }
}
