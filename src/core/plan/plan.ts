import type { Breakdown, Plan } from '../model.js';
import { criticalPath } from './critical-path.js';
import { streamGraph } from './graph.js';
import { progress } from './progress.js';
import { waves } from './waves.js';

/** Waves, critical path and progress of a parsed breakdown; its errors, warnings and criteria are carried along. */
export function planExecution(breakdown: Breakdown): Plan {
  const graph = streamGraph(breakdown.streams);
  return {
    streams: breakdown.streams,
    waves: waves(graph),
    criticalPath: criticalPath(graph),
    progress: progress(breakdown.streams),
    errors: breakdown.errors,
    warnings: breakdown.warnings,
    criteria: breakdown.criteria,
    summary: breakdown.summary,
  };
}
