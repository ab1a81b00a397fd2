import type { Stream } from '../model.js';
import type { Note, ScannedTask } from './scan.js';
import type { Unit } from './units.js';

// A stream as the reader builds it: the stream itself, and what the readers that follow (the
// dependency lines, the order by numbering, the cycle check) need to know about where it came from.

export interface Located {
  readonly line: number;
  readonly column: number;
}

export interface Draft {
  readonly stream: Stream;
  readonly at: Located;
  readonly unit: Unit;
  readonly notes: readonly Note[];
  readonly headingDependencies: { readonly text: string; readonly at: Located } | undefined;
  readonly dependencyAt: Map<string, Located>;
  /** Whether the document states this unit's dependencies (`None` included). */
  stated: boolean;
  /** The scanned task behind each of the stream's tasks, in order (its title's column, its lines). */
  readonly scanned: readonly ScannedTask[];
}

export function shift(at: Located, by: number): Located {
  return { line: at.line, column: at.column + by };
}
