// The package's entry point for programs: the same model the `plan` command prints.

export { type CoordinatorApp, createCoordinatorApp } from './app/app.js';
export { createMiddleware, startServer } from './app/server.js';
export { type ParseOptions, parseBreakdown } from './core/breakdown/parse.js';
export { tickTasks, UnknownTaskError, untickTasks } from './core/breakdown/tick.js';
export {
  CONFIG_PATH,
  type ConfigError,
  type ConfigResult,
  DEFAULT_CONFIG,
  formatConfigError,
  parseConfig,
  validateConfig,
} from './core/config/parse.js';
export type { Config, GateConfig } from './core/config/schema.js';
export type { Breakdown, Diagnostic, Plan, Progress, Stream, Subtask, Task } from './core/model.js';
export { BreakdownSchema, PlanJsonSchema, PlanSchema } from './core/model.js';
export { planExecution } from './core/plan/plan.js';
export { blockers, isStreamDone, readyStreams } from './core/plan/readiness.js';
