import mermaid from 'mermaid';
import { describe, expect, it } from 'vitest';
import type { RunFact, StreamFacts } from '../../src/core/execution/facts.js';
import { NO_FACTS } from '../../src/core/execution/facts.js';
import type { StreamStatus } from '../../src/core/execution/status.js';
import { criticalPathNow, executionTimeline, type Timeline } from '../../src/core/execution/timeline.js';
import type { Plan } from '../../src/core/model.js';
import { finalReportComment } from '../../src/core/render/comments.js';
import { duration, ganttChart, timelineSection } from '../../src/core/render/timeline.js';
import { parseBreakdown, planExecution } from '../../src/index.js';

// The timeline: each stream's start and end from its runs, the critical path now, the expected
// finish, and their text (a section of the status comment, the final report's gantt).

const CHAT = `## Stream A: Database foundation
- [x] Task 1: Message schema
- [x] Task 2: User associations

## Stream B: LiveView foundation
- [x] Task 3: LiveView module
- [ ] Task 4: Authentication

## Stream C: Real-time infrastructure
Depends on: Stream A, Stream B
- [ ] Task 5: PubSub integration
- [ ] Task 6: Message persistence

## Stream D: Advanced features
Depends on: Stream C
- [ ] Task 7: Presence
- [ ] Task 8: Message history
`;

const plan = (body: string): Plan => planExecution(parseBreakdown(body));
const t = (clock: string) => `2026-03-02T${clock}Z`;

let ids = 100;
function run(status: string, conclusion: string | null, created: string, started?: string, updated?: string): RunFact {
  return {
    id: ids++,
    status,
    conclusion,
    url: `https://github.com/acme/chat/actions/runs/${ids}`,
    createdAt: t(created),
    ...(started ? { startedAt: t(started) } : {}),
    updatedAt: t(updated ?? started ?? created),
  };
}

function input(
  body: string,
  streams: Record<string, { status: StreamStatus; runs?: RunFact[]; facts?: Partial<StreamFacts> }>,
) {
  const planned = plan(body);
  const views = new Map(planned.streams.map((s) => [s.id, { status: streams[s.id]?.status ?? 'blocked' }] as const));
  const facts = new Map(
    Object.entries(streams).map(([id, s]) => [id, { ...NO_FACTS, runs: s.runs ?? [], ...s.facts }] as const),
  );
  return { plan: planned, facts, streams: views };
}

describe('the timeline of an execution', () => {
  it('starts a stream with its first run and ends it with the run that completed it, across retries', () => {
    const timeline = executionTimeline(
      input(CHAT, {
        // A failed once, was retried, and its second run completed it.
        A: {
          status: 'done',
          runs: [
            run('completed', 'success', '10:20:00', '10:20:30', '10:31:00'),
            run('completed', 'failure', '10:00:00', '10:00:10', '10:12:00'),
          ],
        },
        B: { status: 'running', runs: [run('in_progress', null, '10:00:00', '10:00:20')] },
        C: { status: 'failed', runs: [run('completed', 'failure', '10:32:00', '10:32:05', '10:40:00')] },
        D: { status: 'running', runs: [run('queued', null, '10:41:00')] },
      }),
    );
    const spans = Object.fromEntries(timeline.streams.map((s) => [s.stream, s]));
    expect(spans.A).toMatchObject({ state: 'done', start: t('10:00:10'), end: t('10:31:00') });
    expect(spans.A?.runs.map((r) => r.conclusion)).toEqual(['failure', 'success']);
    expect(spans.B).toMatchObject({ state: 'running', start: t('10:00:20') });
    expect(spans.B?.end).toBeUndefined();
    expect(spans.C).toMatchObject({ state: 'failed', start: t('10:32:05'), end: t('10:40:00') });
    expect(spans.D).toMatchObject({ state: 'queued' });
    expect(spans.D?.start).toBeUndefined();
    // "Now" is the newest event among the facts; a queued run's creation is none.
    expect(timeline.now).toBe(t('10:40:00'));
  });

  it('gives a done stream no end while the run that completed it is still ending', () => {
    const timeline = executionTimeline(
      input(CHAT, { A: { status: 'done', runs: [run('in_progress', null, '10:00:00', '10:00:05')] } }),
    );
    expect(timeline.streams[0]).toMatchObject({ stream: 'A', state: 'done', start: t('10:00:05') });
    expect(timeline.streams[0]?.end).toBeUndefined();
  });

  it('counts the coordinator’s records as events: "now" is never the clock', () => {
    const at = t('11:00:00');
    const timeline = executionTimeline(
      input(CHAT, {
        A: {
          status: 'failed',
          runs: [run('completed', 'failure', '10:00:00', '10:00:05', '10:10:00')],
          facts: { failures: [{ record: { stream: 'A', phase: 'run', reason: 'r' }, at, url: 'u', order: 1 }] },
        },
      }),
    );
    expect(timeline.now).toBe(at);
  });
});

