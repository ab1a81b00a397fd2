import { MARKERS } from '../core/execution/records.js';
import { refusalComment } from '../core/render/comments.js';
import type { IssueContext } from './context.js';
import { speaksForCoordinator } from './read-execution.js';

// A refusal tells someone without write access that nothing ran. One a person an issue an hour
// is enough: a flood of commands or labels from them gets one answer, not one comment each (each
// answer is a write, and GitHub allows 80 a minute). The hour is read from the issue's own
// comments, so every replica, and a restarted one, keeps to it.

export const REFUSAL_QUIET_MS = 60 * 60 * 1000;

/** Posts the refusal unless `login` got one on this issue within the hour; true when posted. */
export async function refuse(
  context: Pick<IssueContext, 'github' | 'issueNumber' | 'trusted'>,
  login: string,
  action: string,
  reason: string,
  options: { readonly next?: string; readonly now?: number } = {},
): Promise<boolean> {
  const now = options.now ?? Date.now();
  const { github, issueNumber } = context;
  const opening = `${MARKERS.refusal}\n@${login} cannot `;
  const recent = (await github.listComments(issueNumber)).some(
    (c) =>
      speaksForCoordinator(context, c) &&
      c.body.startsWith(opening) &&
      now - Date.parse(c.createdAt) < REFUSAL_QUIET_MS,
  );
  if (recent) return false;
  await github.createComment(issueNumber, refusalComment(login, action, reason, options.next));
  return true;
}
