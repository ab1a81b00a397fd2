import { afterEach, describe, expect, it } from 'vitest';
import { MARKERS } from '../../src/core/execution/records.js';
import { appHarness, CONFIG, markedComment, statusComment } from '../support/app-harness.js';
import { type FakeGitHub, finishStream } from '../support/fake-github.js';
import { commentCreated, issuesEdited, issuesLabeled, pullRequest } from '../support/webhooks.js';

// A plan the reader warned about (structure it saw and did not turn into the plan) never starts
// on the label alone: the status comment lists the warnings, and a writer who has read them
// approves it with `/execute start <key>`. `start-with-warnings: true` opts out. And a summary
// checklist that names the units follows them.

const PHASES = [
  '## Phase 1: Setup',
  '- [ ] Create the project',
  '',
  '## Phase 2: API',
  '- [ ] Add the endpoint',
  '',
  '### Acceptance Criteria',
  '- [ ] The endpoint answers within 200 ms',
  '',
].join('\n');

const WARNED = `${PHASES}\n## Dependencies & Execution Order\n\nPhase 2 depends on Phase 1.\n`;

let close: (() => void) | undefined;
afterEach(() => close?.());

async function labelled(body: string, config = CONFIG) {
  const harness = await appHarness(config);
  close = () => harness.fake.close();
  harness.fake.addIssue(12, body, ['execute'], 'API');
  await harness.deliver('issues', issuesLabeled(harness.fake, 12));
  return harness;
}

const keyOf = (fake: FakeGitHub) => /`\/execute start ([0-9a-f]{32})`/.exec(statusComment(fake))?.[1];

describe('a plan with warnings', () => {
  it('waits for a writer’s /execute start, with the warnings and the criteria in the status comment', async () => {
    const { fake, deliver } = await labelled(WARNED);
    expect(fake.dispatches()).toEqual([]);
    expect(markedComment(fake, MARKERS.approval)).toBeUndefined();
    const status = statusComment(fake);
    expect(status).toContain('Waiting for approval: the breakdown has 2 warnings (below)');
    expect(status).toContain(
      '- line 10, column 4: the section “Dependencies &amp; Execution Order” describes an order that is not read',
    );
    expect(status).toContain('- line 12, column 9: a line says “depends on”: an order in words is not read');
    expect(status).toContain('#### Left for a person');
    expect(status).toContain('- ☐ The endpoint answers within 200 ms (line 8, phase-2-api)');

    const key = keyOf(fake);
    expect(key).toMatch(/^[0-9a-f]{32}$/);
    await deliver('issue_comment', commentCreated(fake, 12, `/execute start ${key}`));
    // Phases run in their numbered order: Phase 1 first, alone.
    expect(fake.dispatches().map((d) => d.inputs.stream)).toEqual(['phase-1-setup']);
    expect(markedComment(fake, MARKERS.approval)?.body).toContain('@maintainer approved this plan: 2 streams');
  });

  it('starts on the label when the config says start-with-warnings: true', async () => {
    const { fake } = await labelled(WARNED, `${CONFIG}start-with-warnings: true\n`);
    expect(fake.dispatches().map((d) => d.inputs.stream)).toEqual(['phase-1-setup']);
    expect(statusComment(fake)).toContain('#### ⚠️ 2 warnings: structure the plan does not use');
  });

  it('starts on the label when there is nothing to warn about', async () => {
    const { fake } = await labelled(PHASES);
    expect(fake.dispatches().map((d) => d.inputs.stream)).toEqual(['phase-1-setup']);
    expect(statusComment(fake)).not.toContain('warning');
  });

  it('a writer’s edit that brings a warning is not approved by the edit alone', async () => {
    const { fake, deliver } = await labelled(PHASES);
    const before = fake.issue(12).body;
    fake.issue(12).body = `${PHASES}\n## Phase 3: Docs\n- [ ] Write the guide (blocked by Billing)\n`;
    const payload = issuesEdited(fake, 12);
    payload.changes = { body: { from: before } };
    await deliver('issues', payload);
    expect(statusComment(fake)).toContain('Waiting for approval: the plan changed since a writer approved it');
    expect(statusComment(fake)).toContain('a task says “blocked by”');
  });
});

describe('a summary checklist', () => {
  it('is ticked, item by item, as the units it names complete', async () => {
    const body = [
      '## Progress',
      '- [ ] Phase 1: Setup',
      '- [ ] Phase 2: API',
      '',
      '## Phase 1: Setup',
      '- [ ] Task 1: Create the project',
      '',
      '## Phase 2: API',
      '- [ ] Task 2: Add the endpoint',
      '',
    ].join('\n');
    const { fake, deliver } = await labelled(body);
    expect(fake.dispatches().map((d) => d.inputs.stream)).toEqual(['phase-1-setup']);
    const pull = finishStream(fake, 12, 'phase-1-setup', ['phase-1-setup.1']);
    await deliver('pull_request', pullRequest(fake, 'opened', pull));
    expect(fake.issue(12).body).toContain('- [x] Phase 1: Setup\n- [ ] Phase 2: API');
    expect(fake.dispatches().map((d) => d.inputs.stream)).toEqual(['phase-1-setup', 'phase-2-api']);
  });
});
