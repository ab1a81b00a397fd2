import { ProbotOctokit } from 'probot';
import { rateLimitHandlers } from '../coordinator/rate-limits.js';

// Rate limits: wait as long as GitHub says (`retry-after`) and try again, a bounded number of
// times. Probot hands every Octokit it builds throttle options whose secondary-limit handler only
// logs (the request is then dropped), so ours are set in the function form of `defaults`, which
// runs after Probot's and keeps the rest of its options (Redis for shared throttling).

interface Logs {
  readonly log: { warn: (message: string) => void };
}

export interface CoordinatorOctokitOptions {
  /** Milliseconds per second of `retry-after` and of retry back-off; tests shorten it. */
  readonly retryAfterBaseValue?: number;
  /**
   * Bottleneck groups for plugin-throttling (`write`, `notifications`, …). By default writes are
   * spaced a second apart and notifying writes three, as GitHub asks; tests pass unspaced ones.
   */
  readonly limiters?: Record<string, unknown>;
}

export function createCoordinatorOctokit(options: CoordinatorOctokitOptions = {}): typeof ProbotOctokit {
  const handlers = rateLimitHandlers((octokit) => (message) => (octokit as Logs).log.warn(message));
  const base = options.retryAfterBaseValue === undefined ? {} : { retryAfterBaseValue: options.retryAfterBaseValue };
  return ProbotOctokit.defaults((instance: Record<string, unknown>) => ({
    ...instance,
    throttle: {
      ...(instance.throttle as object | undefined),
      ...base,
      ...options.limiters,
      ...handlers,
    },
    retry: { ...(instance.retry as object | undefined), ...base },
  })) as typeof ProbotOctokit;
}

export const CoordinatorOctokit: typeof ProbotOctokit = createCoordinatorOctokit();
