import { describe, expect, it } from 'vitest';
import { largeBreakdown } from '../../bench/large-breakdown.js';
import type { StreamView } from '../../src/core/execution/status.js';
import { streamViews } from '../../src/core/execution/status.js';
import { MAX_BODY_CHARACTERS } from '../../src/core/model.js';
import { invalidBreakdownComment } from '../../src/core/render/comments.js';
import { fenced, inlineText } from '../../src/core/render/markdown-text.js';
import { mermaidGraph } from '../../src/core/render/mermaid.js';
import { renderStatusComment, type StatusReport } from '../../src/core/render/status-comment.js';
import { parseBreakdown, planExecution } from '../../src/index.js';

const gates = { task: ['lint'], stream: ['test'], system: [] };

function report(body: string, overrides: (views: Map<string, StreamView>) => void = () => undefined): StatusReport {
  const plan = planExecution(parseBreakdown(body));
  const streams = streamViews(plan, new Map(), { startDependents: 'on-complete' });
  overrides(streams);
  return { issue: 12, plan, streams, gates, state: 'active' };
}

describe('the status comment', () => {
  it('shows progress, the critical path, a section per stream and next actions', () => {
    const text = renderStatusComment(report('## Stream A: One\n- [x] a\n- [ ] b\n## Stream B\nAfter: A\n- [ ] c'));
    expect(text.startsWith('<!-- execution-coordinator:status -->\n')).toBe(true);
    expect(text).toContain('**Progress** `███████░░░░░░░░░░░░░` 1/3 tasks (33%)');
    expect(text).toContain('**Critical path** A → B (2 open tasks)');
    expect(text).toContain('#### 🟡 A · One: ready\nready to start · 1/2 tasks · gates `lint`, `test`');
    expect(text).toContain('- ✅ `A.1` a\n- ⬜ `A.2` b');
    expect(text).toContain('class s0 ready');
    expect(text).toContain('#### Next actions\n- A will start as soon as a slot is free (max-parallel).');
  });

  it('says so when nothing is gated', () => {
    const ungated = { ...report('## Stream A\n- [ ] a'), gates: { task: [], stream: [], system: [] } };
    expect(renderStatusComment(ungated)).toContain(
      '> No gates configured: every task is committed and ticked as `implement` leaves it, unchecked. Define `gates` in `.github/execution-coordinator.yml`.',
    );
    expect(renderStatusComment(report('## Stream A\n- [ ] a'))).not.toContain('No gates configured');
  });

  it('shows a failure with its gate and output tail, and how to retry', () => {
    const text = renderStatusComment(
      report('## Stream A\n- [ ] a', (views) => {
        const view = views.get('A') as StreamView;
        views.set('A', {
          ...view,
          status: 'failed',
          detail: 'gate `test` failed on task A.1',
          failure: {
            record: { stream: 'A', phase: 'run', reason: 'x', gate: 'test', tail: 'FAIL a.test.ts\n```\nend' },
            at: 't',
            url: 'https://x/1',
            order: 5,
          },
        });
      }),
    );
    expect(text).toContain('gates `lint`, ❌ `test`');
    expect(text).toContain('````text\nFAIL a.test.ts\n```\nend\n````');
    expect(text).toContain('Fix stream A, then comment `/execute retry A`.');
  });

  it('renders issue text as text: no HTML, no mentions', () => {
    const text = renderStatusComment(
      report('## Stream A: <img src=x onerror=alert(1)>\n- [ ] ping @octocat <details>'),
    );
    expect(text).toContain('A · &lt;img src=x onerror=alert(1)&gt;');
    expect(text).toContain('ping @\u200boctocat &lt;details&gt;');
    expect(text).not.toContain('<img');
  });

  it('never exceeds 65,536 characters, even for the largest breakdown with long failure output', () => {
    const text = renderStatusComment(
      report(largeBreakdown(), (views) => {
        for (const [id, view] of views) {
          views.set(id, {
            ...view,
            status: 'failed',
            failure: {
              record: { stream: id, phase: 'run', reason: 'r', tail: 'error line\n'.repeat(400) },
              at: 't',
              url: 'u',
              order: 5,
            },
          });
        }
      }),
    );
    expect(text.length).toBeLessThanOrEqual(MAX_BODY_CHARACTERS);
    expect(text).toContain('**Progress**');
  });
});

describe('mermaid and text helpers', () => {
  it('uses positional node ids and escapes labels', () => {
    const plan = planExecution(parseBreakdown('## end\n- [ ] a\n## Stream B: "quoted" #1\nAfter: end\n- [ ] b'));
    expect(mermaidGraph(plan.streams)).toBe(
      'flowchart LR\n  s0["end · end<br/>0/1 tasks"]\n  s1["B · #quot;quoted#quot; #35;1<br/>0/1 tasks"]\n  s0 --> s1',
    );
  });

  it('fences text with more backticks than it holds', () => {
    expect(fenced('a ```` b')).toBe('`````text\na ```` b\n`````');
    expect(inlineText('a & b')).toBe('a &amp; b');
  });
});

describe('the Mermaid graph', () => {
  it('declares each stream once, even when a breakdown repeats an id', () => {
    const { streams } = parseBreakdown('## Stream A\n- [ ] a\n## Stream A\n- [ ] b\n## Stream B\nAfter: A\n- [ ] c\n');
    const graph = mermaidGraph(streams);
    expect(graph.split('\n').filter((line) => /^ {2}s\d+\[/.test(line))).toEqual([
      '  s0["A · Stream A<br/>0/1 tasks"]',
      '  s1["B · Stream B<br/>0/1 tasks"]',
    ]);
  });
});

describe('the complaint about an invalid breakdown', () => {
  it('lists the first fifty problems and counts the rest, so it fits in a comment whatever the body', () => {
    const body = `## a\n${'- [ ] Task 1: t\n'.repeat(3000)}`;
    const { errors } = parseBreakdown(body);
    expect(errors.length).toBe(2999);
    const comment = invalidBreakdownComment(errors, 'execute');
    expect(comment).toContain('2999 problems in the issue body:');
    expect(comment).toContain('- … and 2949 more');
    expect(comment.split('\n').filter((l) => l.startsWith('- line'))).toHaveLength(50);
    expect(comment.length).toBeLessThan(MAX_BODY_CHARACTERS);
  });
});
