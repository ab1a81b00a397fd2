import type { ParseOptions } from '../core/breakdown/parse.js';
import type { Breakdown } from '../core/model.js';
import type { GitHub } from './github.js';
import { breakdownOf, readSubIssues } from './source.js';

// An issue's breakdown as GitHub holds it, read without a configuration (`plan --issue`): the
// issue's own body and, when it has sub-issues, each of them with its "blocked by" relations.

export async function readIssueBreakdown(
  github: GitHub,
  number: number,
  options: ParseOptions = {},
): Promise<Breakdown> {
  const issue = await github.getIssue(number);
  return breakdownOf({ title: issue.title, body: issue.body, ...(await readSubIssues(github, issue)) }, options);
}
