import { slug } from '../breakdown/slug.js';
import { idFromSlug, streamIdProblem } from '../breakdown/stream-id.js';

// Units written out as a breakdown: a heading that names the unit, its dependency line (`None`
// when the source says it needs nothing, so no order is invented), and its checkbox tasks.

export interface UnitText {
  /** The source's own id for the unit (`setup-types`, `3`, `001`). */
  readonly id: string;
  readonly title: string;
  /** Source ids of the units it needs; undefined when the source says nothing about them. */
  readonly needs: readonly string[] | undefined;
  readonly tasks: readonly { readonly title: string; readonly done: boolean }[];
  /** The heading as the source names the unit (`Task 3: …`), when it has one; else `Stream <id>: <title>`. */
  readonly heading?: string;
}

/** A stream id for a source id: itself when it is one, else a slug of it (`001` stays `001`). */
function streamId(id: string): string {
  return streamIdProblem(id) === undefined ? id : idFromSlug(slug(id)) || `unit-${slug(id)}`;
}

/** One line: the source's words, on one line (a heading or a checkbox cannot span lines). */
function oneLine(text: string): string {
  return text.replace(/\s+/g, ' ').trim();
}

export function unitsText(units: readonly UnitText[], level = 2): string {
  const ids = new Map(units.map((u) => [u.id, streamId(u.id)]));
  const out: string[] = [];
  for (const unit of units) {
    out.push(`${'#'.repeat(level)} ${oneLine(unit.heading ?? `Stream ${ids.get(unit.id)}: ${unit.title}`)}`);
    if (unit.needs !== undefined)
      out.push(
        `Depends on: ${unit.needs.length === 0 ? 'None' : unit.needs.map((n) => `Stream ${ids.get(n) ?? streamId(n)}`).join(', ')}`,
      );
    for (const task of unit.tasks) out.push(`- [${task.done ? 'x' : ' '}] ${oneLine(task.title)}`);
    out.push('');
  }
  return out.join('\n');
}
