import { MAX_BODY_CHARACTERS } from '../src/core/model.js';

// A breakdown at GitHub's size limit: 40 streams of 25 tasks (some with subtasks), each stream
// after one or two earlier ones, padded with a notes paragraph to exactly 65,536 characters.

const verbs = ['Add', 'Wire', 'Migrate', 'Document', 'Test', 'Refactor', 'Expose', 'Validate'];
const nouns = ['schema', 'endpoint', 'worker', 'cache layer', 'feature flag', 'audit log', 'retry policy', 'dashboard'];

export function largeBreakdown(streams = 40, tasksPerStream = 25): string {
  const parts: string[] = ['# Platform rewrite', '', 'Generated for the benchmark.', ''];
  let task = 1;
  for (let s = 0; s < streams; s++) {
    parts.push(`## Stream S${s}: ${nouns[s % nouns.length]} track ${s}`);
    if (s > 0) parts.push(`Depends on: Stream S${Math.floor(s / 2)}${s > 2 ? `, Stream S${s - 2}` : ''}`);
    for (let t = 0; t < tasksPerStream; t++) {
      parts.push(
        `- [${t % 7 === 0 ? 'x' : ' '}] Task ${task}: ${verbs[task % verbs.length]} the ${nouns[(task + s) % nouns.length]}`,
      );
      if (t % 5 === 0) parts.push('  - [ ] cover it with tests');
      task++;
    }
    parts.push('');
  }
  const body = parts.join('\n');
  const room = MAX_BODY_CHARACTERS - body.length - '\nNotes: \n'.length;
  if (room < 0) throw new Error(`the generated breakdown is ${-room} characters over the limit`);
  return `${body}\nNotes: ${'x'.repeat(room)}\n`;
}
