import { appHarness } from '../test/support/app-harness.js';
import { issuesLabeled } from '../test/support/webhooks.js';
import type { Figure } from './figure.js';

// REST calls the App makes to start an execution: label → N streams dispatched, counted at the
// in-memory GitHub the tests use (every request validated against GitHub's OpenAPI description).

function independentStreams(n: number): string {
  return Array.from({ length: n }, (_, i) => `## Stream S${i}: Part ${i}\n- [ ] Task ${i + 1}: do part ${i}\n`).join(
    '\n',
  );
}

export async function appFigures(): Promise<Figure[]> {
  const figures: Figure[] = [];
  for (const n of [2, 8, 16]) {
    const { fake, deliver } = await appHarness(`max-parallel: ${n}\n`);
    try {
      fake.addIssue(1, independentStreams(n), ['execute']);
      await deliver('issues', issuesLabeled(fake, 1));
      if (fake.dispatches().length !== n) throw new Error(`expected ${n} dispatches, got ${fake.dispatches().length}`);
      figures.push({
        name: `REST calls: label → ${n} streams dispatched`,
        value: fake.requests.length,
        unit: 'requests',
        goal: `about N + 6 = ${n + 6} (floor: 2 per stream, a claim and a dispatch)`,
      });
    } finally {
      fake.close();
    }
  }
  return figures;
}
