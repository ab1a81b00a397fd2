import { describe, expect, it } from 'vitest';
import { parseBreakdown } from '../../src/core/breakdown/parse.js';
import type { Stream } from '../../src/core/model.js';
import { criticalPathFirst, remainingPaths, streamWeights } from '../../src/core/plan/schedule.js';

// Critical path first: weights are remaining work, paths run to the end of the graph, and the
// ready streams start longest path first, ties in document order.

const streams = (body: string): Stream[] => parseBreakdown(body).streams;
const ids = (all: readonly Stream[]) => all.map((s) => s.id);

describe('stream weights', () => {
  it('scales a stated estimate by the share of tasks still open', () => {
    const all = streams(
      '## Stream A: Setup (~2h)\n- [x] Task 1: One\n- [ ] Task 2: Two\n- [ ] Task 3: Three\n- [ ] Task 4: Four\n',
    );
    expect(streamWeights(all).get('A')).toBe(90);
  });

  it('sums the open tasks’ estimates, counting a task without one as the mean of the others', () => {
    const all = streams(
      '## Stream A\n- [x] Task 1: Done (~60 min)\n- [ ] Task 2: Two (~20 min)\n- [ ] Task 3: Three (~40 min)\n- [ ] Task 4: Four\n',
    );
    // The mean of 60, 20 and 40 is 40: 20 + 40 + 40 open.
    expect(streamWeights(all).get('A')).toBe(100);
  });

  it('weighs a stream without estimates by its open tasks times the estimated streams’ minutes per task', () => {
    const all = streams(
      [
        '## Stream A: Setup (~1h)\n- [ ] Task 1: One\n- [ ] Task 2: Two\n',
        '## Stream B\n- [ ] Task 3: Three (~10 min)\n- [ ] Task 4: Four (~30 min)\n',
        '## Stream C\n- [ ] Task 5: Five\n- [ ] Task 6: Six\n- [x] Task 7: Seven\n',
      ].join('\n'),
    );
    // 100 minutes over 4 estimated tasks: 25 a task, and C has 2 open.
    expect(Object.fromEntries(streamWeights(all))).toEqual({ A: 60, B: 40, C: 50 });
  });

  it('counts open tasks when nothing has an estimate', () => {
    const all = streams('## Stream A\n- [ ] Task 1: One\n- [x] Task 2: Two\n- [ ] Task 3: Three\n');
    expect(streamWeights(all).get('A')).toBe(2);
  });
});

describe('critical path first', () => {
  const chain = [
    '## Stream A: Polish (~2h)\n- [ ] Task 1: Tidy\n',
    '## Stream B: Schema (~30 min)\n- [ ] Task 2: Write it\n',
    '## Stream C: Service\nDepends on: B\nEstimate: 3h\n- [ ] Task 3: Build it\n',
    '## Stream D: Docs\nDepends on: A, C\n- [ ] Task 4: Write them (~15 min)\n',
  ].join('\n');

  it('gives each stream its weight plus the longest of its dependents’ paths', () => {
    expect(Object.fromEntries(remainingPaths(streams(chain)))).toEqual({ A: 135, B: 225, C: 195, D: 15 });
  });

  it('starts the longer path first even when it comes later in the document', () => {
    const all = streams(chain);
    expect(criticalPathFirst(all, ['A', 'B'])).toEqual(['B', 'A']);
    expect(criticalPathFirst(all, ['D', 'A', 'C'])).toEqual(['C', 'A', 'D']);
  });

  it('weighs by open task count without estimates, and breaks ties by document order', () => {
    const all = streams(
      [
        '## Stream A\n- [ ] Task 1: One\n- [ ] Task 2: Two\n',
        '## Stream B\n- [ ] Task 3: Three\n',
        '## Stream C\nDepends on: B\n- [ ] Task 4: Four\n- [ ] Task 5: Five\n',
        '## Stream D\n- [ ] Task 6: Six\n- [x] Task 7: Seven\n- [ ] Task 8: Eight\n',
      ].join('\n'),
    );
    expect(Object.fromEntries(remainingPaths(all))).toEqual({ A: 2, B: 3, C: 2, D: 2 });
    expect(criticalPathFirst(all, ['D', 'A', 'B'])).toEqual(['B', 'A', 'D']);
  });

  it('leaves ids the breakdown does not have last, and tolerates a cycle', () => {
    const all = streams(
      '## Stream A\nDepends on: B\n- [ ] Task 1: One\n\n## Stream B\nDepends on: A\n- [ ] Task 2: Two\n',
    );
    expect(ids(all)).toEqual(['A', 'B']);
    expect(criticalPathFirst(all, ['zz', 'B', 'A'])).toEqual(['A', 'B', 'zz']);
  });

  it('is linear-ish: a chain of 20,000 streams orders in well under a second', () => {
    const many = Array.from({ length: 20_000 }, (_, i) => ({
      id: `S${i}`,
      title: `S${i}`,
      line: i + 1,
      dependsOn: i === 0 ? [] : [`S${i - 1}`],
      gates: [],
      tasks: [{ id: `S${i}.1`, title: 'x', line: i + 1, done: false, subtasks: [] }],
    }));
    const start = performance.now();
    expect(remainingPaths(many).get('S0')).toBe(20_000);
    expect(performance.now() - start).toBeLessThan(1000);
  });
});
