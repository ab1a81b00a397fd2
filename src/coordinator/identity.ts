// Who speaks for the coordinator: its App's bot, the Action's token, and GitHub's Actions bot
// (the default token's). Records and the status comment count only from them, never from any
// bot: another App installed on the repository could otherwise steer an execution.

export const ACTIONS_BOT = 'github-actions[bot]';

/** A check that trusts exactly these logins. */
export function trustOnly(...logins: readonly (string | undefined)[]): (author: string) => boolean {
  const known = new Set(logins.filter((login): login is string => login !== undefined && login !== ''));
  return (author) => known.has(author);
}

/**
 * Asks until GitHub answers, waiting longer each time (up to `maxWaitMs`): the identity is worth
 * waiting for, because work done without it would trust the wrong comments.
 */
export async function untilAnswered<T>(
  ask: () => Promise<T>,
  onRetry: (error: unknown, waitMs: number) => void,
  firstWaitMs = 250,
  maxWaitMs = 30_000,
): Promise<T> {
  for (let wait = firstWaitMs; ; wait = Math.min(maxWaitMs, wait * 2)) {
    try {
      return await ask();
    } catch (error) {
      onRetry(error, wait);
      await new Promise((resolve) => setTimeout(resolve, wait));
    }
  }
}
