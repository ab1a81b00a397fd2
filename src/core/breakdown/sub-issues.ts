import type { Breakdown, Criterion, Diagnostic, Stream, Task } from '../model.js';
import { findCycles } from '../plan/cycles.js';
import { type ParseOptions, parseBody } from './parse.js';

// A breakdown written the GitHub way: a parent issue whose open sub-issues are its streams. Each
// sub-issue's title is its stream's title, its checklist the stream's tasks (a sub-issue without
// one is one task), its number part of the stream id (`issue-123`). GitHub's "blocked by"
// relations and the dependency lines in the bodies order them: a blocker among the parent's
// sub-issues is a dependency; one outside waits until it is closed as completed. The parent's own
// checklist streams, if any, run beside them. A sub-issue closed as completed is a done stream;
// one closed otherwise (not planned, a duplicate) is no stream, and what it blocks waits.

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

/** A sub-issue's stream id: its number, in a form every branch and input accepts. */
export function subIssueStreamId(number: number): string {
  return `issue-${number}`;
}

/** GitHub allows a parent this many sub-issues. */
export const MAX_SUB_ISSUES = 100;

export function subIssueBreakdown(
  parent: {
    readonly body: string;
    /** Its sub-issues in other repositories (`owner/repo#n`): not run from here, and said so. */
    readonly elsewhere?: readonly string[];
  },
  subIssues: readonly SubIssueInput[],
  options: ParseOptions = {},
): Breakdown {
  // A sub-issue closed as completed stays a stream, done: closing it (as merging its pull
  // request does) then changes nothing its dependents were approved with.
  const streamed = subIssues.filter(isStream).slice(0, MAX_SUB_ISSUES);
  const siblings = new Map(subIssues.map((s) => [s.number, s]));
  const own = parseBody(parent.body, { ...options, mayBeEmpty: streamed.length > 0 });
  const errors: Diagnostic[] = [...own.breakdown.errors];
  const warnings: Diagnostic[] = [...own.breakdown.warnings];
  const criteria: Criterion[] = [...own.breakdown.criteria];
  for (const ref of parent.elsewhere ?? [])
    warnings.push({
      line: 1,
      column: 1,
      message: `sub-issue ${ref} is in another repository: it is not run from here (its branch and pull request would be there)`,
    });
  const streams: Stream[] = own.breakdown.streams.map((stream) => inPlan(stream, siblings));

  for (const sub of streamed) {
    const parsed = parseBody(sub.body, { ...options, mayBeEmpty: true });
    const id = subIssueStreamId(sub.number);
    const mark = (d: Diagnostic): Diagnostic => ({ ...d, issue: sub.number });
    errors.push(...parsed.breakdown.errors.map(mark));
    warnings.push(...parsed.breakdown.warnings.map(mark));
    // Its acceptance criteria are left for a person, as the parent's are.
    criteria.push(...parsed.breakdown.criteria.map((c) => ({ ...c, stream: id, issue: sub.number })));
    const read = parsed.breakdown.streams;
    const closed = sub.state === 'closed';
    const tasks: Task[] = subIssueTasks(sub.number, read).map(({ id: taskId, task }) => ({
      ...task,
      id: taskId,
      ...(closed ? { done: true } : {}),
    }));
    // Without a checklist the sub-issue is one task, done when its stream completes.
    if (tasks.length === 0)
      tasks.push({ id: `${id}.1`, title: sub.title, line: 1, done: closed, subtasks: [], checkbox: false });
    const external = [...new Set([...read.flatMap((s) => s.external ?? []), ...sub.blockedBy])];
    // Orders between the body's own sections are kept by the order of its tasks (subIssueTasks);
    // what the body says about other issues (`Depends on: #11`) is sorted by `inPlan`.
    const internal = new Set(read.map((s) => s.id));
    const dependsOn = [...new Set(read.flatMap((s) => s.dependsOn).filter((d) => !internal.has(d) && d !== id))];
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
      issue: sub.number,
      ...(closed ? { closed: true as const } : {}),
    };
    streams.push(inPlan(stream, siblings));
  }
  checkWhole(streams, subIssues, errors);
  return { streams, errors, warnings, criteria, summary: own.breakdown.summary };
}

/** Whether a sub-issue is a stream: open, or closed as completed (a done one). */
export function isStream(sub: Pick<SubIssueInput, 'state' | 'stateReason'>): boolean {
  return sub.state === 'open' || sub.stateReason === 'completed';
}

/**
 * A sub-issue's tasks as the plan names them (`issue-12.1`, `issue-12.2`, …), each beside the
 * task its own body's reading gave: how a tick finds its box. They run one after another, so the
 * body's own sections come in an order their dependencies allow (document order where they
 * say nothing; a cycle, which the body's reading reports, leaves the rest in document order).
 */
export function subIssueTasks(number: number, streams: readonly Stream[]): { id: string; task: Task }[] {
  const prefix = subIssueStreamId(number);
  return inDependencyOrder(streams)
    .flatMap((s) => s.tasks)
    .map((task, index) => ({ id: `${prefix}.${index + 1}`, task }));
}

/** Each stream after those it depends on, otherwise in document order. */
function inDependencyOrder(streams: readonly Stream[]): Stream[] {
  const ids = new Set(streams.map((s) => s.id));
  const placed = new Set<string>();
  const order: Stream[] = [];
  while (order.length < streams.length) {
    const next =
      streams.find((s) => !placed.has(s.id) && s.dependsOn.every((d) => placed.has(d) || !ids.has(d))) ??
      streams.find((s) => !placed.has(s.id));
    if (!next) break;
    placed.add(next.id);
    order.push(next);
  }
  return order;
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
  // A cycle within the parent's own body is that body's error, reported by its reading already.
  const ofSubIssue = new Set(streams.filter((s) => s.issue !== undefined).map((s) => s.id));
  for (const cycle of findCycles([...graph.keys()], graph).filter((c) => c.some((id) => ofSubIssue.has(id))))
    errors.push({
      ...where(cycle[0] as string),
      message: `dependency cycle: ${cycle.join(' → ')} (blocked-by links and dependency lines together)`,
    });
}

/**
 * A stream's references to other issues, sorted: a sibling sub-issue that is a stream (open, or
 * closed as completed and so done) is a dependency on it; any other reference stays external.
 */
function inPlan(stream: Stream, siblings: ReadonlyMap<number, SubIssueInput>): Stream {
  if (!stream.external) return stream;
  const dependsOn = [...stream.dependsOn];
  const external: string[] = [];
  for (const ref of stream.external) {
    const local = /^#(\d+)$/.exec(ref);
    const sibling = local ? siblings.get(Number(local[1])) : undefined;
    if (!sibling || !isStream(sibling)) external.push(ref);
    else {
      const id = subIssueStreamId(sibling.number);
      if (id !== stream.id && !dependsOn.includes(id)) dependsOn.push(id);
    }
  }
  const { external: _, ...rest } = stream;
  return { ...rest, dependsOn, ...(external.length > 0 ? { external } : {}) };
}
