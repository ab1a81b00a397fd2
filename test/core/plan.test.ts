import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { blockers, isStreamDone, PlanSchema, parseBreakdown, planExecution, readyStreams } from '../../src/index.js';

const chat = readFileSync(new URL('../../examples/chat-system.md', import.meta.url), 'utf8');
const plan = (body: string) => planExecution(parseBreakdown(body));
const stream = (id: string, tasks: string, deps = '') =>
  [
    `## Stream ${id}`,
    deps && `Depends on: ${deps}`,
    ...tasks.split('').map((c, i) => `- [${c === 'x' ? 'x' : ' '}] t${i}`),
  ]
    .filter(Boolean)
    .join('\n');

describe('planExecution', () => {
  it("plans the spec's chat system exactly as design.md shows", () => {
    const result = plan(chat);
    expect(PlanSchema.parse(result)).toEqual(result);
    expect(result.waves).toEqual([['A', 'B'], ['C'], ['D']]);
    expect(result.criticalPath).toEqual(['A', 'C', 'D']);
    expect(result.progress).toEqual({ done: 0, total: 8 });
    expect(result.errors).toEqual([]);
    expect(result.streams[2]).toEqual({
      id: 'C',
      title: 'Real-time infrastructure',
      line: 9,
      dependsOn: ['A', 'B'],
      gates: [],
      tasks: [
        { id: 'C.5', title: 'Task 5: PubSub integration', line: 11, done: false, subtasks: [] },
        { id: 'C.6', title: 'Task 6: Message persistence', line: 12, done: false, subtasks: [] },
      ],
    });
  });

  it('measures the critical path in open tasks, not streams', () => {
    const body = [stream('A', '...'), stream('B', '.'), stream('C', '.', 'B'), stream('D', '.', 'A, C')].join('\n');
    expect(plan(body).criticalPath).toEqual(['A', 'D']);
  });

  it('breaks ties by document order, at the start and at each step', () => {
    const body = [stream('A', '..'), stream('B', '..'), stream('C', '.', 'A'), stream('D', '.', 'A, B')].join('\n');
    expect(plan(body).criticalPath).toEqual(['A', 'C']);
  });

  it('does not count finished streams at the head of the path', () => {
    const body = [stream('A', 'xx'), stream('B', '.'), stream('C', '..', 'A')].join('\n');
    expect(plan(body).criticalPath).toEqual(['C']);
  });

  it('has an empty critical path when every task is done', () => {
    expect(plan(stream('A', 'xx')).criticalPath).toEqual([]);
  });

  it('counts tasks, not subtasks, in progress', () => {
    expect(plan('- [x] a\n  - [x] sub\n  - [ ] sub\n- [ ] b').progress).toEqual({ done: 1, total: 2 });
  });

  it('leaves streams in or after a cycle out of the waves', () => {
    const body = [
      stream('A', '.'),
      stream('B', '.', 'C'),
      stream('C', '.', 'B'),
      stream('D', '.', 'C'),
      stream('E', '.', 'A'),
    ].join('\n');
    const result = plan(body);
    expect(result.waves).toEqual([['A'], ['E']]);
    expect(result.errors.map((e) => e.message)).toEqual(['dependency cycle: B → C → B']);
  });

  it('lists the streams of a wave in document order', () => {
    const body = [stream('Z', '.'), stream('M', '.'), stream('A', '.', 'Z, M'), stream('B', '.', 'M')].join('\n');
    expect(plan(body).waves).toEqual([
      ['Z', 'M'],
      ['A', 'B'],
    ]);
  });
});

describe('readiness', () => {
  const breakdown = parseBreakdown(chat);

  it('starts the streams with no dependencies', () => {
    expect(readyStreams(breakdown, new Set())).toEqual(['A', 'B']);
  });

  it('starts a stream once all its dependencies are complete, not before', () => {
    expect(readyStreams(breakdown, new Set(['A']), new Set(['B']))).toEqual([]);
    expect(readyStreams(breakdown, new Set(['A', 'B']))).toEqual(['C']);
  });

  it('never offers a stream that is complete or already started', () => {
    expect(readyStreams(breakdown, new Set(['A', 'B', 'C']), new Set(['D']))).toEqual([]);
    expect(readyStreams(breakdown, new Set(['A', 'B', 'C', 'D']))).toEqual([]);
  });

  it('names what a stream waits for', () => {
    const c = breakdown.streams.find((s) => s.id === 'C');
    expect(c && blockers(c, new Set(['B']))).toEqual(['A']);
  });

  it('sees a stream with every task ticked as done', () => {
    const [a, b] = parseBreakdown(`${stream('A', 'xx')}\n${stream('B', 'x.')}`).streams;
    expect([a && isStreamDone(a), b && isStreamDone(b)]).toEqual([true, false]);
  });
});
