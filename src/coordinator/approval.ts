import type { SubIssueInput } from '../core/breakdown/sub-issues.js';
import {
  approvalKey,
  approvalOf,
  type BreakdownText,
  type Divergence,
  divergence,
  isApproved,
  streamDigest,
  textDigest,
} from '../core/execution/approval.js';
import { type ApprovalRecord, decodeRecord, MARKERS } from '../core/execution/records.js';
import type { Plan, Stream } from '../core/model.js';
import { approvalComment } from '../core/render/comments.js';
import type { IssueContext } from './context.js';
import type { Comment, Issue } from './github.js';
import { markedComments } from './read-execution.js';
import { readStream } from './source.js';

// Who may change what runs. The approval is a record on the issue, written when a writer acts:
// the label, `/execute start`, or a writer's edit of the plan as approved. Every path that starts
// work compares the plan it is about to act on with it (advance, retry, the Action before each
// task), so a change nobody with write access approved never runs, whichever event brings it.

/** The approval in force: the coordinator's approval record on the issue, if any. */
export function approvalIn(
  context: Pick<IssueContext, 'trusted'>,
  comments: readonly Comment[],
): ApprovalRecord | undefined {
  const [comment] = markedComments(context, { comments }, MARKERS.approval);
  const decoded = comment ? decodeRecord(comment.body) : undefined;
  return decoded?.kind === 'approval' ? decoded.record : undefined;
}

/**
 * Whether a writer's label or edit approves the plan by itself. Not when the reader warned about
 * it (structure it did not use: a table of dependencies, a graph, order in words): then a writer
 * reads the warnings and approves with `/execute start <key>`, unless the config opts out.
 */
export function approvableSilently(
  config: Pick<IssueContext['config'], 'startWithWarnings'>,
  plan: Pick<Plan, 'warnings'>,
): boolean {
  return plan.warnings.length === 0 || config.startWithWarnings;
}

/** Records `plan`, read from `issue`, as approved by `by` (edited in place: one approval per issue). */
export async function approve(
  context: IssueContext,
  issue: BreakdownText,
  plan: Pick<Plan, 'streams'>,
  by: string,
  comments?: readonly Comment[],
): Promise<ApprovalRecord> {
  return writeApproval(context, approvalOf(issue, plan, by), comments);
}

/** Writes `record` as the approval in force. */
export async function writeApproval(
  context: IssueContext,
  record: ApprovalRecord,
  comments?: readonly Comment[],
): Promise<ApprovalRecord> {
  const { github, issueNumber } = context;
  const body = approvalComment(record);
  const [existing, ...duplicates] = markedComments(
    context,
    { comments: comments ?? (await github.listComments(issueNumber)) },
    MARKERS.approval,
  );
  for (const duplicate of duplicates) await github.deleteComment(duplicate.id);
  if (!existing) await github.createComment(issueNumber, body);
  else if (existing.body !== github.masker.mask(body)) await github.updateComment(existing.id, body);
  return record;
}

/** What stops the plan from running as it stands (with the key that approves it); undefined when approved. */
export function holdOf(
  context: Pick<IssueContext, 'trusted'>,
  comments: readonly Comment[],
  issue: BreakdownText,
  plan: Plan,
): Divergence | undefined {
  const hold = divergence(approvalIn(context, comments), plan);
  return hold ? { ...hold, key: approvalKey(issue, plan) } : undefined;
}

/** The issue as it stands, if `stream` in it is still the stream that was approved and is running. */
export type ApprovedSource =
  | {
      readonly ok: true;
      readonly issue: Issue;
      /** The sub-issue the stream is, when it is one: its words are the stream's brief. */
      readonly subIssue?: SubIssueInput;
      readonly textApproved: boolean;
      /** The issue's comments as this check read them (its records: failures, spend). */
      readonly comments: readonly Comment[];
    }
  | { readonly ok: false; readonly reason: string };

/**
 * Whether `stream` (as the run read it) may go on: the live issue still has it unchanged and a
 * writer approved it. The issue's own words go to `implement` only when a writer approved them.
 */
export async function approvedSource(context: IssueContext, stream: Stream): Promise<ApprovedSource> {
  const { github, issueNumber } = context;
  const [{ issue, text, stream: live }, comments] = await Promise.all([
    readStream(context, stream.id),
    github.listComments(issueNumber),
  ]);
  const approval = approvalIn(context, comments);
  const unchanged = live !== undefined && streamDigest(live) === streamDigest(stream);
  if (!unchanged || !isApproved(approval, stream)) {
    const what = !unchanged
      ? `stream ${stream.id} changed in the issue while it ran`
      : approval
        ? `stream ${stream.id} is not as a writer approved it`
        : 'no writer has approved this plan';
    return {
      ok: false,
      reason: `${what}; a writer reviews the issue, comments \`/execute start\`, then \`/execute retry ${stream.id}\``,
    };
  }
  const subIssue = text.subIssues.find((s) => s.number === stream.issue);
  return {
    ok: true,
    issue,
    ...(subIssue ? { subIssue } : {}),
    textApproved: approval?.text === textDigest(text),
    comments,
  };
}
