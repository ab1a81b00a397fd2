import { ledgerOf, type WorkLedger } from '../coordinator/ticks.js';
import { branchPrefix } from '../core/execution/branches.js';
import { ledgerCommits } from '../core/execution/ledger.js';
import type { Git } from './git.js';

/** The ledger from git itself: one fetch of every stream branch, one log; no API calls. */
export function gitLedger(git: Git, issueNumber: number): WorkLedger {
  const prefix = branchPrefix(issueNumber);
  return ledgerOf(async () => {
    const branches = await git.fetchBranches(prefix);
    // `git log` lists each commit once; a copy of one (a rebase, a squash) is the same work.
    return ledgerCommits(await git.messages(branches.map((b) => `refs/remotes/origin/${b}`)), issueNumber);
  });
}
