import { randomUUID } from 'node:crypto';
import { tmpdir } from 'node:os';
import * as core from '@actions/core';
import { getOctokit } from '@actions/github';
import { retry } from '@octokit/plugin-retry';
import { throttling } from '@octokit/plugin-throttling';
import Bottleneck from 'bottleneck';
import { GitHub } from '../coordinator/github.js';
import { ACTIONS_BOT, trustOnly } from '../coordinator/identity.js';
import { rateLimitHandlers } from '../coordinator/rate-limits.js';
import { start } from '../coordinator/start.js';
import { DEFAULT_CONFIG, formatConfigError, parseConfig } from '../core/config/parse.js';
import { Masker, secretsInEnvironment } from '../core/gates/mask.js';
import { gatesForPull, runGateMode } from './gate-mode.js';
import { Git } from './git.js';
import { readInputs } from './inputs.js';
import type { ActionIo, ActionRun } from './io.js';
import { maskedIo } from './outbound.js';
import { type RunnerContext, runnerContext } from './runner-context.js';
import { openSandbox, type Sandbox } from './sandbox.js';
import { runStream } from './stream.js';
import { runSystem } from './system.js';

// The Action: inputs → a mode. `stream` runs one stream's tasks (or, with `stream: system`, the
// integration run of all streams together); `gate` checks a pull request; `start` does what the
// App does on a label, for repositories without the App.

export interface MainOptions {
  /** The fetch Octokit uses; tests hand in the one nock intercepts. */
  readonly fetch?: typeof globalThis.fetch;
}

export async function main(options: MainOptions = {}): Promise<void> {
  // Secret-named variables are known before the inputs are read: even an input error is masked.
  const masker = new Masker(secretsInEnvironment(process.env));
  const io = maskedIo(actionsIo, masker);
  let sandbox: Sandbox | undefined;
  try {
    const event = runnerContext();
    const inputs = readInputs((name) => core.getInput(name));
    masker.add(inputs.token);
    // The runner masks what it is told about too, in every log line and annotation.
    for (const form of masker.forms) core.setSecret(form);
    const octokit = getOctokit(
      inputs.token,
      {
        ...(options.fetch ? { request: { fetch: options.fetch } } : {}),
        // Read now, not when @actions/github loaded: an elevated run restores its environment later.
        baseUrl: process.env.GITHUB_API_URL || 'https://api.github.com',
        // 5xx: retried with back-off. Rate limits: waited out and retried, as the App does.
        retry: { retryAfterBaseValue: 300 },
        throttle: {
          ...rateLimitHandlers(() => (message) => io.warning(message)),
          // No pacing of writes: each stream run is its own process, so pacing could not
          // coordinate them anyway, and a run writes only a few times per task.
          write: new Bottleneck.Group({ maxConcurrent: 4, minTime: 0 }),
          notifications: new Bottleneck.Group({ maxConcurrent: 4, minTime: 0 }),
        },
      },
      retry,
      throttling,
    );
    const github = new GitHub(octokit, event.repo, masker);
    const trusted = await coordinatorIdentity(github, event);
    const payload = event.payload as { repository?: { default_branch?: string } };
    const defaultBranch = payload.repository?.default_branch ?? (await github.defaultBranch());
    // Gate commands come from the default branch only: a task or a pull request cannot add one.
    const configResult = parseConfig((await github.fileAt(inputs.config, defaultBranch)) ?? '');

    if (inputs.mode === 'start') {
      const { issue, label, sender } = event.payload as {
        issue?: {
          number: number;
          title?: string;
          body?: string | null;
          state?: string;
          html_url?: string;
          labels?: ({ name?: string } | string)[];
          sub_issues_summary?: { total?: number };
        };
        label?: { name: string };
        sender?: { login: string; type: string };
      };
      if (!issue || !sender) throw new Error('mode start runs on an `issues: labeled` event');
      const trigger = configResult.ok ? configResult.config.triggerLabel : DEFAULT_CONFIG.triggerLabel;
      if (label?.name !== trigger) {
        io.info(`label ${label?.name ?? '(none)'} is not ${trigger}: nothing to do`);
        return;
      }
      // The issue as the label event carries it: what the writer labelled is what is approved,
      // not whatever it says by the time this job got a runner.
      const labelled = {
        number: issue.number,
        title: issue.title ?? '',
        body: issue.body ?? '',
        state: issue.state ?? 'open',
        url: issue.html_url ?? '',
        labels: (issue.labels ?? []).map((l) => (typeof l === 'string' ? l : (l.name ?? ''))),
        ...(typeof issue.sub_issues_summary?.total === 'number'
          ? { subIssueCount: issue.sub_issues_summary.total }
          : {}),
      };
      const result = await start(
        {
          github,
          issueNumber: issue.number,
          defaultBranch,
          log: io.info,
          trusted,
          ...('body' in issue ? { issue: labelled } : {}),
        },
        { login: sender.login, isBot: sender.type === 'Bot' },
        configResult,
      );
      io.info(`start: ${result.outcome}`);
      return;
    }

    if (!configResult.ok) {
      throw new Error(configResult.errors.map((e) => formatConfigError(e, inputs.config)).join('\n'));
    }
    const workspace = process.env.GITHUB_WORKSPACE ?? process.cwd();
    const tempDir = process.env.RUNNER_TEMP ?? tmpdir();
    const git = new Git(workspace, process.env, { serverUrl: event.serverUrl, token: inputs.token });
    // A credential the checkout kept in .git/config is one implement and the gates can read.
    const persisted = await git.persistedCredentials();
    if (persisted.length > 0)
      throw new Error(
        `the checkout keeps a credential in its git config (${persisted.join(', ')}), where implement and the gates can read it: check out with \`persist-credentials: false\``,
      );
    const opened = openSandbox(inputs.sandbox, { workspace, tempDir });
    sandbox = opened.sandbox;
    if (opened.warning) io.warning(opened.warning);
    const run: ActionRun = {
      io,
      github,
      git,
      config: configResult.config,
      defaultBranch,
      workspace,
      tempDir,
      env: childEnvironment(process.env),
      sandbox,
      masker,
      trusted,
      runUrl: event.runId
        ? `${event.serverUrl}/${event.repo.owner}/${event.repo.repo}/actions/runs/${event.runId}`
        : undefined,
    };

    if (inputs.mode === 'gate') {
      const head =
        (event.payload as { pull_request?: { head?: { sha?: string } } }).pull_request?.head?.sha ?? event.sha;
      const outcome = await runGateMode(run, head, gatesForPull(run, inputs.gates));
      if (outcome.failedGate) io.failed(`gate ${outcome.failedGate} failed`);
      return;
    }

    // The input wins; otherwise the stream's `Agent:` picks a configured implementer.
    const outcome =
      inputs.stream === 'system'
        ? await runSystem(run, inputs.issue as number)
        : await runStream(run, inputs.issue as number, inputs.stream as string, inputs.implement);
    if (outcome.failure) io.failed(`stream ${inputs.stream}: ${outcome.failure}`);
  } catch (error) {
    io.failed((error as Error).message);
  } finally {
    try {
      sandbox?.release();
    } catch (error) {
      io.failed(`the sandbox could not be closed: ${(error as Error).message}`);
    }
  }
}

