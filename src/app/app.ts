import type { Context, Probot } from 'probot';
import { advance, repairAndAdvance } from '../coordinator/advance.js';
import { reportExecutionCheck, runCommand } from '../coordinator/commands.js';
import type { IssueContext } from '../coordinator/context.js';
import { reviewChange } from '../coordinator/edits.js';
import { GitHub, type Issue } from '../coordinator/github.js';
import { ACTIONS_BOT, trustOnly, untilAnswered } from '../coordinator/identity.js';
import { refuse } from '../coordinator/refusals.js';
import { blockerRef } from '../coordinator/source.js';
import { type Actor, start, writerCheck } from '../coordinator/start.js';
import { isStream, type SubIssueInput } from '../core/breakdown/sub-issues.js';
import type { ConfigResult } from '../core/config/parse.js';
import { CONFIG_PATH, DEFAULT_CONFIG, validateConfig } from '../core/config/parse.js';
import type { Config } from '../core/config/schema.js';
import { parseStreamBranch } from '../core/execution/branches.js';
import type { BreakdownChange } from '../core/execution/breakdown-change.js';
import { EXECUTION_CHECK } from '../core/execution/checks.js';
import { parseCommand } from '../core/execution/commands.js';
import { readTrailers } from '../core/execution/ledger.js';
import { refusalComment } from '../core/render/comments.js';
import { DeliveryLog } from './delivery-log.js';
import { type JobKind, type JobOutcome, WorkQueue } from './work-queue.js';

/**
 * Queues work for another issue of the delivery's repository, to run in that issue's turn.
 * `part` (the default) makes it part of the delivery's work: inline, its failure fails the delivery.
 */
type Elsewhere = (issue: number, job: () => Promise<unknown>, kind?: JobKind, part?: boolean) => void;

/** Status refresh: read, dispatch what is ready, report. */
const ADVANCE: JobKind = { name: 'advance' };
/** Tick repair, then an advance: it includes an advance's work, never the other way round. */
const REPAIR: JobKind = { name: 'repair', covers: [ADVANCE.name] };

// Webhooks in, use cases out. Each handler checks the event is ours, then queues the work per
// issue and returns: GitHub gets its answer at once, and the work re-reads GitHub anyway.

