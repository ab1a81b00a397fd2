/** What running one gate came to. */
export interface GateResult {
  readonly name: string;
  readonly command: string;
  readonly outcome: 'passed' | 'failed' | 'timed-out' | 'skipped';
  readonly exitCode: number | null;
  readonly durationMs: number;
  readonly output: string;
  /** Characters of output dropped from the start to keep memory bounded. */
  readonly dropped: number;
  /** Why a gate was skipped or timed out. */
  readonly reason?: string;
}

/** Whether a gate stopped the work (a skipped gate did not run, so it did not). */
export function failedGate(result: GateResult): boolean {
  return result.outcome === 'failed' || result.outcome === 'timed-out';
}

/** The first gate that failed or timed out, if any. */
export function firstFailure(results: readonly GateResult[]): GateResult | undefined {
  return results.find(failedGate);
}
