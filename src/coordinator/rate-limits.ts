// Rate limits, for every Octokit the coordinator uses (the App's and the Action's): wait as long
// as GitHub says (`retry-after`) and try again, a bounded number of times. An answer that never
// comes helps no one; a dropped request loses work.

export const MAX_RATE_LIMIT_RETRIES = 3;

interface Limited {
  readonly method: string;
  readonly url: string;
}

type Warn = (message: string) => void;

export function rateLimitHandlers(warn: (octokit: unknown) => Warn) {
  const handler = (kind: string) => (retryAfter: number, request: Limited, octokit: unknown, retryCount: number) => {
    const retry = retryCount < MAX_RATE_LIMIT_RETRIES;
    warn(octokit)(
      `${kind} on ${request.method} ${request.url}: ${retry ? `retry ${retryCount + 1} in ${retryAfter}s` : 'giving up'}`,
    );
    return retry;
  };
  return { onRateLimit: handler('rate limit'), onSecondaryRateLimit: handler('secondary rate limit') };
}