describe('the critical path now', () => {
  it('follows open tasks when the breakdown has no estimates, leaving done streams out', () => {
    // A is done; B has one task left, then C and D have two each.
    expect(criticalPathNow(plan(CHAT))).toEqual({ streams: ['B', 'C', 'D'], length: 5, unit: 'tasks' });
    const done = CHAT.replaceAll('- [ ]', '- [x]');
    expect(criticalPathNow(plan(done))).toEqual({ streams: [], length: 0, unit: 'tasks' });
  });

  it('follows estimates when the breakdown gives them', () => {
    const body = `## Stream A: Long (~3h)
- [ ] Task 1: One
## Stream B: Short (~30 min)
- [ ] Task 2: Two
## Stream C: After B (~2h)
Depends on: Stream B
- [ ] Task 3: Three
## Stream D: After A (~20 min)
Depends on: Stream A
- [ ] Task 4: Four
`;
    // A → D is 3 h 20 min; B → C only 2 h 30 min.
    expect(criticalPathNow(plan(body))).toEqual({ streams: ['A', 'D'], length: 200, unit: 'minutes' });
  });
});

describe('the expected finish', () => {
  it('is now plus the critical path’s estimated minutes, from estimates', () => {
    const body =
      '## Stream A: One (~1h)\n- [ ] Task 1: a\n## Stream B: Two (~30m)\nDepends on: Stream A\n- [ ] Task 2: b\n';
    const timeline = executionTimeline(
      input(body, { A: { status: 'running', runs: [run('in_progress', null, '12:00:00', '12:00:30')] } }),
    );
    expect(timeline.finish).toEqual({ basis: 'estimates', minutes: 90, at: t('13:30:30.000') });
  });

  it('is the open tasks on the critical path times the observed time per task, without estimates', () => {
    // A's runs took 10 + 6 minutes for its two tasks: 8 minutes a task. B runs: not measured yet.
    const timeline = executionTimeline(
      input(CHAT, {
        A: {
          status: 'done',
          runs: [
            run('completed', 'failure', '10:00:00', '10:00:00', '10:10:00'),
            run('completed', 'success', '10:11:00', '10:11:00', '10:17:00'),
          ],
        },
        B: { status: 'running', runs: [run('in_progress', null, '10:00:00', '10:00:00')] },
      }),
    );
    expect(timeline.finish).toEqual({
      basis: 'observed',
      minutes: 40,
      at: t('10:57:00.000'),
      perTask: { minutes: 8, tasks: 2 },
    });
  });

  it('is unknown with no estimates and no task finished by a completed run', () => {
    const timeline = executionTimeline(
      input(CHAT, { B: { status: 'running', runs: [run('in_progress', null, '10:00:00', '10:00:00')] } }),
    );
    expect(timeline.finish).toBeUndefined();
    expect(timelineSection(timeline, plan(CHAT))).toContain(
      '**Expected finish:** not known yet: the breakdown gives no estimates, and no finished run has ticked a task  ',
    );
  });
});

/** A's retry, B still running, C queued: as the status comment shows it mid-run. */
function midRun(): { timeline: Timeline; plan: Plan } {
  const facts = input(CHAT, {
    A: {
      status: 'done',
      runs: [
        run('completed', 'failure', '14:00:00', '14:00:04', '14:06:00'),
        run('completed', 'success', '14:07:00', '14:07:02', '14:12:00'),
      ],
    },
    B: { status: 'running', runs: [run('in_progress', null, '14:00:00', '14:00:06')] },
    C: { status: 'failed', runs: [run('completed', 'cancelled', '14:12:30', '14:12:40', '14:13:00')] },
  });
  return { timeline: executionTimeline(facts), plan: facts.plan };
}

