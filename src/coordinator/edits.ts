import { subIssueStreamId } from '../core/breakdown/sub-issues.js';
import { approvalOf, approvedChange, divergence, textDigest } from '../core/execution/approval.js';
import { streamBranch } from '../core/execution/branches.js';
import { aroundChange, type BreakdownChange, type SourceText } from '../core/execution/breakdown-change.js';
import { APPROVE_HINT } from '../core/render/comments.js';
import { repairAndAdvance } from './advance.js';
import { approvableSilently, approvalIn, approve, writeApproval } from './approval.js';
import type { IssueContext } from './context.js';
import { refuse } from './refusals.js';
import { planOf, readSource } from './source.js';
import { type Actor, writerCheck } from './start.js';

// Someone changed an executing breakdown (its issue, a sub-issue, a sub-issue link, a "blocked
// by" link): decide whether the change is approved, then restore owed ticks and advance (which
// starts only approved work).

export type EditOutcome = 'ticks' | 'approved' | 'unapproved' | 'refused' | 'unrelated';

/**
 * A change of an executing breakdown by `editor`. The decision is made on the change itself (the
 * event's before and after, applied to the words as they stand): a writer's change of the
 * approved words is approved; a change by anyone else that changes the plan is refused (once an
 * hour, per person) and waits for a writer. Either way owed ticks are restored and the execution
 * advanced, which starts only approved work.
 */
export async function reviewChange(
  context: IssueContext,
  editor: Actor,
  change: BreakdownChange,
): Promise<EditOutcome> {
  const now = await readSource(context);
  const around = aroundChange(now.text, context.issueNumber, change);
  const merged = around ? await mergedClose(context, change) : undefined;
  const outcome = !around
    ? 'unrelated'
    : merged
      ? await decide(context, { login: merged, isBot: false }, around.before, around.after, true)
      : await decide(context, editor, around.before, around.after);
  await repairAndAdvance({ ...context, issue: now.issue });
  return outcome;
}

/**
 * Who closed a sub-issue whose stream's pull request merged (`the merge of #N`): its work is on
 * the default branch, whoever's merge it was (a person's, a merge queue's), so the close is
 * approved as that merge. Undefined for any other change.
 */
async function mergedClose(context: IssueContext, change: BreakdownChange): Promise<string | undefined> {
  if (change.kind !== 'state' || change.after.state !== 'closed' || change.after.stateReason !== 'completed')
    return undefined;
  const pull = await context.github.pullFrom(streamBranch(context.issueNumber, subIssueStreamId(change.issue)));
  return pull?.merged ? `the merge of #${pull.number}` : undefined;
}

async function decide(
  context: IssueContext,
  editor: Actor,
  before: SourceText,
  after: SourceText,
  merge = false,
): Promise<EditOutcome> {
  const { github, issueNumber } = context;
  const beforePlan = planOf(context, before);
  const afterPlan = planOf(context, after);
  const sameWords = textDigest(before) === textDigest(after);
  // Whether the change alters the plan at all (what it asks for, not its ticks).
  const alters = divergence(approvalOf(before, beforePlan, ''), afterPlan) !== undefined;
  if (sameWords && !alters) return 'ticks';
  const refusal = merge ? undefined : await writerCheck(github, editor);
  if (refusal) {
    if (!alters) return 'unapproved';
    await refuse(context, editor.login, 'change what this plan asks for', refusal, { next: APPROVE_HINT });
    return 'refused';
  }
  const comments = await github.listComments(issueNumber);
  const approval = approvalIn(context, comments);
  if (!approval) return 'unapproved';
  // The words unchanged (a link, a close): the streams it changed, each from what was approved;
  // new warnings (structure the plan does not use) still wait for a writer's reading.
  if (sameWords) {
    const warned = afterPlan.warnings.length > beforePlan.warnings.length;
    if (warned && !approvableSilently(context.config, afterPlan)) return 'unapproved';
    const record = approvedChange(approval, beforePlan, afterPlan, editor.login);
    if (!record) return 'unapproved';
    await writeApproval(context, record, comments);
    return 'approved';
  }
  // Only a change of the approved words: one made on top of a change nobody approved would
  // approve that change too, unseen. Those wait for `/execute start`.
  if (!approvableSilently(context.config, afterPlan)) return 'unapproved';
  if (approval.text !== textDigest(before) || divergence(approval, beforePlan)) return 'unapproved';
  await approve(context, after, afterPlan, editor.login, comments);
  return 'approved';
}
