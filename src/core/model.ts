import { z } from 'zod';

// The breakdown and plan model, exactly as `execution-coordinator plan --json` prints it
// (design.md §1). The schemas are the contract; the types are derived from them.

const position = z.number().int().positive();

export const DiagnosticSchema = z.strictObject({
  line: position,
  column: position,
  message: z.string(),
  /** The sub-issue whose body the line and column are in; absent for the issue's own body. */
  issue: position.optional(),
});

export const SubtaskSchema = z.strictObject({
  title: z.string(),
  line: position,
  done: z.boolean(),
});

export const TaskSchema = z.strictObject({
  id: z.string(),
  title: z.string(),
  line: position,
  done: z.boolean(),
  subtasks: z.array(SubtaskSchema),
  /**
   * Present (true) on a person's step (`STOP: ask the user to review`, a manual check): its stream
   * stops before it until it is ticked. Absent on every other task.
   */
  person: z.literal(true).optional(),
  /** Minutes the breakdown expects it to take (`(~45 min)`, `Estimate: 30m` under it), when it says. */
  estimateMinutes: z.number().nonnegative().optional(),
  /**
   * False for the one task of a sub-issue without a checklist: there is no box to tick, so it is
   * done once its commit is on the stream branch (or the sub-issue is closed as completed).
   * Absent for every checkbox task.
   */
  checkbox: z.literal(false).optional(),
});

export const StreamSchema = z.strictObject({
  id: z.string(),
  title: z.string(),
  line: position,
  dependsOn: z.array(z.string()),
  gates: z.array(z.string()),
  tasks: z.array(TaskSchema),
  /**
   * Issues outside the document it waits for (`#123`, `owner/repo#123`), until each is closed as
   * completed. Present only when there are some.
   */
  external: z.array(z.string()).optional(),
  /**
   * Who works on it (`Agent: <name>`): one of the configuration's `implementers`. Absent for the
   * default implementer.
   */
  implementer: z.string().optional(),
  /** Minutes the breakdown expects the whole stream to take (`Estimate: 2h`, `(~45 min)` in its heading). */
  estimateMinutes: z.number().nonnegative().optional(),
  /**
   * The sub-issue it is (a parent's sub-issues are its streams): its title, checklist and ticks
   * live there, and its pull request closes it. Absent for a stream of the issue's own body.
   */
  issue: position.optional(),
  /**
   * Present (true) when that sub-issue is closed as completed: the stream is done whatever its
   * boxes say. Part of what a writer approves, so that closing one is a writer's decision.
   */
  closed: z.literal(true).optional(),
});

/**
 * A checklist item that is not work: acceptance criteria, a definition of done, a review
 * checklist. Left for a person; the coordinator never ticks it.
 */
export const CriterionSchema = z.strictObject({
  title: z.string(),
  line: position,
  done: z.boolean(),
  /** The stream whose section holds it, or null when it stands outside every stream. */
  stream: z.string().nullable(),
  /** The sub-issue whose body holds it (and its line); absent for the issue's own body. */
  issue: position.optional(),
});

/** An item of a checklist that names the units (`- [ ] Phase 1: Foundation`), ticked as its unit completes. */
export const SummaryItemSchema = z.strictObject({
  title: z.string(),
  line: position,
  done: z.boolean(),
  /** The stream it names; null when that unit has no tasks of its own. */
  stream: z.string().nullable(),
});

export const BreakdownSchema = z.strictObject({
  streams: z.array(StreamSchema),
  errors: z.array(DiagnosticSchema),
  /** Structure the reader saw but did not turn into the plan (a table of dependencies, a graph, …). */
  warnings: z.array(DiagnosticSchema),
  criteria: z.array(CriterionSchema),
  summary: z.array(SummaryItemSchema),
});

export const ProgressSchema = z.strictObject({
  done: z.number().int().nonnegative(),
  total: z.number().int().nonnegative(),
});

export const PlanSchema = z.strictObject({
  streams: z.array(StreamSchema),
  waves: z.array(z.array(z.string())),
  criticalPath: z.array(z.string()),
  progress: ProgressSchema,
  errors: z.array(DiagnosticSchema),
  warnings: z.array(DiagnosticSchema),
  criteria: z.array(CriterionSchema),
  summary: z.array(SummaryItemSchema),
});

/** What `plan --json` prints: the plan, each stream saying who implements it (null: the default). */
export const PlanJsonSchema = PlanSchema.extend({
  streams: z.array(StreamSchema.extend({ implementer: z.string().nullable() })),
});

export type Diagnostic = z.infer<typeof DiagnosticSchema>;
export type Subtask = z.infer<typeof SubtaskSchema>;
export type Criterion = z.infer<typeof CriterionSchema>;
export type SummaryItem = z.infer<typeof SummaryItemSchema>;
export type Task = z.infer<typeof TaskSchema>;
export type Stream = z.infer<typeof StreamSchema>;
export type Breakdown = z.infer<typeof BreakdownSchema>;
export type Progress = z.infer<typeof ProgressSchema>;
export type Plan = z.infer<typeof PlanSchema>;
export type PlanJson = z.infer<typeof PlanJsonSchema>;

/** GitHub rejects issue bodies longer than this many characters. */
export const MAX_BODY_CHARACTERS = 65_536;
