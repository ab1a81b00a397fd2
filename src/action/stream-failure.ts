import type { FailureRecord } from '../core/execution/records.js';
import type { GateResult } from '../core/gates/result.js';

/** Why a stream stopped: the record its failure comment carries, and the gate results, if any. */
export class StreamFailure extends Error {
  constructor(
    readonly record: FailureRecord,
    readonly results: readonly GateResult[] = [],
  ) {
    super(record.reason);
  }
}
