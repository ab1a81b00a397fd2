import type { GateResult } from '../gates/result.js';
import type { Stream } from '../model.js';
import { gateTable } from './gate-report.js';
import { inlineText } from './markdown-text.js';

// The stream pull request: which issue it serves, its tasks, and how its gates went.

export function streamPullTitle(stream: Stream, issue: number): string {
  return `Stream ${stream.id}: ${stream.title} (#${issue})`.slice(0, 250);
}

export function streamPullBody(
  stream: Stream,
  issue: number,
  gates: readonly GateResult[],
  runUrl: string | undefined,
): string {
  return [
    `Stream **${inlineText(stream.id)}** of #${issue}, carried out by Execution Coordinator${runUrl ? ` in [this run](${runUrl})` : ''}.`,
    '',
    '#### Tasks',
    ...stream.tasks.map((t) => `- ✅ \`${t.id}\` ${inlineText(t.title)}`),
    '',
    '#### Gates',
    gates.length > 0 ? gateTable(gates) : 'No gates are configured.',
    '',
    // A sub-issue's stream closes its sub-issue on merge (GitHub's closing keyword); the parent
    // stays open until every stream is done.
    ...(stream.issue !== undefined ? [`Closes #${stream.issue}`] : []),
    `Refs #${issue}`,
    '',
  ].join('\n');
}
