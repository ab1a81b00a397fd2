import { afterEach, describe, expect, it } from 'vitest';
import { appHarness } from '../support/app-harness.js';
import { finishStream } from '../support/fake-github.js';
import { issuesLabeled, pullRequest } from '../support/webhooks.js';

// Critical path first, through the App on the simulated GitHub: when more streams are ready
// than max-parallel allows, the one on the longest remaining path is dispatched first, even when
// the document lists it later.

let close: (() => void) | undefined;
afterEach(() => close?.());

async function started(body: string, maxParallel: number) {
  const harness = await appHarness(`max-parallel: ${maxParallel}\n`);
  close = () => harness.fake.close();
  harness.fake.addIssue(12, body, ['execute'], 'Scheduling');
  await harness.deliver('issues', issuesLabeled(harness.fake, 12));
  const { fake, deliver } = harness;
  const streams = () => fake.dispatches().map((d) => d.inputs.stream);
  /** The stream's tasks committed and ticked, and its pull request opened. */
  const finish = async (stream: string, tasks: string[]) =>
    deliver('pull_request', pullRequest(fake, 'opened', finishStream(fake, 12, stream, tasks)));
  return { fake, streams, finish };
}

describe('critical path first', () => {
  it('with estimates, starts the stream that heads the longer path, then its dependent', async () => {
    // A: 2h on its own; B: 30 min, but C (3h) waits for it, so B's path is 3h 30m. By task
    // count alone A (3 tasks) would go first, and before C.
    const body = [
      '## Stream A: Polish (~2h)\n- [ ] Task 1: Styles\n- [ ] Task 2: Icons\n- [ ] Task 3: Copy\n',
      '## Stream B: Schema (~30 min)\n- [ ] Task 4: Write the schema\n',
      '## Stream C: Service\nDepends on: B\nEstimate: 3h\n- [ ] Task 5: Build the service\n',
    ].join('\n');
    const { fake, streams, finish } = await started(body, 1);
    expect(streams()).toEqual(['B']);

    await finish('B', ['B.4']);
    expect(streams()).toEqual(['B', 'C']);
    await finish('C', ['C.5']);
    expect(streams()).toEqual(['B', 'C', 'A']);
    expect(fake.violations).toEqual([]);
  });

  it('without estimates, weighs streams by their open task count', async () => {
    // A: 2 tasks; B: 1 task, then C's 3: B's path is 4 tasks, C's 3, A's 2.
    const body = [
      '## Stream A: Docs\n- [ ] Task 1: Guide\n- [ ] Task 2: Reference\n',
      '## Stream B: Schema\n- [ ] Task 3: Write the schema\n',
      '## Stream C: Service\nDepends on: B\n- [ ] Task 4: Model\n- [ ] Task 5: Routes\n- [ ] Task 6: Wiring\n',
    ].join('\n');
    const { fake, streams, finish } = await started(body, 1);
    expect(streams()).toEqual(['B']);

    await finish('B', ['B.3']);
    expect(streams()).toEqual(['B', 'C']);
    await finish('C', ['C.4', 'C.5', 'C.6']);
    expect(streams()).toEqual(['B', 'C', 'A']);
    expect(fake.violations).toEqual([]);
  });

  it('with max-parallel 2, fills the slots longest path first and ties in document order', async () => {
    const body = [
      '## Stream A: Logo\n- [ ] Task 1: Draw it\n',
      '## Stream B: Favicon\n- [ ] Task 2: Export it\n',
      '## Stream C: Schema\n- [ ] Task 3: Write it\n',
      '## Stream D: Service\nDepends on: C\n- [ ] Task 4: Model\n- [ ] Task 5: Routes\n',
    ].join('\n');
    const { streams } = await started(body, 2);
    expect(streams()).toEqual(['C', 'A']);
  });
});
