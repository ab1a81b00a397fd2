import type { SubIssueInput } from '../breakdown/sub-issues.js';
import type { BreakdownText } from './approval.js';

// What one event changed in a breakdown's words: an edit of the issue or of a sub-issue, a
// sub-issue added or removed, a "blocked by" link added or removed, a sub-issue closed or
// reopened. Applied to the words as they stand now, it gives the words just before and just
// after the change: the edit itself, decided on as a writer's or not, whatever else changed since.

/** A breakdown's words with its sub-issues read (none, for an issue without). */
export interface SourceText extends BreakdownText {
  readonly subIssues: readonly SubIssueInput[];
  /** Open sub-issues in other repositories (`owner/repo#n`), which are not run from here. */
  readonly elsewhere?: readonly string[];
}

interface Words {
  readonly title: string;
  readonly body: string;
}

export type BreakdownChange =
  /** The issue itself (`issue` is the parent's number) or one of its sub-issues was edited. */
  | { readonly kind: 'edited'; readonly issue: number; readonly before: Words; readonly after: Words }
  | { readonly kind: 'sub-issue added' | 'sub-issue removed'; readonly subIssue: SubIssueInput }
  /** `blocker` as the plan writes it: `#12` here, `owner/repo#12` elsewhere. */
  | { readonly kind: 'blocked-by added' | 'blocked-by removed'; readonly issue: number; readonly blocker: string }
  | {
      readonly kind: 'state';
      readonly issue: number;
      readonly before: Pick<SubIssueInput, 'state' | 'stateReason'>;
      readonly after: Pick<SubIssueInput, 'state' | 'stateReason'>;
    };

/**
 * The words just before and just after `change`, given the words now (of the issue numbered
 * `parent`). Undefined when the change touches nothing these words hold (a sub-issue that has
 * left the parent since).
 */
export function aroundChange(
  now: SourceText,
  parent: number,
  change: BreakdownChange,
): { readonly before: SourceText; readonly after: SourceText } | undefined {
  const withSub = (number: number, edit: (sub: SubIssueInput) => SubIssueInput): SourceText | undefined =>
    now.subIssues.some((s) => s.number === number)
      ? { ...now, subIssues: now.subIssues.map((s) => (s.number === number ? edit(s) : s)) }
      : undefined;
  const pair = (before: SourceText | undefined, after: SourceText | undefined) =>
    before && after ? { before, after } : undefined;
  switch (change.kind) {
    case 'edited':
      if (change.issue === parent) return pair({ ...now, ...change.before }, { ...now, ...change.after });
      return pair(
        withSub(change.issue, (s) => ({ ...s, ...change.before })),
        withSub(change.issue, (s) => ({ ...s, ...change.after })),
      );
    case 'sub-issue added':
    case 'sub-issue removed': {
      const { number } = change.subIssue;
      const without = { ...now, subIssues: now.subIssues.filter((s) => s.number !== number) };
      // Its words as the event gave them: an edit made since is not part of this change, and
      // shows as a difference from what this change may approve.
      const live = now.subIssues.find((s) => s.number === number);
      const { title, body, state, stateReason } = change.subIssue;
      const current = live ? { ...live, title, body, state, stateReason } : change.subIssue;
      const withIt = { ...now, subIssues: [...without.subIssues, current] };
      return change.kind === 'sub-issue added' ? pair(without, withIt) : pair(withIt, without);
    }
    case 'blocked-by added':
    case 'blocked-by removed': {
      const without = withSub(change.issue, (s) => ({
        ...s,
        blockedBy: s.blockedBy.filter((b) => b !== change.blocker),
      }));
      const withIt = withSub(change.issue, (s) => ({
        ...s,
        blockedBy: s.blockedBy.includes(change.blocker) ? s.blockedBy : [...s.blockedBy, change.blocker],
      }));
      return change.kind === 'blocked-by added' ? pair(without, withIt) : pair(withIt, without);
    }
    case 'state': {
      // A stale event (the issue reopened or closed again since) changes nothing as it stands.
      const live = now.subIssues.find((s) => s.number === change.issue);
      if (live?.state !== change.after.state) return undefined;
      return pair(
        withSub(change.issue, (s) => ({ ...s, ...change.before })),
        withSub(change.issue, (s) => ({ ...s, ...change.after })),
      );
    }
  }
}
