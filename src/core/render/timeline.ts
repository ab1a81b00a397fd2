import type { RunSpan, StreamSpan, Timeline } from '../execution/timeline.js';
import type { Plan } from '../model.js';
import { inlineText } from './markdown-text.js';

// The timeline as text: a section of the status comment (when each stream ran, the critical path
// now, the expected finish) and the final report's Mermaid gantt of every run. Times are UTC,
// taken from the timeline alone, so the same timeline always renders the same text.

/** The status comment's section; empty until some stream has a run. */
export function timelineSection(timeline: Timeline, plan: Plan): string[] {
  if (timeline.streams.length === 0) return [];
  const time = clock(timelineTimes(timeline));
  const title = (id: string) => {
    const stream = plan.streams.find((s) => s.id === id);
    const name = stream ? `${inlineText(id)} · ${inlineText(stream.title)}` : inlineText(id);
    return name.replaceAll('|', '\\|');
  };
  const rows = timeline.streams.map((span) => {
    const [ended, length] = endAndDuration(span, time);
    const runs = span.runs.length > 1 ? ` · ${span.runs.length} runs` : '';
    return `| ${title(span.stream)} | ${span.start ? time(span.start) : '—'} | ${ended} | ${length}${runs} |`;
  });
  return [
    '#### ⏱️ Timeline',
    '',
    '| Stream | Started | Ended | Duration |',
    '| --- | --- | --- | --- |',
    ...rows,
    '',
    `**Critical path now:** ${criticalPathText(timeline)}  `,
    ...(timeline.criticalPath.streams.length > 0 ? [`**Expected finish:** ${finishText(timeline, time)}  `] : []),
    timeline.now ? `Times in UTC, as of ${time(timeline.now)} (the latest event).` : 'Times in UTC.',
  ];
}

function endAndDuration(span: StreamSpan, time: (iso: string) => string): [string, string] {
  if (span.state === 'queued') return ['—', 'queued'];
  if (span.state === 'running') return ['—', 'running'];
  if (!span.start || !span.end) return ['—', span.state === 'done' ? 'run ending' : '—'];
  const length = duration(Date.parse(span.end) - Date.parse(span.start));
  return span.state === 'failed' ? [`${time(span.end)} ❌`, `${length}, failed`] : [time(span.end), length];
}

function criticalPathText(timeline: Timeline): string {
  const { streams, length, unit } = timeline.criticalPath;
  if (streams.length === 0) return 'none: no stream has work left';
  const chain = streams.map(inlineText).join(' → ');
  if (unit === 'minutes') return `${chain} (≈ ${duration(length * 60_000)})`;
  return `${chain} (${length} open ${length === 1 ? 'task' : 'tasks'})`;
}

function finishText(timeline: Timeline, time: (iso: string) => string): string {
  const { finish } = timeline;
  if (!finish) return 'not known yet: the breakdown gives no estimates, and no finished run has ticked a task';
  const when = finish.at
    ? `≈ ${time(finish.at)} UTC`
    : `≈ ${duration(finish.minutes * 60_000)} after the first run starts`;
  if (finish.basis === 'estimates') return `${when} (from estimates)`;
  const pace = finish.perTask
    ? `: ≈ ${duration(finish.perTask.minutes * 60_000)} per task over ${finish.perTask.tasks} ${finish.perTask.tasks === 1 ? 'task' : 'tasks'}`
    : '';
  return `${when} (from observed task durations${pace})`;
}

/** How many bars the gantt draws at most: a comment (and Mermaid's input) has a size limit. */
export const GANTT_BARS = 200;

/** The final report's section: a Mermaid gantt with a bar per run, a section per stream. */
export function whatRanSection(timeline: Timeline): string[] {
  const chart = ganttChart(timeline);
  if (chart === undefined) return [];
  const drawn = timeline.streams.flatMap((s) => s.runs).filter((r) => r.start).length;
  const more = drawn > GANTT_BARS ? ` The first ${GANTT_BARS} of ${drawn} runs are drawn.` : '';
  return ['#### What ran', '', '```mermaid', chart, '```', '', `One bar per workflow run; times in UTC.${more}`, ''];
}

