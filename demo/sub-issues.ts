import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { EXECUTED_LABEL } from '../src/coordinator/advance.js';
import { MARKERS } from '../src/core/execution/records.js';
import type { World } from '../test/simulator/world.js';
import { liveView, StreamActivity } from './live-view.js';
import { statusPage } from './status-page.js';
import { LiveTerminal, poll, say, section } from './terminal.js';

// `npm run demo -- --sub-issues`: the breakdown written the GitHub way. A parent issue with four
// sub-issues, ordered by "blocked by" links; each sub-issue is a stream, its checklist its tasks
// (the docs one has none: it is one task). The maintainer labels the parent and approves the
// sub-issues by the key the status comment gives, the streams run in dependency order with ticks
// going into each sub-issue, and merging the pull requests closes the sub-issues.

const PARENT = 20;
const SUB_ISSUES = [
  {
    number: 21,
    title: 'Invoice schema',
    body: 'The tables invoices live in.\n\n- [ ] Invoice table\n- [ ] Line items\n',
  },
  { number: 22, title: 'Invoice API', body: '- [ ] Create an invoice\n- [ ] List invoices\n' },
  { number: 23, title: 'Invoice page', body: '- [ ] Invoice list page\n' },
  { number: 24, title: 'Billing docs', body: 'Describe invoicing for users: the API and the page.' },
] as const;
/** Sub-issue → what blocks it. */
const BLOCKED_BY: readonly [number, number][] = [
  [22, 21],
  [23, 21],
  [24, 22],
  [24, 23],
];

export async function subIssueDemo(world: World, out: string): Promise<number> {
  const { simulator, runner, api, settle } = world;
  const { fake } = simulator;
  const started = performance.now();
  const activity = new StreamActivity();
  runner.onLine = (run, line) => {
    if (!line.startsWith('::')) activity.line(run.inputs.stream as string, line.trim());
  };
  say(`Execution Coordinator: a simulated GitHub at ${simulator.url}, one App replica, the Action from dist/index.js.`);
  fake.addIssue(PARENT, 'Invoicing, tracked in its sub-issues.', [], 'Invoicing');
  for (const sub of SUB_ISSUES) {
    fake.addIssue(sub.number, sub.body, [], sub.title);
    fake.addSubIssue(PARENT, sub.number);
  }
  for (const [issue, blocker] of BLOCKED_BY) fake.addBlockedBy(issue, blocker);
  await settle();
  say(
    `Issue #${PARENT} "Invoicing" has four sub-issues: ${SUB_ISSUES.map((s) => `#${s.number} ${s.title}`).join(', ')}.`,
  );
  say(
    `Blocked by: ${BLOCKED_BY.map(([issue, blocker]) => `#${issue} by #${blocker}`).join(', ')}. Each sub-issue is a stream; #24 has no checklist, so it is one task.`,
  );
  say(`A maintainer labels #${PARENT} execute.`);
  await api('POST', `/repos/acme/chat/issues/${PARENT}/labels`, { labels: ['execute'] });
  await settle();
  // The label carries the parent's words, not its sub-issues': a writer approves those by key.
  const waiting = fake.commentsOn(PARENT).find((c) => c.body.startsWith(MARKERS.status))?.body ?? '';
  const key = /\/execute start ([0-9a-f]{32})/.exec(waiting)?.[1];
  say(
    `The status comment asks a writer to review the sub-issues and approve them by key; the maintainer comments "/execute start ${key}".\n`,
  );
  await api('POST', `/repos/acme/chat/issues/${PARENT}/comments`, { body: `/execute start ${key}` });

  const view = new LiveTerminal();
  const show = () => view.show(liveView({ fake, issue: PARENT, activity, elapsedMs: performance.now() - started }));
  const executed = () => fake.issue(PARENT).labels.includes(EXECUTED_LABEL);
  await poll(show, executed, 180_000);
  await settle();
  show();

  say('\nEvery stream has its pull request, each saying `Closes #<sub-issue>`. The maintainer merges them.');
  for (const sub of SUB_ISSUES) {
    const pull = fake.pulls.find((p) => p.head === `execute/${PARENT}/issue-${sub.number}`);
    if (pull) await api('PUT', `/repos/acme/chat/pulls/${pull.number}/merge`, {});
  }
  await settle();

  for (const sub of SUB_ISSUES) {
    const issue = fake.issue(sub.number);
    const progress = fake.commentsOn(sub.number).find((c) => c.body.startsWith(MARKERS.progress));
    section(
      `#${sub.number} ${sub.title}: ${issue.state}${issue.stateReason ? ` (${issue.stateReason})` : ''}`,
      [issue.body, '', `Its progress comment: ${progress?.body.split('\n').slice(3).join(' ').trim() ?? 'none'}`].join(
        '\n',
      ),
    );
  }
  const status = fake.commentsOn(PARENT).find((c) => c.body.startsWith(MARKERS.status))?.body ?? '';
  const final = fake.commentsOn(PARENT).find((c) => c.body.startsWith(MARKERS.final));
  // The hidden lines are the coordinator's bookkeeping, not for people.
  const shown = (body: string) => body.replace(/^<!--[\s\S]*?-->\n/gm, '');
  section(`The status comment on #${PARENT}`, shown(status));
  if (final) section('The final report', shown(final.body));
  section(
    'Pull requests',
    fake.pulls.map((p) => `#${p.number}  ${p.head}  ${p.state}${p.merged ? ' (merged)' : ''}  ${p.title}`).join('\n'),
  );
  mkdirSync(out, { recursive: true });
  const page = join(out, 'status.html');
  writeFileSync(page, statusPage(`Execution status for #${PARENT}, from the demo`, status));
  const closed = SUB_ISSUES.filter((s) => fake.issue(s.number).state === 'closed').length;
  say(
    `\nLabels on #${PARENT}: ${fake.issue(PARENT).labels.join(', ')}. Sub-issues closed: ${closed} of ${SUB_ISSUES.length}. The status comment as a page: ${page}`,
  );
  return executed() && closed === SUB_ISSUES.length ? 0 : 1;
}
