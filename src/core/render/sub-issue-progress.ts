import { MARKERS } from '../execution/records.js';
import type { StreamView } from '../execution/status.js';
import type { Stream } from '../model.js';
import { inlineText } from './markdown-text.js';
import { ICON } from './status-comment.js';

// The short comment on a sub-issue whose stream the coordinator runs: where its stream stands,
// edited in place as it moves. The parent's status comment has the whole picture.

export function subIssueProgressComment(parent: number, stream: Stream, view: StreamView): string {
  const done = stream.tasks.filter((t) => t.done).length;
  const facts = [
    `${ICON[view.status]} ${view.status}`,
    inlineText(view.detail),
    `${done}/${stream.tasks.length} ${stream.tasks.length === 1 ? 'task' : 'tasks'}`,
    view.run ? `[run](${view.run.url})` : undefined,
    view.pull ? `PR [#${view.pull.number}](${view.pull.url})` : undefined,
  ].filter(Boolean);
  return [
    MARKERS.progress,
    `**Execution Coordinator** runs this sub-issue as stream \`${inlineText(stream.id)}\` of #${parent}.`,
    '',
    facts.join(' · '),
    '',
  ].join('\n');
}
