import { sumUsage, type Usage } from '../core/execution/usage.js';
import { parseDiagnostics } from '../core/gates/diagnostics.js';
import type { GateResult } from '../core/gates/result.js';
import { failedGate, firstFailure } from '../core/gates/result.js';
import { gateSummary, outputTail } from '../core/render/gate-report.js';
import type { ActionRun } from './io.js';
import { StreamFailure } from './stream-failure.js';

// Gates that fail send the work back to the implementer: it runs again with what failed in its
// context file, then the gates again, up to `fix-attempts` more times. Every attempt's evidence
// goes to the job summary; only work that passed is committed.

/** What one failed attempt left for the next: the gates that failed, their output and problems. */
export interface AttemptEvidence {
  readonly attempt: number;
  readonly failedGates: readonly {
    readonly name: string;
    readonly outcome: GateResult['outcome'];
    readonly reason?: string;
    readonly tail: string;
    readonly annotations: readonly {
      readonly file: string;
      readonly line: number;
      readonly column?: number;
      readonly level: string;
      readonly message: string;
    }[];
  }[];
}

export interface FixLoop {
  /** What is being made to pass, for logs and summaries: `task A.2`, `stream A's gates`. */
  readonly label: string;
  /** How many more tries after the first. */
  readonly fixAttempts: number;
  /** Runs `implement` for an attempt; absent when there is no implementer to fix anything. */
  readonly implement?: (attempt: number, evidence: readonly AttemptEvidence[]) => Promise<Usage | undefined>;
  /** Whether the first attempt runs `implement` (a task) or only the gates (the stream's gates). */
  readonly implementFirst: boolean;
  /** The gates for an attempt (a fix of the stream's gates runs the task gates too). */
  readonly gates: (attempt: number) => Promise<GateResult[]>;
}

export type LoopOutcome = {
  readonly passed: boolean;
  readonly results: GateResult[];
  /** The attempt that passed, or the last one tried. */
  readonly attempt: number;
  /** What every attempt's `implement` reported, summed; undefined when none reported. */
  readonly usage?: Usage;
};

/** The annotations kept per gate in the context file: enough to act on, bounded. */
const ANNOTATIONS_KEPT = 20;

export async function untilGatesPass(run: ActionRun, loop: FixLoop): Promise<LoopOutcome> {
  const evidence: AttemptEvidence[] = [];
  const usages: Usage[] = [];
  const tries = loop.implement ? 1 + loop.fixAttempts : 1;
  for (let attempt = 1; ; attempt++) {
    if (loop.implement && (attempt > 1 || loop.implementFirst)) {
      let usage: Usage | undefined;
      try {
        usage = await loop.implement(attempt, evidence);
      } catch (error) {
        throw withEarlierSpend(error, usages, attempt);
      }
      if (usage) usages.push(usage);
    }
    const results = await loop.gates(attempt);
    const usage = usages.length > 0 ? sumUsage(usages) : undefined;
    const failed = firstFailure(results);
    if (!failed) {
      if (attempt > 1) run.io.info(`${loop.label}: the gates passed on attempt ${attempt}`);
      return { passed: true, results, attempt, ...(usage ? { usage } : {}) };
    }
    evidence.push(evidenceOf(run, attempt, results));
    await run.io.summary(gateSummary(`${capitalized(loop.label)}: attempt ${attempt} of ${tries} failed`, results));
    if (attempt >= tries) return { passed: false, results, attempt, ...(usage ? { usage } : {}) };
    run.io.info(
      `${loop.label}: gate ${failed.name} ${failed.outcome === 'timed-out' ? 'timed out' : 'failed'} on attempt ${attempt}; implement tries again (attempt ${attempt + 1} of ${tries})`,
    );
  }
}

/** A stream stopped by a later attempt still owes what the earlier ones spent. */
function withEarlierSpend(error: unknown, usages: readonly Usage[], attempt: number): unknown {
  if (!(error instanceof StreamFailure) || usages.length === 0) return error;
  const usage = sumUsage([...usages, ...(error.record.usage ? [error.record.usage] : [])]);
  return new StreamFailure({ ...error.record, usage, attempts: attempt }, error.results);
}

function evidenceOf(run: ActionRun, attempt: number, results: readonly GateResult[]): AttemptEvidence {
  return {
    attempt,
    failedGates: results.filter(failedGate).map((result) => ({
      name: result.name,
      outcome: result.outcome,
      ...(result.reason ? { reason: result.reason } : {}),
      tail: outputTail(result),
      annotations: parseDiagnostics(result.output, run.workspace)
        .slice(0, ANNOTATIONS_KEPT)
        .map((d) => ({
          file: d.file,
          line: d.line,
          ...(d.column ? { column: d.column } : {}),
          level: d.level,
          message: d.message,
        })),
    })),
  };
}

function capitalized(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}