/** Probot's `context.config` takes the file's name inside `.github/`. */
export const CONFIG_FILE = CONFIG_PATH.replace(/^\.github\//, '');

export interface CoordinatorApp {
  (app: Probot): void;
  /** Resolves when all queued work has finished (tests, graceful shutdown). */
  idle(): Promise<void>;
  /**
   * Re-checks every open issue carrying its repository's trigger label, in every installation:
   * for webhooks that never arrived. Queues the work and returns the number of issues queued.
   */
  reconcile(): Promise<number>;
}

type AnyContext = Context<
  | 'issues.labeled'
  | 'issues.edited'
  | 'issues.closed'
  | 'issues.reopened'
  | 'sub_issues.sub_issue_added'
  | 'sub_issues.sub_issue_removed'
  | 'issue_dependencies.blocked_by_added'
  | 'issue_dependencies.blocked_by_removed'
  | 'issue_comment.created'
  | 'workflow_run.completed'
  | 'push'
  | 'pull_request'
  | 'check_run.rerequested'
>;

export interface CoordinatorOptions {
  /**
   * Finish the work before answering the webhook. For serverless hosts, which may freeze a
   * function once it has answered; a long-running server answers first and works after.
   */
  readonly inline?: boolean;
}

export function createCoordinatorApp(options: CoordinatorOptions = {}): CoordinatorApp {
  const deliveries = new DeliveryLog();
  // Nobody, until GitHub has said who this App is; work waits for that (`ready`).
  let trusted: (author: string) => boolean = () => false;
  let ready: Promise<void> = Promise.resolve();
  let queue: WorkQueue | undefined;
  let probot: Probot | undefined;

  const appFn = (app: Probot): void => {
    probot = app;
    queue = new WorkQueue((key, error, id) =>
      app.log.error({ err: error, key, delivery: id }, 'coordinator work failed'),
    );
    const work = queue;
    // Who speaks for the coordinator: this App's bot and the Action's, asked of GitHub until it
    // answers. Never "any bot" in the meantime: work waits for the answer.
    ready = untilAnswered(
      async () => {
        const { data } = await (await app.auth()).request('GET /app');
        if (!data?.slug) throw new Error('GET /app named no App');
        return `${data.slug}[bot]`;
      },
      (error, wait) => app.log.warn({ err: error }, `could not learn the App's identity; asking again in ${wait} ms`),
    ).then((self) => {
      trusted = trustOnly(self, ACTIONS_BOT);
    });
    const withTrust = <T extends object>(context: T): T & { trusted: (author: string) => boolean } => ({
      ...context,
      trusted,
    });
    const base = (context: AnyContext, issueNumber: number, issue?: Issue) =>
      withTrust(baseContext(context, issueNumber, issue));
    const contextFor = (context: AnyContext, issueNumber: number, config: Config) =>
      withTrust(issueContext(context, issueNumber, config));

    /**
     * The handler body runs once per delivery id, as queued work for `issue`. Work it hands to
     * another issue (`elsewhere`) goes into that issue's queue and is not waited for inside this
     * job: two jobs waiting on each other's queues would never finish.
     */
    const once = async (
      context: AnyContext,
      issue: number,
      job: (elsewhere: Elsewhere) => Promise<unknown>,
      kind?: JobKind,
    ) => {
      if (!deliveries.first(context.id)) return;
      const { owner, repo } = context.repo();
      const handed: Promise<JobOutcome>[] = [];
      const elsewhere: Elsewhere = (other, otherJob, otherKind, part = true) => {
        const done = work.push(`${owner}/${repo}#${other}`, otherJob, otherKind, context.id);
        if (part) handed.push(done);
      };
      const done = work.push(
        `${owner}/${repo}#${issue}`,
        async () => {
          await ready;
          return job(elsewhere);
        },
        kind,
        context.id,
      );
      if (!options.inline) return;
      // Serverless: the answer waits for the work, and failed work is a failed delivery (5xx),
      // which GitHub records and can redeliver. Forget the delivery so a redelivery runs.
      const outcome = await done;
      const error = outcome.error ?? (await Promise.all(handed)).find((o) => o.error !== undefined)?.error;
      if (error !== undefined) {
        deliveries.forget(context.id);
        // Wrapped: Probot would answer with a GitHub error's own status (a 422), not a 5xx.
        throw new Error(`the work for delivery ${context.id} failed: ${(error as Error).message}`, { cause: error });
      }
    };

    app.on('issues.labeled', async (context) => {
      const { issue, label, sender } = context.payload;
      return once(context, issue.number, async () => {
        const config = await loadConfig(context);
        const trigger = config.ok ? config.config.triggerLabel : DEFAULT_CONFIG.triggerLabel;
        if (label?.name !== trigger) return;
        await start(
          base(context, issue.number, issueOf(issue)),
          { login: sender.login, isBot: sender.type === 'Bot' },
          config,
        );
      });
    });

    app.on('issues.edited', async (context) => {
      const { issue, sender, changes } = context.payload;
      return once(
        context,
        issue.number,
        async (elsewhere) => {
          // The coordinator's own ticks come back as edits: not a reason to act.
          if (sender.type === 'Bot' && trusted(sender.login)) return;
          const config = await loadConfig(context);
          if (!config.ok) return;
          // Decided on the texts this event carries: they are the edit, whatever the issue says now.
          const change = {
            kind: 'edited',
            issue: issue.number,
            before: { title: changes?.title?.from ?? issue.title, body: changes?.body?.from ?? issue.body ?? '' },
            after: { title: issue.title, body: issue.body ?? '' },
          } as const;
          if (isExecuting(issue, config.config))
            await reviewChange(contextFor(context, issue.number, config.config), actorOf(sender), change);
          // A sub-issue's words are its stream's (even when it executes a breakdown of its own):
          // its parent decides, in the parent's turn.
          if (changes?.body || changes?.title)
            await toParent(context, elsewhere, issue.number, config.config, sender, change);
        },
        // No kind: each edit is its own decision about who changed what; none absorbs another.
      );
    });

    // A parent's sub-issues are its streams, and their "blocked by" links its graph: a change of
    // either re-plans the parent, approved when a writer made it (as an edit of the words is).
    app.on(['sub_issues.sub_issue_added', 'sub_issues.sub_issue_removed'], async (context) => {
      const { parent_issue: parent, sub_issue: sub, sub_issue_repo: where, sender, action } = context.payload;
      return once(context, parent.number, async () => {
        const config = await loadConfig(context);
        if (!config.ok || !isExecuting(parent, config.config)) return;
        const target = contextFor(context, parent.number, config.config);
        // One in another repository is not run from here: only the plan's warning changes. Without
        // a sender nobody can be asked about: the change waits for a writer.
        if (where.full_name !== target.github.slug || !sender) return void (await repairAndAdvance(target));
        const read = subIssueInput(sub);
        // A removed one is gone from the live reading: what blocked it is read for the "before".
        const blockedBy =
          action === 'sub_issue_removed' && isStream(read)
            ? (await target.github.blockedBy(sub.number)).map((b) => blockerRef(target.github.slug, b))
            : [];
        await reviewChange(target, actorOf(sender), {
          kind: action === 'sub_issue_added' ? 'sub-issue added' : 'sub-issue removed',
          subIssue: { ...read, blockedBy },
        });
      });
    });

    app.on(['issue_dependencies.blocked_by_added', 'issue_dependencies.blocked_by_removed'], async (context) => {
      const {
        blocked_issue: blocked,
        blocking_issue: blocking,
        blocking_issue_repo: where,
        sender,
        action,
      } = context.payload;
      // Only a sub-issue's links are part of a plan; GitHub says whether it has a parent.
      if (!blocked.parent_issue_url) return;
      return once(context, blocked.number, async (elsewhere) => {
        const config = await loadConfig(context);
        if (!config.ok) return;
        const slug = `${context.repo().owner}/${context.repo().repo}`;
        await toParent(context, elsewhere, blocked.number, config.config, sender, {
          kind: action === 'blocked_by_added' ? 'blocked-by added' : 'blocked-by removed',
          issue: blocked.number,
          blocker: blockerRef(slug, { repo: where.full_name, number: blocking.number }),
        });
      });
    });

    // A reopened sub-issue has work again. The event does not say how it had been closed: it is
    // reviewed as closed as completed, which a writer's reopening changes stream by stream; one
    // that had been closed as not planned was no stream, so that review approves nothing and
    // the new stream waits for `/execute start`.
    app.on('issues.reopened', async (context) => {
      const { issue, sender } = context.payload;
      return once(context, issue.number, async (elsewhere) => {
        const config = await loadConfig(context);
        if (!config.ok) return;
        await toParent(context, elsewhere, issue.number, config.config, sender, {
          kind: 'state',
          issue: issue.number,
          before: { state: 'closed', stateReason: 'completed' },
          after: { state: 'open', stateReason: issue.state_reason ?? 'reopened' },
        });
      });
    });

    app.on('issue_comment.created', async (context) => {
      const { issue, comment, sender } = context.payload;
      if (sender.type === 'Bot' || issue.pull_request) return;
      const parsed = parseCommand(comment.body);
      if (!parsed) return;
      return once(context, issue.number, async () => {
        const config = await loadConfig(context);
        if (!config.ok) return;
        const target = contextFor(context, issue.number, config.config);
        const actor = { login: sender.login, isBot: false };
        if ('error' in parsed) {
          // Someone without write access hears that (once an hour); a writer hears the usage.
          const refusal = await writerCheck(target.github, actor);
          if (refusal) await refuse(target, sender.login, 'run that command', refusal);
          else
            await target.github.createComment(
              issue.number,
              refusalComment(sender.login, 'run that command', parsed.error),
            );
          return;
        }
        await runCommand(target, parsed.command, actor, comment.id);
      });
    });

    // A closed issue may be what another execution's stream waits for (`Depends on: #123`): every
    // labelled issue of the repository looks again. The sweep does the same for other repositories.
    app.on('issues.closed', async (context) => {
      const { issue, sender } = context.payload;
      return once(context, issue.number, async (elsewhere) => {
        const config = await loadConfig(context);
        if (!config.ok) return;
        // A sub-issue closed: done as completed (its stream with it), or out of the plan if not
        // planned, which only a writer may decide.
        const parent = await toParent(context, elsewhere, issue.number, config.config, sender, {
          kind: 'state',
          issue: issue.number,
          before: { state: 'open', stateReason: null },
          after: { state: 'closed', stateReason: issue.state_reason ?? 'completed' },
        });
        const waiting = await context.octokit.paginate('GET /repos/{owner}/{repo}/issues', {
          ...context.repo(),
          labels: config.config.triggerLabel,
          state: 'open',
          per_page: 100,
        });
        // Each in its own queue, as the sweep does: work for one issue runs in order, and one
        // issue's failure (logged by the queue) does not stop the others.
        for (const other of waiting) {
          if (other.pull_request || other.number === issue.number || other.number === parent) continue;
          const target = contextFor(context, other.number, config.config);
          // Another issue's trouble is its own (the queue logs it), not this delivery's.
          elsewhere(other.number, () => advance(target), ADVANCE, false);
        }
      });
    });

    app.on('workflow_run.completed', async (context) => {
      const { workflow_run: run } = context.payload;
      const stream = parseStreamBranch(run.head_branch ?? '');
      if (!stream) return;
      return once(
        context,
        stream.issue,
        async () => {
          const config = await loadConfig(context);
          // Only the stream workflow's runs: CI or gate runs on the branch say nothing new.
          if (!config.ok || !isStreamWorkflow(run, config.config.workflow)) return;
          const target = contextFor(context, stream.issue, config.config);
          // The run is over, so its ticks are all written or never will be: repair, then advance.
          await repairAndAdvance(target);
        },
        REPAIR,
      );
    });

    app.on('push', async (context) => {
      const { ref, commits, deleted } = context.payload;
      const stream = parseStreamBranch(ref);
      if (!stream || deleted) return;
      const pushed = commits.flatMap((c) => {
        const trailers = readTrailers(c.message);
        return trailers?.issue === stream.issue ? trailers.tasks : [];
      });
      if (pushed.length === 0) return;
      // The Action pushes, then ticks: writing ticks here would race it. The status catches up
      // with the progress; a tick that never comes is repaired when the run completes.
      return once(context, stream.issue, () => advanceIssue(context, stream.issue), ADVANCE);
    });

    app.on(
      ['pull_request.opened', 'pull_request.reopened', 'pull_request.synchronize', 'pull_request.closed'],
      async (context) => {
        const { pull_request: pull, action } = context.payload;
        const stream = parseStreamBranch(pull.head.ref);
        if (!stream || pull.head.repo?.full_name !== pull.base.repo.full_name) return;
        return once(context, stream.issue, async () => {
          const config = await loadConfig(context);
          if (!config.ok) return;
          const target = contextFor(context, stream.issue, config.config);
          if (action !== 'closed') await reportExecutionCheck(target, stream.stream, pull.head.sha, pull.html_url);
          // A new pull request completes a stream; a merge completes it for `on-merge`; a close
          // without merging undoes that, and the status must say so.
          if (action !== 'synchronize') await advance(target);
        });
      },
    );

    app.on('check_run.rerequested', async (context) => {
      const { check_run: check } = context.payload;
      const stream = parseStreamBranch(check.check_suite?.head_branch ?? '');
      if (check.name !== EXECUTION_CHECK || !stream) return;
      return once(context, stream.issue, async () => {
        const config = await loadConfig(context);
        if (config.ok)
          await reportExecutionCheck(contextFor(context, stream.issue, config.config), stream.stream, check.head_sha);
      });
    });

    /**
     * Reviews a change of sub-issue `number` as a change of its parent's plan, in the parent's
     * turn of the queue, when the parent is executing; returns the parent's number if it was.
     */
    async function toParent(
      context: AnyContext,
      elsewhere: Elsewhere,
      number: number,
      config: Config,
      sender: { login: string; type: string },
      change: BreakdownChange,
    ): Promise<number | undefined> {
      const parent = await githubOf(context).parentOf(number);
      if (!parent || !isExecuting(parent, config)) return undefined;
      const target = contextFor(context, parent.number, config);
      elsewhere(parent.number, () => reviewChange(target, actorOf(sender), change));
      return parent.number;
    }

    async function advanceIssue(context: AnyContext, issue: number): Promise<void> {
      const config = await loadConfig(context);
      if (config.ok) await advance(contextFor(context, issue, config.config));
    }
  };

  const reconcile = async (): Promise<number> => {
    if (!probot || !queue) throw new Error('the app is not loaded into Probot yet');
    const app = probot;
    const work = queue;
    let queued = 0;
    await ready;
    const appOctokit = await app.auth();
    const installations = await appOctokit.paginate('GET /app/installations', { per_page: 100 });
    for (const installation of installations) {
      const octokit = await app.auth(installation.id);
      const repositories = await octokit.paginate('GET /installation/repositories', { per_page: 100 });
      for (const repository of repositories) {
        const repo = { owner: repository.owner.login, repo: repository.name };
        // One repository's trouble (a bad config, a lost permission) must not stop the sweep.
        try {
          const loaded = await octokit.config.get({ ...repo, path: `.github/${CONFIG_FILE}` });
          const config = validateConfig(loaded.config ?? {});
          if (!config.ok) continue;
          const issues = await octokit.paginate('GET /repos/{owner}/{repo}/issues', {
            ...repo,
            labels: config.config.triggerLabel,
            state: 'open',
            per_page: 100,
          });
          for (const issue of issues) {
            if (issue.pull_request) continue;
            const target: IssueContext = {
              github: new GitHub(octokit, repo),
              issueNumber: issue.number,
              config: config.config,
              defaultBranch: repository.default_branch,
              log: (message) => app.log.info(message),
              trusted,
            };
            work.push(`${repo.owner}/${repo.repo}#${issue.number}`, () => repairAndAdvance(target), REPAIR);
            queued++;
          }
        } catch (error) {
          app.log.error({ err: error, repo: `${repo.owner}/${repo.repo}` }, 'reconcile skipped a repository');
        }
      }
    }
    return queued;
  };

  const idle = async () => {
    await ready;
    await queue?.idle();
  };
  return Object.assign(appFn, { idle, reconcile });
}

/** `.github/execution-coordinator.yml` from the default branch, through Probot (with `_extends`). */
export async function loadConfig(context: AnyContext): Promise<ConfigResult> {
  try {
    return validateConfig((await context.config<Record<string, unknown>>(CONFIG_FILE)) ?? {});
  } catch (error) {
    return { ok: false, errors: [{ key: '', message: `could not be read: ${(error as Error).message}` }] };
  }
}

function githubOf(context: AnyContext): GitHub {
  const { owner, repo } = context.repo();
  return new GitHub(context.octokit, { owner, repo });
}

function baseContext(
  context: AnyContext,
  issueNumber: number,
  issue?: Issue,
): Omit<IssueContext, 'config' | 'trusted'> {
  return {
    github: githubOf(context),
    issueNumber,
    defaultBranch: context.payload.repository?.default_branch ?? 'main',
    ...(issue ? { issue } : {}),
    log: (message: string) => context.log.info(message),
  };
}

function issueContext(context: AnyContext, issueNumber: number, config: Config): Omit<IssueContext, 'trusted'> {
  return { ...baseContext(context, issueNumber), config };
}

function issueOf(issue: Context<'issues.labeled'>['payload']['issue']): Issue {
  const summary = (issue as { sub_issues_summary?: { total?: unknown } }).sub_issues_summary;
  return {
    number: issue.number,
    title: issue.title,
    body: issue.body ?? '',
    labels: (issue.labels ?? []).map((l) => l.name),
    state: issue.state ?? 'open',
    url: issue.html_url,
    // GitHub's issue payloads carry the sub-issue count; without it, the sub-issues are asked for.
    ...(typeof summary?.total === 'number' ? { subIssueCount: summary.total } : {}),
  };
}

/** Whether the coordinator executes this issue: open, and carrying the trigger label. */
function isExecuting(
  issue: { state?: string; labels?: readonly ({ name?: string } | string)[] },
  config: Config,
): boolean {
  const labels = (issue.labels ?? []).map((l) => (typeof l === 'string' ? l : l.name));
  return issue.state !== 'closed' && labels.includes(config.triggerLabel);
}

function actorOf(sender: { login: string; type: string }): Actor {
  return { login: sender.login, isBot: sender.type === 'Bot' };
}

/** A sub-issue from a webhook, in the plan's terms (what blocks it is read separately). */
function subIssueInput(issue: {
  number: number;
  title: string;
  body?: string | null;
  state?: string;
  state_reason?: string | null;
}): SubIssueInput {
  return {
    number: issue.number,
    title: issue.title,
    body: issue.body ?? '',
    state: issue.state === 'closed' ? 'closed' : 'open',
    stateReason: issue.state_reason ?? null,
    blockedBy: [],
  };
}

/** Whether a run is of the stream workflow: `workflow:` names its file (or gives its id). */
function isStreamWorkflow(run: { path?: string; workflow_id?: number }, workflow: string): boolean {
  return /^\d+$/.test(workflow)
    ? String(run.workflow_id) === workflow
    : (run.path ?? '').split('/').at(-1) === workflow;
}