/**
 * A Mermaid gantt of the runs that started: from start to end (to `now` for one still running),
 * done, failed (`crit`) or running (`active`). Dates are ISO without a zone, read as UTC: a zone
 * would make Mermaid's strict date parsing depend on the reader's time zone. Undefined when no
 * run started.
 */
export function ganttChart(timeline: Timeline): string | undefined {
  const bars: { section: string; line: string; start: string; end: string }[] = [];
  for (const span of timeline.streams) {
    for (const [index, run] of span.runs.entries()) {
      if (!run.start || bars.length >= GANTT_BARS) continue;
      const end = run.end ?? later(timeline.now ?? run.start, run.start);
      const tag = run.end === undefined ? 'active' : run.conclusion === 'success' ? 'done' : 'crit';
      const name = `run ${index + 1}${barNote(run)}`;
      bars.push({
        section: span.stream,
        start: run.start,
        end,
        line: `  ${name} :${tag}, r${run.id}, ${iso(run.start)}, ${iso(end)}`,
      });
    }
  }
  if (bars.length === 0) return undefined;
  const times = bars.flatMap((b) => [b.start, b.end]).map(Date.parse);
  const span = Math.max(...times) - Math.min(...times);
  const days = new Set(bars.flatMap((b) => [b.start.slice(0, 10), b.end.slice(0, 10)]));
  const axis = days.size > 1 ? '%m-%d %H:%M' : span < 10 * 60_000 ? '%H:%M:%S' : '%H:%M';
  const lines = ['gantt', '  dateFormat YYYY-MM-DDTHH:mm:ss', `  axisFormat ${axis}`, '  todayMarker off'];
  let section: string | undefined;
  for (const bar of bars) {
    // Stream ids are letters, digits, `_` and `-`: nothing that ends a section's name.
    if (bar.section !== section) lines.push(`  section ${bar.section}`);
    section = bar.section;
    lines.push(bar.line);
  }
  return lines.join('\n');
}

function barNote(run: RunSpan): string {
  if (run.end === undefined) return ' (running)';
  return run.conclusion === 'success' ? '' : ` (${(run.conclusion ?? 'ended').replace(/[^a-z_ ]/gi, '')})`;
}

function later(time: string, than: string): string {
  return Date.parse(time) >= Date.parse(than) ? time : than;
}

/** `2026-01-01T10:05:00`, the UTC time to the second, as the gantt's `dateFormat` reads it. */
function iso(time: string): string {
  return new Date(Date.parse(time)).toISOString().slice(0, 19);
}

function timelineTimes(timeline: Timeline): string[] {
  return [...timeline.streams.flatMap((s) => [s.start, s.end]), timeline.now, timeline.finish?.at].filter(
    (t): t is string => t !== undefined,
  );
}

/** Formats UTC times as `14:20`, or `2026-01-02 14:20` when the times shown span more than a day. */
function clock(times: readonly string[]): (time: string) => string {
  const days = new Set(times.map((t) => new Date(Date.parse(t)).toISOString().slice(0, 10)));
  return (time) => {
    const text = new Date(Date.parse(time)).toISOString();
    return days.size > 1 ? `${text.slice(0, 10)} ${text.slice(11, 16)}` : text.slice(11, 16);
  };
}

/** `45 s`, `12 min`, `1 h 30 min`: seconds under a minute, minutes under an hour. */
export function duration(milliseconds: number): string {
  const seconds = Math.max(0, Math.round(milliseconds / 1000));
  if (seconds < 60) return `${seconds} s`;
  const minutes = Math.round(seconds / 60);
  if (minutes < 60) return `${minutes} min`;
  const hours = Math.floor(minutes / 60);
  const rest = minutes % 60;
  return rest === 0 ? `${hours} h` : `${hours} h ${rest} min`;
}