describe('the timeline section of the status comment', () => {
  it('is a table of the streams that ran, then the critical path now and the expected finish', () => {
    const { timeline, plan: planned } = midRun();
    expect(timelineSection(timeline, planned).join('\n')).toBe(
      [
        '#### ⏱️ Timeline',
        '',
        '| Stream | Started | Ended | Duration |',
        '| --- | --- | --- | --- |',
        '| A · Database foundation | 14:00 | 14:12 | 12 min · 2 runs |',
        '| B · LiveView foundation | 14:00 | — | running |',
        '| C · Real-time infrastructure | 14:12 | 14:13 ❌ | 20 s, failed |',
        '',
        '**Critical path now:** B → C → D (5 open tasks)  ',
        // A's runs (356 s + 298 s) and C's (20 s), over A's 2 tasks: 337 s a task; 5 tasks ≈ 28 min after 14:13.
        '**Expected finish:** ≈ 14:41 UTC (from observed task durations: ≈ 6 min per task over 2 tasks)  ',
        'Times in UTC, as of 14:13 (the latest event).',
      ].join('\n'),
    );
  });

  it('says it is based on estimates when the breakdown gives them', () => {
    const body =
      '## Stream A: One (~1h)\n- [ ] Task 1: a\n## Stream B: Two (~30m)\nDepends on: Stream A\n- [ ] Task 2: b\n';
    const section = timelineSection(
      executionTimeline(
        input(body, { A: { status: 'running', runs: [run('in_progress', null, '23:50:00', '23:50:00')] } }),
      ),
      plan(body),
    );
    expect(section).toContain('**Critical path now:** A → B (≈ 1 h 30 min)  ');
    // The finish is on the next day: every time shows its date.
    expect(section).toContain('**Expected finish:** ≈ 2026-03-03 01:20 UTC (from estimates)  ');
    expect(section).toContain('| A · One (~1h) | 2026-03-02 23:50 | — | running |');
  });

  it('is left out until a stream has a run', () => {
    expect(timelineSection(executionTimeline(input(CHAT, {})), plan(CHAT))).toEqual([]);
  });

  it('formats durations in seconds, minutes and hours', () => {
    expect([0, 45_000, 89_000, 3_570_000, 5_400_000, 7_200_000].map(duration)).toEqual([
      '0 s',
      '45 s',
      '1 min',
      '1 h',
      '1 h 30 min',
      '2 h',
    ]);
  });
});

describe('the gantt of the final report', () => {
  it('draws a bar per run that started, a section per stream, in Mermaid’s syntax', async () => {
    const { timeline } = midRun();
    const chart = ganttChart(timeline) as string;
    const [a1, a2, b1, c1] = timeline.streams.flatMap((s) => s.runs.map((r) => r.id));
    expect(chart).toBe(
      [
        'gantt',
        '  dateFormat YYYY-MM-DDTHH:mm:ss',
        '  axisFormat %H:%M',
        '  todayMarker off',
        '  section A',
        `  run 1 (failure) :crit, r${a1}, 2026-03-02T14:00:04, 2026-03-02T14:06:00`,
        `  run 2 :done, r${a2}, 2026-03-02T14:07:02, 2026-03-02T14:12:00`,
        '  section B',
        // Still running: it ends at "now", the newest event.
        `  run 1 (running) :active, r${b1}, 2026-03-02T14:00:06, 2026-03-02T14:13:00`,
        '  section C',
        `  run 1 (cancelled) :crit, r${c1}, 2026-03-02T14:12:40, 2026-03-02T14:13:00`,
      ].join('\n'),
    );

    // Mermaid's own parser reads it, and its gantt model has each bar where the run was.
    expect(await mermaid.parse(chart)).toMatchObject({ diagramType: 'gantt' });
    const diagram = await mermaid.mermaidAPI.getDiagramFromText(chart);
    const tasks = (
      diagram.db as unknown as { getTasks(): { section: string; id: string; startTime: Date; endTime: Date }[] }
    ).getTasks();
    expect(
      tasks.map((task) => [task.section, task.id, (task.endTime.getTime() - task.startTime.getTime()) / 1000]),
    ).toEqual([
      ['A', `r${a1}`, 356],
      ['A', `r${a2}`, 298],
      ['B', `r${b1}`, 774],
      ['C', `r${c1}`, 20],
    ]);
  });

  it('is in the final report, and absent when nothing ran', () => {
    const { timeline, plan: planned } = midRun();
    const report = finalReportComment(planned, new Map(), { passed: 0, total: 0 }, timeline);
    expect(report).toContain('#### What ran\n\n```mermaid\ngantt\n  dateFormat YYYY-MM-DDTHH:mm:ss\n');
    expect(report).toContain('```\n\nOne bar per workflow run; times in UTC.\n');
    const nothing = executionTimeline(input(CHAT, {}));
    expect(finalReportComment(planned, new Map(), { passed: 0, total: 0 }, nothing)).not.toContain('gantt');
  });
});
