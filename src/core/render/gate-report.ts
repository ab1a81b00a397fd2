import type { Diagnostic } from '../gates/diagnostics.js';
import { maskSecrets } from '../gates/mask.js';
import { failedGate, type GateResult } from '../gates/result.js';
import { fenced, inlineText } from './markdown-text.js';

// How gate results read in a job summary, a check run, a pull request and an annotation. Every
// piece of gate output passes through the mask first.

const ICON: Record<GateResult['outcome'], string> = { passed: '✅', failed: '❌', 'timed-out': '⏱️', skipped: '⏭️' };
const CHECK_TEXT_LIMIT = 65_535;
/** Annotations per gate: enough to show what broke, bounded in API calls (50 per request). */
export const MAX_ANNOTATIONS = 250;

export function seconds(ms: number): string {
  return `${(ms / 1000).toFixed(1)} s`;
}

export function gateTable(results: readonly GateResult[]): string {
  const rows = results.map(
    (r) =>
      `| \`${inlineText(r.name)}\` | ${ICON[r.outcome]} ${r.outcome}${r.reason ? ` (${inlineText(r.reason)})` : ''} | ${seconds(r.durationMs)} |`,
  );
  return ['| Gate | Result | Time |', '| --- | --- | --- |', ...rows].join('\n');
}

/** The last lines of a gate's output, masked: what a failure report shows. */
const TAIL_LINES = 60;

export function outputTail(result: GateResult, secrets: readonly string[]): string {
  const text = maskSecrets(result.output, secrets).replace(/\n+$/, '');
  const tail = text.split('\n').slice(-TAIL_LINES).join('\n');
  const cut = result.dropped > 0 || tail.length < text.length;
  return cut ? `…\n${tail}` : tail;
}

export function gateSummary(title: string, results: readonly GateResult[], secrets: readonly string[]): string {
  const failed = results.filter(failedGate);
  const details = failed.map((r) =>
    [
      `<details><summary>${inlineText(r.name)}: last lines</summary>`,
      '',
      fenced(outputTail(r, secrets)),
      '',
      '</details>',
    ].join('\n'),
  );
  return [`### ${title}`, '', gateTable(results), '', ...details].join('\n');
}

export interface CheckOutput {
  readonly conclusion: 'success' | 'failure' | 'skipped' | 'timed_out';
  readonly title: string;
  readonly summary: string;
  readonly text: string;
}

export function gateCheckOutput(result: GateResult, secrets: readonly string[], diagnostics: number): CheckOutput {
  const conclusion = { passed: 'success', failed: 'failure', 'timed-out': 'timed_out', skipped: 'skipped' } as const;
  const title =
    result.outcome === 'passed'
      ? `${result.name} passed in ${seconds(result.durationMs)}`
      : result.outcome === 'skipped'
        ? `${result.name} skipped: ${result.reason}`
        : `${result.name} ${result.outcome === 'timed-out' ? 'timed out' : `failed (exit ${result.exitCode})`}`;
  const summary = [
    `\`${result.command}\``,
    diagnostics > 0 ? `${diagnostics} annotated problem${diagnostics === 1 ? '' : 's'}.` : '',
  ]
    .filter(Boolean)
    .join('\n\n');
  const masked = maskSecrets(result.output, secrets);
  const room = CHECK_TEXT_LIMIT - 40;
  const body = masked.length > room ? `…\n${masked.slice(masked.length - room)}` : masked;
  return { conclusion: conclusion[result.outcome], title, summary, text: body.trim() === '' ? '' : fenced(body) };
}

export function annotationsOf(diagnostics: readonly Diagnostic[], gate: string, secrets: readonly string[]) {
  return diagnostics.slice(0, MAX_ANNOTATIONS).map((d) => ({
    path: d.file,
    start_line: d.line,
    end_line: d.line,
    ...(d.column ? { start_column: d.column, end_column: d.column } : {}),
    annotation_level: d.level,
    message: maskSecrets(d.message, secrets).slice(0, 64_000),
    title: gate,
  }));
}
