import { firstFailure } from '../core/gates/result.js';
import { gateSummary } from '../core/render/gate-report.js';
import { runGates } from './gate-runner.js';
import type { ActionRun } from './io.js';
import { reportChecks } from './stream.js';

// `mode: gate`, on pull requests: the configured gates on the pull request's head, one check run
// each with its annotations, and a summary table.

export interface GateModeOutcome {
  readonly failedGate?: string;
}

/** Which gates a pull request gets: those named in the input, else the task and stream gates. */
export function gatesForPull(run: ActionRun, names: readonly string[] | undefined): string[] {
  if (names && names.length > 0) return [...names];
  const configured = [...new Set([...run.config.taskGates, ...run.config.streamGates])];
  return configured.length > 0 ? configured : Object.keys(run.config.gates);
}

export async function runGateMode(run: ActionRun, headSha: string, names: readonly string[]): Promise<GateModeOutcome> {
  if (names.length === 0) {
    run.io.warning('no gates are configured: nothing to run');
    return {};
  }
  const results = await runGates(run.config.gates, names, {
    cwd: run.workspace,
    env: run.env,
    mask: (text) => run.masker.mask(text),
    sandbox: run.sandbox,
    onStart: (name) => run.io.info(`gate ${name}: started`),
  });
  await reportChecks(run, headSha, results);
  await run.io.summary(gateSummary('Gates', results));
  const failed = firstFailure(results);
  if (failed) {
    run.io.output('failed-gate', failed.name);
    return { failedGate: failed.name };
  }
  return {};
}