/**
 * Who speaks for the coordinator, learned from GitHub: the token's own identity (GraphQL answers
 * installation tokens too), GitHub's Actions bot, and the bot that dispatched this run (the App).
 * Dispatching takes write access, so that sender is the App or a writer's own tool.
 */
async function coordinatorIdentity(github: GitHub, event: RunnerContext): Promise<(author: string) => boolean> {
  let self: string;
  try {
    self = await github.viewerLogin();
  } catch (error) {
    throw new Error(`input \`token\`: could not learn whom the token belongs to: ${(error as Error).message}`);
  }
  const sender = event.payload.sender as { login?: string; type?: string } | undefined;
  const dispatcher = event.eventName === 'workflow_dispatch' && sender?.type === 'Bot' ? sender.login : undefined;
  return trustOnly(self, ACTIONS_BOT, dispatcher);
}

// What implement and the gates must not reach: the Action's inputs (its token), the runner's own
// tokens, and the files through which a step sets outputs, environment and path for later steps.
const HIDDEN = /^(?:INPUT_|ACTIONS_(?:RUNTIME|ID_TOKEN|CACHE|RESULTS)_|GITHUB_(?:ENV|OUTPUT|PATH|STATE|STEP_SUMMARY)$)/;

function childEnvironment(env: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  return Object.fromEntries(Object.entries(env).filter(([name]) => !HIDDEN.test(name)));
}

const actionsIo: ActionIo = {
  // A line of someone else's output that reads `::error …::`, `::add-mask::…` or the older
  // `##[error]…` would be taken for a workflow command: such text goes out with commands
  // stopped, under a one-off token.
  info: (message) => {
    if (!message.includes('::') && !message.includes('##[')) return core.info(message);
    const token = randomUUID();
    core.info(`::stop-commands::${token}`);
    core.info(message);
    core.info(`::${token}::`);
  },
  warning: (message) => core.warning(message),
  annotate: (level, message, place) => {
    const properties = place
      ? {
          file: place.file,
          startLine: place.line,
          ...(place.column ? { startColumn: place.column } : {}),
          ...(place.title ? { title: place.title } : {}),
        }
      : {};
    if (level === 'error') core.error(message, properties);
    else if (level === 'warning') core.warning(message, properties);
    else core.notice(message, properties);
  },
  summary: async (markdown) => {
    if (!process.env.GITHUB_STEP_SUMMARY) return;
    await core.summary.addRaw(markdown, true).write();
  },
  output: (name, value) => core.setOutput(name, value),
  failed: (message) => core.setFailed(message),
};
