import type { ParseOptions } from '../core/breakdown/parse.js';
import { type SubIssueBreakdown, type SubIssueInput, subIssueBreakdown } from '../core/breakdown/sub-issues.js';
import type { GitHub } from './github.js';

// An issue's breakdown as GitHub holds it: the issue's own body and, when it has open
// sub-issues, each of them with its "blocked by" relations. One request for the issue, one for
// its sub-issues, and one per open sub-issue for what blocks it.

export interface IssueBreakdown extends SubIssueBreakdown {
  readonly title: string;
  /** Sub-issues in other repositories: not run from here (their branches would be elsewhere). */
  readonly elsewhere: readonly string[];
}

export async function readIssueBreakdown(
  github: GitHub,
  number: number,
  options: ParseOptions = {},
): Promise<IssueBreakdown> {
  const issue = await github.getIssue(number);
  const children = await github.subIssues(number);
  const here = children.filter((child) => child.repo === github.slug);
  const inputs: SubIssueInput[] = [];
  for (const child of here) {
    const blockers = child.state === 'open' ? await github.blockedBy(child.number) : [];
    inputs.push({
      number: child.number,
      title: child.title,
      body: child.body,
      state: child.state === 'open' ? 'open' : 'closed',
      stateReason: child.stateReason,
      blockedBy: blockers.map((b) => (b.repo === github.slug ? `#${b.number}` : `${b.repo}#${b.number}`)),
    });
  }
  const read = subIssueBreakdown({ number, body: issue.body }, inputs, options);
  const elsewhere = children
    .filter((c) => c.repo !== github.slug && c.state === 'open')
    .map((c) => `${c.repo}#${c.number}`);
  return { ...read, title: issue.title, elsewhere };
}
