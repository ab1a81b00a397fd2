import { z } from 'zod';

// The breakdown and plan model, exactly as `execution-coordinator plan --json` prints it
// (design.md §1). The schemas are the contract; the types are derived from them.

const position = z.number().int().positive();

export const DiagnosticSchema = z.strictObject({
  line: position,
  column: position,
  message: z.string(),
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
});

export const StreamSchema = z.strictObject({
  id: z.string(),
  title: z.string(),
  line: position,
  dependsOn: z.array(z.string()),
  gates: z.array(z.string()),
  tasks: z.array(TaskSchema),
});

export const BreakdownSchema = z.strictObject({
  streams: z.array(StreamSchema),
  errors: z.array(DiagnosticSchema),
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
});

export type Diagnostic = z.infer<typeof DiagnosticSchema>;
export type Subtask = z.infer<typeof SubtaskSchema>;
export type Task = z.infer<typeof TaskSchema>;
export type Stream = z.infer<typeof StreamSchema>;
export type Breakdown = z.infer<typeof BreakdownSchema>;
export type Progress = z.infer<typeof ProgressSchema>;
export type Plan = z.infer<typeof PlanSchema>;

/** GitHub rejects issue bodies longer than this many characters. */
export const MAX_BODY_CHARACTERS = 65_536;
