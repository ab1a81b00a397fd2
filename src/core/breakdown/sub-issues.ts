import type { Breakdown, Diagnostic, Stream, Task } from '../model.js';
import { findCycles } from '../plan/cycles.js';
import { type ParseOptions, parseBody } from './parse.js';

// A breakdown written the GitHub way: a parent issue whose open sub-issues are its streams. Each
// sub-issue's title is its stream's title, its checklist the stream's tasks (a sub-issue without
// one is one task), its number part of the stream id (`issue-123`). GitHub's "blocked by"
// relations and the dependency lines in the bodies order them: a blocker among the parent's
// sub-issues is a dependency; one outside waits until it is closed as completed. The parent's own
// checklist streams, if any, run beside them.

/** A sub-issue as GitHub gives it, in GitHub-free terms. */
export interface SubIssueInput {
  readonly number: number;
  readonly title: string;
  readonly body: string;
  readonly state: 'open' | 'closed';
  /** `completed`, `not_planned`, … for a closed issue; null for an open one. */
  readonly stateReason: string | null;
  /** Its "blocked by" relations: `#12` in the parent's repository, `owner/repo#12` elsewhere. */
  readonly blockedBy: readonly string[];
}

/** Where a task's checkbox sits: which issue's body (the parent's or a sub-issue's), at which offsets. */
export interface TaskBoxes {
  readonly issue: number;
  readonly offsets: readonly number[];
}

export interface SubIssueBreakdown {
  readonly breakdown: Breakdown;
  /** By task id: the body holding its checkbox and its subtasks'. */
  readonly boxes: ReadonlyMap<string, TaskBoxes>;
}

/** A sub-issue's stream id: its number, in a form every branch and input accepts. */
export function subIssueStreamId(number: number): string {
  return `issue-${number}`;
}

/** GitHub allows a parent this many sub-issues. */
export const MAX_SUB_ISSUES = 100;

export function subIssueBreakdown(
  parent: { readonly number: number; readonly body: string },
  subIssues: readonly SubIssueInput[],
  options: ParseOptions = {},
): SubIssueBreakdown {
  const open = subIssues.filter((s) => s.state === 'open').slice(0, MAX_SUB_ISSUES);
  const siblings = new Map(subIssues.map((s) => [s.number, s]));
  const boxes = new Map<string, TaskBoxes>();
  const own = parseBody(parent.body, { ...options, mayBeEmpty: open.length > 0 });
  const errors: Diagnostic[] = [...own.breakdown.errors];
  const warnings: Diagnostic[] = [...own.breakdown.warnings];
  const streams: Stream[] = own.breakdown.streams.map((stream) => inPlan(stream, siblings));
  for (const [id, offsets] of own.checkboxes) boxes.set(id, { issue: parent.number, offsets });

  for (const sub of open) {
    const parsed = parseBody(sub.body, { ...options, mayBeEmpty: true });
    const id = subIssueStreamId(sub.number);
    const mark = (d: Diagnostic): Diagnostic => ({ ...d, issue: sub.number });
    errors.push(...parsed.breakdown.errors.map(mark));
    warnings.push(...parsed.breakdown.warnings.map(mark));
    const read = parsed.breakdown.streams;
    const tasks: Task[] = [];
    for (const stream of read)
      for (const task of stream.tasks) {
        const taskId = `${id}.${tasks.length + 1}`;
        tasks.push({ ...task, id: taskId });
        boxes.set(taskId, { issue: sub.number, offsets: parsed.checkboxes.get(task.id) ?? [] });
      }
    // Without a checklist the sub-issue is one task, done when its stream completes.
    if (tasks.length === 0) tasks.push({ id: `${id}.1`, title: sub.title, line: 1, done: false, subtasks: [] });
    const external = [...new Set([...read.flatMap((s) => s.external ?? []), ...sub.blockedBy])];
    const dependsOn = [...new Set(read.flatMap((s) => s.dependsOn).filter((d) => d !== id))];
    const implementers = new Set(read.flatMap((s) => (s.implementer ? [s.implementer] : [])));
    const stream: Stream = {
      id,
      title: sub.title,
      line: 1,
      dependsOn,
      gates: [...new Set(read.flatMap((s) => s.gates))],
      tasks,
      ...(external.length > 0 ? { external } : {}),
      ...(implementers.size === 1 ? { implementer: [...implementers][0] as string } : {}),
    };
    streams.push(inPlan(stream, siblings));
  }
  checkWhole(streams, subIssues, errors);
  return {
    breakdown: {
      streams,
      errors,
      warnings,
      criteria: own.breakdown.criteria,
      summary: own.breakdown.summary,
    },
    boxes,
  };
}

/** What no single body shows: two streams of one id, and a cycle through several issues. */
function checkWhole(streams: readonly Stream[], subIssues: readonly SubIssueInput[], errors: Diagnostic[]): void {
  const where = (id: string): Diagnostic => {
    const number = /^issue-(\d+)$/.exec(id)?.[1];
    return {
      line: 1,
      column: 1,
      message: '',
      ...(number && subIssues.some((s) => s.number === Number(number)) ? { issue: Number(number) } : {}),
    };
  };
  const seen = new Set<string>();
  for (const { id } of streams) {
    if (seen.has(id))
      errors.push({
        ...where(id),
        message: `stream id ${id} is used twice: by the parent's own streams and a sub-issue`,
      });
    seen.add(id);
  }
  const graph = new Map(streams.map((s) => [s.id, s.dependsOn]));
  for (const cycle of findCycles([...graph.keys()], graph))
    errors.push({
      ...where(cycle[0] as string),
      message: `dependency cycle: ${cycle.join(' → ')} (blocked-by links and dependency lines together)`,
    });
}

/**
 * A stream's references to other issues, sorted: a sibling sub-issue that is open is a
 * dependency on its stream; one closed as completed is done with; any other stays external.
 */
function inPlan(stream: Stream, siblings: ReadonlyMap<number, SubIssueInput>): Stream {
  if (!stream.external) return stream;
  const dependsOn = [...stream.dependsOn];
  const external: string[] = [];
  for (const ref of stream.external) {
    const local = /^#(\d+)$/.exec(ref);
    const sibling = local ? siblings.get(Number(local[1])) : undefined;
    if (!sibling) external.push(ref);
    else if (sibling.state === 'open') {
      const id = subIssueStreamId(sibling.number);
      if (id !== stream.id && !dependsOn.includes(id)) dependsOn.push(id);
    } else if (sibling.stateReason !== 'completed') external.push(ref);
  }
  const { external: _, ...rest } = stream;
  return { ...rest, dependsOn, ...(external.length > 0 ? { external } : {}) };
}
