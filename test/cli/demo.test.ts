import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterEach, describe, expect, it } from 'vitest';
import { liveView, StreamActivity } from '../../demo/live-view.js';
import { statusPage } from '../../demo/status-page.js';
import { startedChat, statusComment } from '../support/app-harness.js';
import { FakeGitHub } from '../support/fake-github.js';

// `npm run demo` with arguments it cannot use: one line saying which, the usage, exit 2, and no
// run of the happy path in their place.

const root = fileURLToPath(new URL('../..', import.meta.url));
const demo = (...args: string[]) =>
  promisify(execFile)(process.execPath, ['--import', 'tsx', 'demo/run.ts', ...args], { cwd: root }).then(
    ({ stdout, stderr }) => ({ code: 0, stdout, stderr }),
    (error: { code: number; stdout: string; stderr: string }) => error,
  );

describe('npm run demo, used wrongly', () => {
  it('names an unknown option, with the usage and no stack trace', async () => {
    const { code, stderr } = await demo('--bogus');
    expect(code).toBe(2);
    expect(stderr).toContain("npm run demo: Unknown option '--bogus'");
    expect(stderr).toContain('Usage: npm run demo');
    expect(stderr).not.toMatch(/\n\s+at /);
  });

  it('refuses --fail-at of a task the breakdown does not have, before running anything', async () => {
    const { code, stdout, stderr } = await demo('--fail-at', 'Z.9');
    expect(code).toBe(2);
    expect(stderr).toContain(
      '--fail-at Z.9: the breakdown has no such task (its tasks: A.1, A.2, B.3, B.4, C.5, C.6, D.7, D.8)',
    );
    expect(stdout).toBe('');
  });
});

describe('npm run demo -- --flaky C.5', () => {
  it('shows a gate failing on the first attempt and passing on attempt 2, with nobody’s command, every box ticked', async () => {
    const out = mkdtempSync(join(tmpdir(), 'demo-'));
    const { code, stdout } = await demo('--flaky', 'C.5', '--out', out);
    expect(code).toBe(0);
    expect(stdout).toContain('Task C.5 is flaky');
    // The status comment and the final report, as the demo prints them.
    expect(stdout).toMatch(/- ✅ `C\.5` Task 5: PubSub integration · passed on attempt 2 · \$0\.\d{4}/);
    expect(stdout).toContain('One task passed after a fix attempt');
    expect(stdout).not.toContain('/execute retry');
    expect(stdout).not.toContain('### ❌');
    // Who implements: D names the careful implementer; usage totals for the plan.
    expect(stdout).toMatch(/D · Advanced features: done\n.*by `careful`/);
    expect(stdout).toMatch(/\*\*Spent\*\* \$0\.\d{4} · \d+(\.\d)?k tokens \(`demo-agent`\), as implementers reported/);
    const body = stdout.slice(stdout.indexOf('The issue body, every box ticked'));
    expect(body.match(/- \[x\]/g)).toHaveLength(8);
    expect(body).not.toContain('- [ ]');
  }, 240_000);
});

