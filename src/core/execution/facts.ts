import type { FailureRecord, RetryRecord } from './records.js';

// What GitHub says about an execution, in GitHub-free terms. The coordinator reads these; the
// core derives every status from them and nothing else.

export interface RunFact {
  readonly id: number;
  /** `queued`, `in_progress`, `completed`, … as GitHub reports it. */
  readonly status: string;
  readonly conclusion: string | null;
  readonly url: string;
  readonly createdAt: string;
  /** When it began running (GitHub's `run_started_at`), if GitHub says. */
  readonly startedAt?: string;
  /** When GitHub last changed it (`updated_at`): a completed run's end. */
  readonly updatedAt?: string;
}

export interface PullFact {
  readonly number: number;
  readonly url: string;
  readonly state: 'open' | 'closed';
  readonly merged: boolean;
  readonly headSha: string;
}

export interface Dated<T> {
  readonly record: T;
  readonly at: string;
  readonly url: string;
  /** The comment's id: comments are ordered by it exactly, where timestamps tie. */
  readonly order: number;
}

export interface StreamFacts {
  /** Head commit of the stream branch; its existence is the claim. */
  readonly branch?: string;
  readonly runs: readonly RunFact[];
  readonly pull?: PullFact;
  readonly failures: readonly Dated<FailureRecord>[];
  readonly retries: readonly Dated<RetryRecord>[];
  /** Issues outside the plan it waits for that are not closed as completed yet (`#123`). */
  readonly blockers?: readonly string[];
}

export const NO_FACTS: StreamFacts = { runs: [], failures: [], retries: [] };
