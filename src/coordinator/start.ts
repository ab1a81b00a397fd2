import { isStream } from '../core/breakdown/sub-issues.js';
import type { ConfigResult } from '../core/config/parse.js';
import { formatConfigError } from '../core/config/parse.js';
import { configErrorComment } from '../core/render/comments.js';
import { type AdvanceResult, advance } from './advance.js';
import { approvableSilently, approve } from './approval.js';
import type { IssueContext } from './context.js';
import type { GitHub, Permission } from './github.js';
import { readIssue } from './read-execution.js';
import { refuse } from './refusals.js';
import { readSource } from './source.js';

// Start: the trigger label was added. Only people who could push the work themselves may start
// it; then the config must be valid; then the plan, as read from the issue the label event
// delivered, is recorded as approved by them, and advance does the rest (and reports a bad
// breakdown).

export interface Actor {
  readonly login: string;
  readonly isBot: boolean;
}

const WRITERS: ReadonlySet<Permission> = new Set(['admin', 'maintain', 'write']);

export type StartResult =
  | { readonly outcome: 'refused'; readonly reason: string }
  | { readonly outcome: 'bad-config' }
  | AdvanceResult;

/** Whether `actor` may run the coordinator here; the reason when not. */
export async function writerCheck(github: GitHub, actor: Actor): Promise<string | undefined> {
  if (actor.isBot) return 'bots may not start or steer an execution';
  const permission = await github.permissionOf(actor.login);
  return WRITERS.has(permission)
    ? undefined
    : `it needs write, maintain or admin permission, and ${actor.login} has ${permission}`;
}

export async function start(
  context: Omit<IssueContext, 'config'>,
  actor: Actor,
  config: ConfigResult,
): Promise<StartResult> {
  const refusal = await writerCheck(context.github, actor);
  if (refusal) {
    await refuse(context, actor.login, 'start this execution', refusal);
    return { outcome: 'refused', reason: refusal };
  }
  if (!config.ok) {
    await context.github.createComment(
      context.issueNumber,
      configErrorComment(config.errors.map((e) => formatConfigError(e))),
    );
    return { outcome: 'bad-config' };
  }
  const configured = { ...context, config: config.config };
  const issue = await readIssue(configured);
  const { plan, text } = await readSource(configured, issue);
  // The label approves what it carried, unless the reader warned about it: then a writer reviews
  // the warnings and approves with `/execute start <key>` (the status comment lists them). The
  // event carries the issue's words but not its sub-issues' (nor their links), which are read
  // now: anyone who can edit or link one could have changed them since the label, and nothing
  // GitHub sends says when. A plan with sub-issue streams waits for that command too.
  if (approvableSilently(configured.config, plan) && !text.subIssues.some(isStream))
    await approve(configured, text, plan, actor.login);
  return advance({ ...configured, issue });
}