describe('npm run demo -- --sub-issues', () => {
  it('runs a parent’s four sub-issues in blocked-by order to the end, and merging closes each', async () => {
    const out = mkdtempSync(join(tmpdir(), 'demo-'));
    const { code, stdout } = await demo('--sub-issues', '--out', out);
    expect(code).toBe(0);
    for (const [number, title] of [
      [21, 'Invoice schema'],
      [22, 'Invoice API'],
      [23, 'Invoice page'],
      [24, 'Billing docs'],
    ])
      expect(stdout).toContain(`── #${number} ${title}: closed (completed)`);
    // Each sub-issue's own body carries its ticks; the one without a checklist is one task.
    expect(stdout).toContain('- [x] Invoice table\n- [x] Line items');
    expect(stdout).not.toContain('- [ ]');
    expect(stdout).toContain('All 6 tasks in 4 streams are done');
    expect(stdout).toContain('**Critical path** none: every task is done');
    expect(stdout).toMatch(/#### ✅ issue-24 · Billing docs \(#24\): done/);
    expect(stdout).toContain('Sub-issues closed: 4 of 4');
    expect(stdout).not.toContain('<!--');
  }, 240_000);

  it('takes one scenario at a time', async () => {
    const { code, stderr } = await demo('--sub-issues', '--flaky', 'C.5');
    expect(code).toBe(2);
    expect(stderr).toContain('npm run demo: --flaky and --sub-issues: one at a time');
  });
});

let close: (() => void) | undefined;
afterEach(() => {
  close?.();
  close = undefined;
});

describe('demo-output/status.html', () => {
  it('draws the status comment’s Mermaid graph offline, with the mermaid bundle inlined', async () => {
    const { fake } = await startedChat((c) => (close = c));
    const comment = statusComment(fake);
    expect(comment).toContain('```mermaid');
    const page = statusPage('Execution status for #12 </title><script>alert(1)</script>', comment);

    // The graph's source, as the element Mermaid draws from (its text, escaped like any text).
    const graph = /<pre class="mermaid">([\s\S]*?)<\/pre>/.exec(page)?.[1] ?? '';
    expect(graph).toMatch(/^(graph|flowchart) /);
    expect(graph).toContain('A');
    // The package's own bundle, whole, and the call that draws every graph when the page loads.
    const require = createRequire(import.meta.url);
    const bundle = readFileSync(require.resolve('mermaid/dist/mermaid.min.js'), 'utf8');
    // (Booleans, not the page: a failure must not print 3.5 MB.)
    expect(page.includes(`<script>${bundle.slice(0, 2_000)}`)).toBe(true);
    expect(page.includes(`${bundle.slice(-2_000)}</script>`)).toBe(true);
    // Nothing ends a script element early, and outside the scripts nothing is fetched.
    expect(page.match(/<\/script/gi)?.length).toBe(2);
    const html = page.replace(/<script>[\s\S]*?<\/script>/g, '<script></script>');
    expect(page.includes("<script>mermaid.initialize({ startOnLoad: true, securityLevel: 'strict' });</script>")).toBe(
      true,
    );
    expect(html).not.toMatch(/<(script|link|img|iframe)\b[^>]*\b(src|href)=/i);
    // Issue text stays text.
    expect(html).not.toContain('alert(1)</script>');
    expect(html).toContain('&lt;/title&gt;&lt;script&gt;alert(1)&lt;/script&gt;');
  });

  it('has no script at all when the comment has no graph', () => {
    expect(statusPage('t', 'Nothing to draw.')).not.toContain('<script');
  });
});

describe('the live view', () => {
  it('shows a stream’s latest event: a tick seen after the run’s last line is not shown as the task before', () => {
    const fake = new FakeGitHub();
    fake.addIssue(12, '## Stream A: One\n- [ ] Task 1: First\n- [ ] Task 2: Second\n');
    fake.runs.push({
      id: 1,
      workflow: 'execute-stream.yml',
      branch: 'execute/12/A',
      inputs: { issue: '12', stream: 'A' },
      status: 'in_progress',
      conclusion: null,
      createdAt: new Date().toISOString(),
    });
    const activity = new StreamActivity();
    const lineOf = (stream: string) =>
      liveView({ fake, issue: 12, activity, elapsedMs: 0 }).find((l) => l.trimStart().startsWith(`${stream}  `)) ?? '';

    activity.line('A', 'gate test: started for task A.1');
    expect(lineOf('A')).toContain('0/2  gate test: started for task A.1');
    // The tick lands (the App ticks from the pushed commit) before the run says it ticked.
    fake.issue(12).body = fake.issue(12).body.replace('- [ ] Task 1', '- [x] Task 1');
    expect(lineOf('A')).toContain('1/2  A.1: ticked');
    // Seen once, a tick is no news: the run's next line is.
    activity.line('A', 'task A.2: implementing');
    expect(lineOf('A')).toContain('1/2  task A.2: implementing');
  });
});
