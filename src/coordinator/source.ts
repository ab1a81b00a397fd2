import { type ParseOptions, parseBreakdown } from '../core/breakdown/parse.js';
import { isStream, type SubIssueInput, subIssueBreakdown } from '../core/breakdown/sub-issues.js';
import type { SourceText } from '../core/execution/breakdown-change.js';
import type { Breakdown, Plan, Stream } from '../core/model.js';
import { planExecution } from '../core/plan/plan.js';
import type { IssueContext } from './context.js';
import type { GitHub, Issue } from './github.js';

// Where a plan is read from: the issue's body and, when it has sub-issues, theirs with their
// "blocked by" links. Every use case (advance, the Action, approval, edits) reads it here, so
// they all see the same plan from the same words.

export interface Source {
  readonly issue: Issue;
  readonly text: SourceText;
  readonly plan: Plan;
}

/** The issue's plan as it stands on GitHub (`issue`: the caller's fresh copy, if it has one). */
export async function readSource(context: IssueContext, issue?: Issue): Promise<Source> {
  const current = issue ?? context.issue ?? (await context.github.getIssue(context.issueNumber));
  const text = await readText(context.github, current);
  return { issue: current, text, plan: planOf(context, text) };
}

/**
 * One stream as the issue states it now, with the words it was read from: what a check of that
 * stream alone needs (the Action before each task, a pull request's execution check). Only that
 * stream's sub-issue has its "blocked by" links read, so every other stream of `plan` may lack
 * its links: they are for this stream's reading only.
 */
export async function readStream(
  context: IssueContext,
  id: string,
): Promise<{ issue: Issue; text: SourceText; stream: Stream | undefined }> {
  const issue = await context.github.getIssue(context.issueNumber);
  const number = /^issue-(\d+)$/.exec(id)?.[1];
  const text = await readText(context.github, issue, (n) => String(n) === number);
  return { issue, text, stream: planOf(context, text).streams.find((s) => s.id === id) };
}

/** An issue's breakdown read without a configuration (`plan --issue`): its own words and its sub-issues'. */
export async function readIssueBreakdown(
  github: GitHub,
  number: number,
  options: ParseOptions = {},
): Promise<Breakdown> {
  return breakdownOf(await readText(github, await github.getIssue(number)), options);
}

/** The words of `issue` and its sub-issues (with the links of those `linksOf` picks). */
async function readText(github: GitHub, issue: Issue, linksOf?: (number: number) => boolean): Promise<SourceText> {
  return { title: issue.title, body: issue.body, ...(await readSubIssues(github, issue, linksOf)) };
}

/** The plan these words make, checked against the repository's gates and implementers. */
export function planOf(context: Pick<IssueContext, 'config'>, text: SourceText): Plan {
  return planExecution(breakdownOf(text, parseOptions(context.config)));
}

function parseOptions(config: IssueContext['config']): ParseOptions {
  return { gates: Object.keys(config.gates), implementers: Object.keys(config.implementers) };
}

function breakdownOf(text: SourceText, options: ParseOptions): Breakdown {
  return text.subIssues.length === 0 && !text.elsewhere?.length
    ? parseBreakdown(text.body, options)
    : subIssueBreakdown({ body: text.body, elsewhere: text.elsewhere ?? [] }, text.subIssues, options);
}

/** How a plan names a blocker: `#12` in this repository, `owner/repo#12` in another. */
export function blockerRef(slug: string, blocker: { readonly repo: string; readonly number: number }): string {
  return blocker.repo === slug ? `#${blocker.number}` : `${blocker.repo}#${blocker.number}`;
}

/**
 * The issue's sub-issues in this repository, each with what blocks it. One request for the list
 * (none when GitHub said there are none) and one per sub-issue that is a stream and has blockers.
 */
async function readSubIssues(
  github: GitHub,
  issue: Issue,
  linksOf: (number: number) => boolean = () => true,
): Promise<{ subIssues: SubIssueInput[]; elsewhere: string[] }> {
  if (issue.subIssueCount === 0) return { subIssues: [], elsewhere: [] };
  const inputs: SubIssueInput[] = [];
  const elsewhere: string[] = [];
  for (const child of await github.subIssues(issue.number)) {
    if (child.repo !== github.slug) {
      if (child.state === 'open') elsewhere.push(`${child.repo}#${child.number}`);
      continue;
    }
    const state = child.state === 'open' ? 'open' : 'closed';
    const read = { state, stateReason: child.stateReason } as const;
    const blockers =
      isStream(read) && child.blockerCount !== 0 && linksOf(child.number) ? await github.blockedBy(child.number) : [];
    inputs.push({
      number: child.number,
      title: child.title,
      body: child.body,
      ...read,
      blockedBy: blockers.map((b) => blockerRef(github.slug, b)),
    });
  }
  return { subIssues: inputs, elsewhere };
}
