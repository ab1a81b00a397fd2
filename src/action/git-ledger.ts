import type { Ledger } from '../coordinator/ticks.js';
import { branchPrefix } from '../core/execution/branches.js';
import { ledgerTasks } from '../core/execution/ledger.js';
import type { Git } from './git.js';

/** The ledger from git itself: one fetch of every stream branch, one log; no API calls. */
export function gitLedger(git: Git, issueNumber: number): Ledger {
  const prefix = branchPrefix(issueNumber);
  return {
    async tasks() {
      const branches = await git.fetchBranches(prefix);
      return ledgerTasks(await git.messages(branches.map((b) => `refs/remotes/origin/${b}`)), issueNumber);
    },
  };
}
