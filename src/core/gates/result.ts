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
