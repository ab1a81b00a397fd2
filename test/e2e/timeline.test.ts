import mermaid from 'mermaid';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { MARKERS } from '../../src/core/execution/records.js';
import { CHAT, startWorld, type World } from '../simulator/world.js';

vi.setConfig({ testTimeout: 180_000 });

let world: World | undefined;
afterEach(async () => {
  await world?.close();
  world = undefined;
});

const TIME = '(?:\\d{4}-\\d\\d-\\d\\d )?\\d\\d:\\d\\d';

describe('the timeline, through the App on a simulated GitHub', () => {
  it('shows when each stream ran in the status comment, and a gantt of every run in the final report', async () => {
    world = await startWorld();
    const { simulator, runner, api, settle } = world;
    const { fake } = simulator;
    const comment = (marker: string) => fake.commentsOn(12).find((c) => c.body.startsWith(marker))?.body ?? '';
    runner.env.FAIL_AT = 'C.5';
    fake.addIssue(12, CHAT, [], 'Chat system');
    await api('POST', '/repos/acme/chat/issues/12/labels', { labels: ['execute'] });
    await settle();

    // C failed on its first task: A and B ran and ended, C ended failed, D never started.
    const status = comment(MARKERS.status);
    expect(status).toContain('#### ⏱️ Timeline\n\n| Stream | Started | Ended | Duration |\n| --- | --- | --- | --- |\n');
    expect(status).toMatch(new RegExp(`\\| A · Database foundation \\| ${TIME} \\| ${TIME} \\| \\d+ (s|min) \\|`));
    expect(status).toMatch(new RegExp(`\\| B · LiveView foundation \\| ${TIME} \\| ${TIME} \\| \\d+ (s|min) \\|`));
    expect(status).toMatch(
      new RegExp(`\\| C · Real-time infrastructure \\| ${TIME} \\| ${TIME} ❌ \\| \\d+ (s|min), failed \\|`),
    );
    expect(status).not.toContain('| D · ');
    // No estimates in the breakdown: the pace of A's and B's runs, four tasks, gives the finish.
    expect(status).toContain('**Critical path now:** C → D (4 open tasks)  ');
    expect(status).toMatch(
      new RegExp(
        `\\*\\*Expected finish:\\*\\* ≈ ${TIME} UTC \\(from observed task durations: ≈ \\d+ (s|min) per task over 4 tasks\\)`,
      ),
    );
    expect(status).toMatch(new RegExp(`Times in UTC, as of ${TIME} \\(the latest event\\)\\.`));
    // Rewritten by the next event with nothing new, it stays the same text.
    await api('POST', '/repos/acme/chat/issues/12/comments', { body: '/execute status' });
    await settle();
    expect(comment(MARKERS.status)).toBe(status);

    delete runner.env.FAIL_AT;
    await api('POST', '/repos/acme/chat/issues/12/comments', { body: '/execute retry C' });
    await settle();
    expect(fake.issue(12).labels).toEqual(['executed']);

    // Every stream ended; C took two runs; nothing is left on the critical path.
    const done = comment(MARKERS.status);
    expect(done).toMatch(
      new RegExp(`\\| C · Real-time infrastructure \\| ${TIME} \\| ${TIME} \\| \\d+ (s|min) · 2 runs \\|`),
    );
    expect(done).toMatch(new RegExp(`\\| D · Advanced features \\| ${TIME} \\| ${TIME} \\| \\d+ (s|min) \\|`));
    expect(done).toMatch(new RegExp(`\\| system \\| ${TIME} \\| (${TIME}|—) \\|`));
    expect(done).toContain('**Critical path now:** none: no stream has work left  ');
    expect(done).not.toContain('**Expected finish:**');

    // The final report's gantt: a bar per run, as the runner ran them, C's failed run marked.
    const final = comment(MARKERS.final);
    const chart = /```mermaid\n(gantt\n[\s\S]*?)\n```/.exec(final)?.[1] ?? '';
    const ids = new Map(runner.records.map((r) => [r.run.id, r.run]));
    const bars = chart
      .split('\n')
      .filter((line) => /^ {2}run \d/.test(line))
      .map((line) => /^ {2}(run \d+(?: \(\w+\))?) :(\w+), r(\d+), (\S+), (\S+)$/.exec(line)?.slice(1) ?? [line]);
    expect(bars.map(([name, tag, id]) => [ids.get(Number(id))?.inputs.stream, name, tag])).toEqual([
      ['A', 'run 1', 'done'],
      ['B', 'run 1', 'done'],
      ['C', 'run 1 (failure)', 'crit'],
      ['C', 'run 2', 'done'],
      ['D', 'run 1', 'done'],
      // The integration pull request, and so the report, comes before its run ends.
      ['system', expect.stringMatching(/^run 1( \(running\))?$/), expect.stringMatching(/^(done|active)$/)],
    ]);
    // From the run's start to its end, to the second (a run still going ends at the latest event).
    for (const [, tag, id, start, end] of bars) {
      const run = ids.get(Number(id));
      expect(start).toBe(run?.startedAt?.slice(0, 19));
      if (tag === 'active') expect(Date.parse(`${end}Z`)).toBeLessThanOrEqual(Date.parse(run?.updatedAt ?? ''));
      else expect(end).toBe(run?.updatedAt?.slice(0, 19));
    }
    expect(chart).toMatch(/ {2}section A\n[\s\S]* {2}section B\n[\s\S]* {2}section C\n[\s\S]* {2}section D\n/);
    expect(await mermaid.parse(chart)).toMatchObject({ diagramType: 'gantt' });
  });
});
