import type { Diagnostic } from '../gates/diagnostics.js';
import { failedGate, type GateResult } from '../gates/result.js';
import { fenced, inlineText } from './markdown-text.js';

// How gate results read in a job summary, a check run, a pull request and an annotation. Gate
// output arrives masked (the runner masks it before it cuts it), and whatever these texts become
// is masked again on its way out.

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

export function outputTail(result: GateResult): string {
  const text = result.output.replace(/\n+$/, '');
  const tail = text.split('\n').slice(-TAIL_LINES).join('\n');
  const cut = result.dropped > 0 || tail.length < text.length;
  return cut ? `…\n${tail}` : tail;
}

export function gateSummary(title: string, results: readonly GateResult[]): string {
  const failed = results.filter(failedGate);
  const details = failed.map((r) =>
    [`<details><summary>${inlineText(r.name)}: last lines</summary>`, '', fenced(outputTail(r)), '', '</details>'].join(
      '\n',
    ),
  );
  return [`### ${title}`, '', gateTable(results), '', ...details].join('\n');
}

export interface CheckOutput {
  readonly conclusion: 'success' | 'failure' | 'skipped' | 'timed_out';
  readonly title: string;
  readonly summary: string;
  readonly text: string;
}

export function gateCheckOutput(result: GateResult, diagnostics: number): CheckOutput {
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
  const { output } = result;
  const room = CHECK_TEXT_LIMIT - 40;
  const body = output.length > room ? `…\n${output.slice(output.length - room)}` : output;
  return { conclusion: conclusion[result.outcome], title, summary, text: body.trim() === '' ? '' : fenced(body) };
}

export function annotationsOf(diagnostics: readonly Diagnostic[], gate: string) {
  return diagnostics.slice(0, MAX_ANNOTATIONS).map((d) => ({
    path: d.file,
    start_line: d.line,
    end_line: d.line,
    ...(d.column ? { start_column: d.column, end_column: d.column } : {}),
    annotation_level: d.level,
    message: d.message.slice(0, 64_000),
    title: gate,
  }));
}
