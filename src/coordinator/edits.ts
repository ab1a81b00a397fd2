import { approvalOf, divergence, textDigest } from '../core/execution/approval.js';
import { APPROVE_HINT } from '../core/render/comments.js';
import { repairAndAdvance } from './advance.js';
import { approvableSilently, approvalIn, approve } from './approval.js';
import type { IssueContext } from './context.js';
import type { Issue } from './github.js';
import { planOf } from './read-execution.js';
import { refuse } from './refusals.js';
import { type Actor, writerCheck } from './start.js';

// A person edited an executing issue: decide whether the edit is approved, then restore owed
// ticks and advance (which starts only approved work).

/** The issue's text before and after an edit, as the webhook gives them (not as re-read). */
export interface IssueEdit {
  readonly editor: Actor;
  readonly before: Pick<Issue, 'title' | 'body'>;
  readonly after: Pick<Issue, 'title' | 'body'>;
}

export type EditOutcome = 'ticks' | 'approved' | 'unapproved' | 'refused';

/**
 * An edit of an executing issue. The decision is made on the texts the webhook delivered, which
 * are the edit itself: a writer's edit of the approved text is approved; an edit by anyone else
 * that changes the plan is refused (once an hour, per person) and waits for a writer. Either way
 * owed ticks are restored and the execution advanced, which starts only approved work.
 */
export async function reviewEdit(context: IssueContext, edit: IssueEdit): Promise<EditOutcome> {
  const outcome = await decide(context, edit);
  await repairAndAdvance(context);
  return outcome;
}

async function decide(context: IssueContext, edit: IssueEdit): Promise<EditOutcome> {
  const { github, issueNumber } = context;
  if (textDigest(edit.before) === textDigest(edit.after)) return 'ticks';
  const before = planOf(context, edit.before.body);
  const after = planOf(context, edit.after.body);
  const refusal = await writerCheck(github, edit.editor);
  if (refusal) {
    if (!divergence(approvalOf(edit.before, before, ''), after)) return 'unapproved';
    await refuse(context, edit.editor.login, 'change what this plan asks for', refusal, { next: APPROVE_HINT });
    return 'refused';
  }
  const comments = await github.listComments(issueNumber);
  const approval = approvalIn(context, comments);
  // Only an edit of the approved text: one made on top of a change nobody approved would approve
  // that change too, unseen. Those wait for `/execute start`.
  if (!approval || approval.text !== textDigest(edit.before) || divergence(approval, before)) return 'unapproved';
  if (!approvableSilently(context.config, after)) return 'unapproved';
  await approve(context, edit.after, after, edit.editor.login, comments);
  return 'approved';
}
