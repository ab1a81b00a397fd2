import type { Task } from '../model.js';
import type { Located } from './draft.js';
import { blankMarkup } from './markup.js';
import { readReferences, type StreamResolver } from './references.js';

// A task's own order, in its title: `(depends on T001)`, `(after T001, T002)`, `(blocked by
// PR-003)`, `sequential after 001`, `— depends on Task 3`. Read when everything it names is known;
// otherwise it is left to the warning about order in words.
const TITLE_DEPENDENCY =
  /(?:\(\s*(?:depends\s+on|after|blocked\s+by|requires|needs)\s*:?\s*([^()]{1,400})\)|(?:depends\s+on|sequential(?:ly)?\s+after|blocked\s+by)\s*:?\s+([^().;]{1,400}))/i;

// Words a title's own order must hold: a cheap test that spares most titles the full pattern.
const TITLE_ORDER_WORDS = /depend|after|block|requir|need/i;

export function readTaskDependency(
  task: Task,
  column: number,
  addReferences: (text: string, at: Located, owner?: string) => void,
  resolve: StreamResolver,
  read: Set<number>,
): void {
  if (task.title.length > 2_000 || !TITLE_ORDER_WORDS.test(task.title)) return;
  const title = blankMarkup(task.title);
  const match = TITLE_DEPENDENCY.exec(title);
  // A task named `Depends on: …` is named so; its order is stated after its name.
  if (!match || title.slice(0, match.index).trim() === '') return;
  const list = (match[1] ?? match[2]) as string;
  const { found, unknown, ambiguous } = readReferences(list, resolve);
  if (found.length === 0 || unknown.length > 0 || ambiguous.length > 0) return;
  const start = match.index + match[0].indexOf(list);
  addReferences(list, { line: task.line, column: column + start }, task.id);
  read.add(task.line);
}
