import type { StreamStatus } from '../execution/status.js';
import type { Stream } from '../model.js';

// A Mermaid flowchart of the streams, dependencies pointing at dependents. Node ids are
// positional (`s0`, `s1`): stream ids such as `end` or `graph` are Mermaid keywords.

/** A stream's state, as the status derives it. */
export type StreamState = StreamStatus;

const STYLES: Record<StreamState, string> = {
  done: 'fill:#d3f9d8,stroke:#2b8a3e,color:#1b4332',
  running: 'fill:#d0ebff,stroke:#1c7ed6,color:#0b3d91',
  ready: 'fill:#fff3bf,stroke:#f08c00,color:#5c3c00',
  blocked: 'fill:#f1f3f5,stroke:#868e96,color:#343a40',
  failed: 'fill:#ffe3e3,stroke:#e03131,color:#7d1a1a',
};

export function mermaidGraph(streams: readonly Stream[], stateOf?: (stream: Stream) => StreamState): string {
  const node = new Map<string, string>();
  for (const stream of streams) if (!node.has(stream.id)) node.set(stream.id, `s${node.size}`);
  const lines = ['flowchart LR'];
  const declared = new Set<string>();
  for (const stream of streams) {
    // One node per id: a repeated id (an error in the breakdown) is the same node.
    if (declared.has(stream.id)) continue;
    declared.add(stream.id);
    const done = stream.tasks.filter((t) => t.done).length;
    const label = `${stream.id} · ${stream.title}<br/>${done}/${stream.tasks.length} tasks`;
    lines.push(`  ${node.get(stream.id)}["${escapeLabel(label)}"]`);
  }
  for (const stream of streams) {
    for (const dependency of stream.dependsOn) {
      const from = node.get(dependency);
      if (from) lines.push(`  ${from} --> ${node.get(stream.id)}`);
    }
  }
  if (stateOf) {
    const byState = new Map<StreamState, string[]>();
    for (const stream of streams) {
      const state = stateOf(stream);
      byState.set(state, [...(byState.get(state) ?? []), node.get(stream.id) as string]);
    }
    for (const [state, nodes] of byState) {
      lines.push(`  classDef ${state} ${STYLES[state]}`, `  class ${[...new Set(nodes)].join(',')} ${state}`);
    }
  }
  return lines.join('\n');
}

/** Issue text in a quoted label: Mermaid's entity codes, so no character can close the label. */
function escapeLabel(text: string): string {
  return text
    .replace(/[\r\n]+/g, ' ')
    .replaceAll('#', '#35;')
    .replaceAll('"', '#quot;')
    .replace(/<(?!br\/>)/g, '#lt;')
    .replace(/(?<!<br\/)>/g, '#gt;');
}
