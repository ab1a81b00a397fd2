import { mkdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { EXECUTED_LABEL } from '../src/coordinator/advance.js';
import { parseBreakdown } from '../src/core/breakdown/parse.js';
import { decodeRecord, MARKERS } from '../src/core/execution/records.js';
import { planExecution } from '../src/core/plan/plan.js';
import { SAMPLE_CONFIG } from '../test/simulator/sample-repo.js';
import { CHAT, startWorld, type World } from '../test/simulator/world.js';
import { liveView, StreamActivity } from './live-view.js';
import { statusPage } from './status-page.js';
import { subIssueDemo } from './sub-issues.js';
import { indent, LiveTerminal, poll, say, section } from './terminal.js';

// `npm run demo`: the whole product on this machine. A sample repository with real gates, the
// spec's chat-system issue labelled `execute`, the App and the Action at work, shown live.
// `--fail-at C.5` plants a bug in that task: its gate fails, the dependents wait, a fix and
// `/execute retry C` finish the job. `--flaky C.5` plants it on the first attempt only: the gate
// sends the failure back to implement, which fixes it on attempt 2, with nobody's command.
// Stream D names its own implementer (`Agent: careful`), and every task reports what it spent.
// `--sub-issues` runs a breakdown written as a parent's sub-issues instead (sub-issues.ts).

const HELP = `Usage: npm run demo [-- --fail-at <task id> | --flaky <task id> | --sub-issues] [--out <dir>]

Runs the whole loop on a simulated GitHub: the App, the Action and the gates, offline.

  --fail-at <task>   make that task's gate fail (e.g. C.5), then fix it and retry its stream
  --flaky <task>     make that task's gate fail on the first attempt only: the fix attempt passes
  --sub-issues       a parent issue with four sub-issues and blocked-by links, run to the end
  --out <dir>        where to write status.html (default: demo-output)
`;

// The demo's breakdown and configuration: the spec's, with a named implementer for stream D.
const BODY = CHAT.replace('## Stream D: Advanced features\n', '## Stream D: Advanced features\nAgent: careful\n');
const CONFIG = `${SAMPLE_CONFIG}implementers:\n  careful: node scripts/implement.mjs --careful\n`;

const ISSUE = 12;

export async function main(argv: readonly string[]): Promise<number> {
  const usage = (problem: string) => {
    process.stderr.write(`npm run demo: ${problem}\n\n${HELP}`);
    return 2;
  };
  let values: { 'fail-at'?: string; flaky?: string; 'sub-issues'?: boolean; out?: string; help?: boolean };
  try {
    ({ values } = parseArgs({
      args: [...argv],
      options: {
        'fail-at': { type: 'string' },
        flaky: { type: 'string' },
        'sub-issues': { type: 'boolean' },
        out: { type: 'string', default: 'demo-output' },
        help: { type: 'boolean', short: 'h' },
      },
    }));
  } catch (error) {
    // An unknown option or a missing value: say which, with the usage, not a stack trace.
    return usage((error as Error).message);
  }
  if (values.help) {
    process.stdout.write(HELP);
    return 0;
  }
  const failAt = values['fail-at'];
  const flaky = values.flaky;
  const tasks = planExecution(parseBreakdown(BODY)).streams.flatMap((s) => s.tasks.map((t) => t.id));
  for (const [option, task] of [
    ['--fail-at', failAt],
    ['--flaky', flaky],
  ] as const)
    if (task !== undefined && !tasks.includes(task))
      return usage(`${option} ${task}: the breakdown has no such task (its tasks: ${tasks.join(', ')})`);
  const chosen = [
    failAt !== undefined && '--fail-at',
    flaky !== undefined && '--flaky',
    values['sub-issues'] && '--sub-issues',
  ];
  if (chosen.filter(Boolean).length > 1) return usage(`${chosen.filter(Boolean).join(' and ')}: one at a time`);
  const world = await startWorld({ config: CONFIG });
  try {
    const out = resolve(values.out as string);
    return values['sub-issues'] ? await subIssueDemo(world, out) : await demo(world, { failAt, flaky }, out);
  } finally {
    await world.close();
  }
}

async function demo(
  world: World,
  { failAt, flaky }: { failAt: string | undefined; flaky: string | undefined },
  out: string,
): Promise<number> {
  const { simulator, runner, api } = world;
  const { fake } = simulator;
  const started = performance.now();
  const activity = new StreamActivity();
  runner.onLine = (run, line) => {
    if (!line.startsWith('::')) activity.line(run.inputs.stream as string, line.trim());
  };
  if (failAt) runner.env.FAIL_AT = failAt;
  if (flaky) runner.env.FLAKY = flaky;

  say(`Execution Coordinator: a simulated GitHub at ${simulator.url}, one App replica, the Action from dist/index.js.`);
  say(
    `Repository acme/chat: a small Node project; gates: lint and node --test; implement writes a module and its test per task.`,
  );
  fake.addIssue(ISSUE, BODY, [], 'Chat system');
  say(
    `Issue #${ISSUE} "Chat system": the breakdown from design.md (4 streams, 8 tasks; stream D names the careful implementer). A maintainer labels it execute.\n`,
  );
  if (flaky)
    say(
      `Task ${flaky} is flaky: its test fails on the first attempt. The gate sends the failure back to implement (fix-attempts: 2 by default).\n`,
    );
  await api('POST', `/repos/acme/chat/issues/${ISSUE}/labels`, { labels: ['execute'] });

  const view = new LiveTerminal();
  const watch = (until: () => boolean, limitMs: number) =>
    poll(
      () => view.show(liveView({ fake, issue: ISSUE, activity, elapsedMs: performance.now() - started })),
      until,
      limitMs,
    );
  const executed = () => fake.issue(ISSUE).labels.includes(EXECUTED_LABEL);
  const failed = () => fake.commentsOn(ISSUE).some((c) => c.body.includes('### ❌ Stream'));

  if (failAt) {
    await watch(() => failed() || executed(), 180_000);
    await world.settle();
    view.show(liveView({ fake, issue: ISSUE, activity, elapsedMs: performance.now() - started }));
    const report = fake.commentsOn(ISSUE).find((c) => c.body.includes('### ❌ Stream'));
    const stream = /### ❌ Stream (\S+) failed/.exec(report?.body ?? '')?.[1];
    if (!report || !stream) {
      say(`\nTask ${failAt} did not fail: is it a task of the breakdown?`);
    } else {
      const record = decodeRecord(report.body);
      const failure = record?.kind === 'failure' ? record.record : undefined;
      say(
        `\nStream ${stream} failed: ${failure?.reason ?? 'see the issue'}. The end of the gate's output, from the failure report:\n`,
      );
      const tail = (failure?.tail ?? '').split('\n');
      const from = tail.findIndex((line) => /^not ok/.test(line.trim()));
      say(indent((from >= 0 ? tail.slice(from, from + 14) : tail.slice(-16)).join('\n')));
      const waiting = planExecution(parseBreakdown(fake.issue(ISSUE).body))
        .streams.filter((s) => s.dependsOn.includes(stream))
        .map((s) => s.id);
      if (waiting.length > 0) {
        say(
          `\n${waiting.join(', ')} ${waiting.length === 1 ? 'waits' : 'wait'} for ${stream}, so ${waiting.length === 1 ? 'it has' : 'they have'} not started; the status comment says so, with what to do next.`,
        );
      }
      say(
        `\nThe bug is fixed (implement no longer plants it), and a maintainer comments "/execute retry ${stream}".\n`,
      );
      delete runner.env.FAIL_AT;
      await api('POST', `/repos/acme/chat/issues/${ISSUE}/comments`, { body: `/execute retry ${stream}` });
    }
  }
  await watch(executed, 180_000);
  await world.settle();
  view.show(liveView({ fake, issue: ISSUE, activity, elapsedMs: performance.now() - started }));

  const status = fake.commentsOn(ISSUE).find((c) => c.body.startsWith(MARKERS.status)) ?? {
    body: '',
  };
  const final = fake.commentsOn(ISSUE).find((c) => c.body.startsWith(MARKERS.final));
  section('The issue body, every box ticked', fake.issue(ISSUE).body);
  section('The status comment', status.body.replace(/^<!--[\s\S]*?-->\n/, ''));
  if (final) section('The final report', final.body.replace(/^<!--[\s\S]*?-->\n/, ''));
  section('Pull requests', fake.pulls.map((p) => `#${p.number}  ${p.head}  ${p.title}`).join('\n'));
  mkdirSync(out, { recursive: true });
  const page = join(out, 'status.html');
  writeFileSync(page, statusPage(`Execution status for #${ISSUE}, from the demo`, status.body));
  say(`\nLabels on #${ISSUE}: ${fake.issue(ISSUE).labels.join(', ')}. The status comment as a page: ${page}`);
  return executed() ? 0 : 1;
}
