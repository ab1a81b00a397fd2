import { createHash } from 'node:crypto';
import { isStream, type SubIssueInput } from '../breakdown/sub-issues.js';
import type { Plan, Stream } from '../model.js';
import type { ApprovalRecord } from './records.js';

// The approved plan. A writer's act (the label, `/execute start`, an edit of an approved plan)
// records what the plan asks for; every path that starts work compares the live plan with it and
// acts only where they agree. Ticks are not part of it: they say what is done, not what to do.

/** Where the live plan differs from the approved one; nothing new starts while it does. */
export interface Divergence {
  /** No writer has approved any plan of this issue yet. */
  readonly unapproved: boolean;
  /** The key that approves the plan as it stands: `/execute start <key>`. */
  readonly key?: string;
  readonly added: readonly string[];
  readonly removed: readonly string[];
  readonly changed: readonly string[];
}

/** All of SHA-256: a shorter digest lets someone prepare a harmless and a harmful twin offline. */
function digest(text: string): string {
  return createHash('sha256').update(text, 'utf8').digest('hex');
}

/** What a stream asks to be done: title, dependencies, gates, tasks and subtasks, not their ticks. */
export function streamDigest(stream: Stream): string {
  return digest(
    JSON.stringify([
      stream.id,
      stream.title,
      stream.dependsOn,
      stream.gates,
      // A person's step and the issues outside the plan are approved too (an edit that drops the
      // line making a step a person's, or swaps `#123` for a closed issue, is a change); each is
      // appended only when present, so a stream without them keeps the digest it had.
      stream.tasks.map((t) => [t.id, t.title, t.subtasks.map((u) => u.title), ...(t.person ? ['person'] : [])]),
      ...(stream.external ? [stream.external] : []),
      // Who works on it picks the command that runs: approved too, appended only when named.
      ...(stream.implementer !== undefined ? [{ implementer: stream.implementer }] : []),
      // A sub-issue closed as completed is done without its work: only a writer may decide that.
      ...(stream.closed ? [{ closed: true }] : []),
    ]),
  );
}

// A list item's checkbox, in a quote or not: `- [x] `, `1. [ ] `. Anchored, with no two parts
// that can match the same characters, so it runs in linear time on any line.
const CHECKBOX = /^([ \t]*(?:>[ \t]*)*(?:[-*+]|\d{1,9}[.)])[ \t]+)\[[ xX]\]/;

/** The body with every checkbox unticked: the words, without what anyone ticked. */
export function withoutTicks(body: string): string {
  return body
    .split(/\r?\n/)
    .map((line) => line.replace(CHECKBOX, '$1[ ]'))
    .join('\n');
}

/** The words a breakdown is read from: an issue's, and those of its sub-issues when it has some. */
export interface BreakdownText {
  readonly title: string;
  readonly body: string;
  readonly subIssues?: readonly SubIssueInput[];
}

/**
 * The issue's words without its ticks: a tick by anyone changes nothing a writer approved. With
 * sub-issues, each that is a stream adds its number and words (not its state: closing one by
 * merging its pull request changes no words; nor its place in GitHub's list).
 */
export function textDigest(text: BreakdownText): string {
  const own = `${text.title}\n${withoutTicks(text.body)}`;
  // By number: the order GitHub lists them in (which a removal and re-adding changes) is no word.
  const subIssues = (text.subIssues ?? []).filter(isStream).sort((a, b) => a.number - b.number);
  if (subIssues.length === 0) return digest(own);
  return digest(JSON.stringify([own, ...subIssues.map((s) => [s.number, s.title, withoutTicks(s.body)])]));
}

/**
 * What `/execute start <key>` names: the issue's words and plan as they stand. A writer copies it
 * from the status comment, so an edit made after they read the issue (even a moment before their
 * command is handled) does not match it, and is not approved in their name.
 */
export function approvalKey(issue: BreakdownText, plan: Pick<Plan, 'streams'>): string {
  const record = approvalOf(issue, plan, '');
  return digest(JSON.stringify([record.text, Object.entries(record.streams)])).slice(0, 32);
}

export function approvalOf(issue: BreakdownText, plan: Pick<Plan, 'streams'>, by: string): ApprovalRecord {
  return {
    by,
    text: textDigest(issue),
    streams: Object.fromEntries(plan.streams.map((s) => [s.id, streamDigest(s)])),
  };
}

/**
 * The approval with the streams a change touched (those whose digest differs between `before`
 * and `after`) approved as they are after it, when each was approved as it was before it;
 * undefined otherwise. For a change that leaves the words alone (a "blocked by" link, a sub-issue
 * closed as completed): a writer's change approves only what it changed, so another change that
 * nobody approved stays unapproved, and two writers' changes made at once are both approved.
 */
export function approvedChange(
  approval: ApprovalRecord,
  before: Pick<Plan, 'streams'>,
  after: Pick<Plan, 'streams'>,
  by: string,
): ApprovalRecord | undefined {
  const digests = (plan: Pick<Plan, 'streams'>) => new Map(plan.streams.map((s) => [s.id, streamDigest(s)]));
  const was = digests(before);
  const is = digests(after);
  const streams: Record<string, string> = { ...approval.streams };
  for (const id of new Set([...was.keys(), ...is.keys()])) {
    if (was.get(id) === is.get(id)) continue;
    const approved = Object.hasOwn(approval.streams, id) ? approval.streams[id] : undefined;
    if (approved !== was.get(id)) return undefined;
    const now = is.get(id);
    if (now === undefined) delete streams[id];
    else streams[id] = now;
  }
  return { ...approval, by, streams };
}

/** How `plan` differs from the approved plan; undefined when a writer approved it as it stands. */
export function divergence(approval: ApprovalRecord | undefined, plan: Pick<Plan, 'streams'>): Divergence | undefined {
  const approved = new Map(Object.entries(approval?.streams ?? {}));
  const live = new Set(plan.streams.map((s) => s.id));
  const added = plan.streams.filter((s) => !approved.has(s.id)).map((s) => s.id);
  const changed = plan.streams
    .filter((s) => approved.has(s.id) && approved.get(s.id) !== streamDigest(s))
    .map((s) => s.id);
  const removed = [...approved.keys()].filter((id) => !live.has(id));
  if (approval && added.length + changed.length + removed.length === 0) return undefined;
  return { unapproved: approval === undefined, added, removed, changed };
}

/** Whether `stream`, as it stands, is the stream a writer approved. */
export function isApproved(approval: ApprovalRecord | undefined, stream: Stream): boolean {
  return (
    approval !== undefined &&
    Object.hasOwn(approval.streams, stream.id) &&
    approval.streams[stream.id] === streamDigest(stream)
  );
}
