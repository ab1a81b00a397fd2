import type { Config } from '../config/schema.js';
import type { TaskTrailers } from './ledger.js';
import type { FailureRecord } from './records.js';
import { formatUsage, sumUsage, tokensOf, type Usage } from './usage.js';

// The plan's recorded spend: what implementers reported for every task that passed (its commit's
// `Execute-Usage`) and for every task whose attempts ran out (its failure record). It counts what
// they report; the implement timeout is the bound on what they cannot be trusted to report.

export function planSpend(commits: readonly TaskTrailers[], failures: readonly FailureRecord[]): Usage {
  return sumUsage([
    ...commits.flatMap((c) => (c.usage ? [c.usage] : [])),
    ...failures.flatMap((f) => (f.usage ? [f.usage] : [])),
  ]);
}

/** Why no new task may start, when the spend has reached the budget; undefined while it has not. */
export function budgetReached(budget: Config['budget'], spend: Usage): string | undefined {
  if (!budget) return undefined;
  const usd = spend.costUsd ?? 0;
  const tokens = tokensOf(spend);
  const over: string[] = [];
  if (budget.usd !== undefined && usd >= budget.usd) over.push(`$${usd.toFixed(2)} of $${budget.usd} spent`);
  if (budget.tokens !== undefined && tokens >= budget.tokens)
    over.push(`${tokens.toLocaleString('en-US')} of ${budget.tokens.toLocaleString('en-US')} tokens used`);
  if (over.length === 0) return undefined;
  return `budget reached: ${over.join(', ')} (${formatUsage(spend)} recorded in all); raise \`budget\` in the configuration, then comment \`/execute retry <stream>\``;
}
