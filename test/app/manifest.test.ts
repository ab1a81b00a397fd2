import { readFileSync } from 'node:fs';
import { load } from 'js-yaml';
import type { Probot } from 'probot';
import { describe, expect, it } from 'vitest';
import { createCoordinatorApp } from '../../src/app/app.js';
import { actionHarness } from '../support/action-harness.js';
import { appHarness } from '../support/app-harness.js';
import { finishStream } from '../support/fake-github.js';
import { commentCreated, issuesLabeled, pullRequest, workflowRunCompleted } from '../support/webhooks.js';

const manifest = load(readFileSync(new URL('../../app.yml', import.meta.url), 'utf8')) as {
  description: string;
  default_events: string[];
  default_permissions: Record<string, string>;
};

/** The events the App subscribes to, by loading it into a recorder instead of Probot. */
function subscribedEvents(): string[] {
  const events = new Set<string>();
  const recorder = {
    on: (names: string | string[]) => {
      for (const name of [names].flat()) events.add(name.split('.')[0] as string);
    },
    log: { error: () => undefined, warn: () => undefined },
    // The App asks who it is when it loads.
    auth: async () => ({ request: async () => ({ data: { slug: 'execution-coordinator' } }) }),
  };
  createCoordinatorApp()(recorder as unknown as Probot);
  return [...events].sort();
}

/** The repository permission GitHub requires for each request the App makes (its REST docs). */
function permissionFor(method: string, path: string): [string, 'read' | 'write'] | undefined {
  // GraphQL `viewer` (whom the token belongs to) needs no permission.
  if (path === '/graphql') return undefined;
  const rest = path.replace(/^\/repos\/[^/]+\/[^/]+/, '');
  const level = method === 'GET' ? 'read' : 'write';
  if (rest === '' || rest.startsWith('/collaborators/')) return ['metadata', 'read'];
  if (/^\/(contents|git|merges|commits)(\/|$)/.test(rest) && !rest.endsWith('/check-runs')) return ['contents', level];
  if (rest.startsWith('/issues')) return ['issues', level];
  if (rest.startsWith('/actions')) return ['actions', level];
  if (rest.startsWith('/pulls')) return ['pull_requests', level];
  if (rest.startsWith('/check-runs') || rest.endsWith('/check-runs')) return ['checks', level];
  throw new Error(`no permission known for ${method} ${path}`);
}

type Needed = Record<string, string>;

function need(needed: Needed, requests: readonly { method: string; path: string }[]): Needed {
  for (const { method, path } of requests) {
    const [permission, level] = permissionFor(method, path) ?? [];
    if (permission && needed[permission] !== 'write') needed[permission] = level as string;
  }
  return needed;
}

/** The App's requests through a whole execution: start, a PR, a failure, a retry, a cancel. */
async function appNeeds(): Promise<Needed> {
  const { fake, deliver } = await appHarness();
  try {
    fake.addIssue(12, readFileSync(new URL('../../examples/chat-system.md', import.meta.url), 'utf8'), ['execute']);
    await deliver('issues', issuesLabeled(fake, 12));
    finishStream(fake, 12, 'A', ['A.1', 'A.2']);
    const b = finishStream(fake, 12, 'B', ['B.3', 'B.4']);
    await deliver('pull_request', pullRequest(fake, 'opened', b));
    await deliver('workflow_run', workflowRunCompleted(fake, 'execute/12/C', 'failure'));
    await deliver('issue_comment', commentCreated(fake, 12, '/execute retry C'));
    await deliver('issue_comment', commentCreated(fake, 12, '/execute cancel'));
    return need({}, fake.requests);
  } finally {
    fake.close();
  }
}

/**
 * The Action's requests when its token is the App's installation token (README's
 * actions/create-github-app-token workflow): a stream run that ticks, opens its pull request and
 * dispatches what waited, and the gates on a pull request. Its pushes need contents write.
 */
async function actionNeeds(): Promise<Needed> {
  const harness = actionHarness({
    '.github/execution-coordinator.yml': 'gates:\n  ok: "true"\ntask-gates: [ok]\nstream-gates: [ok]\n',
  });
  try {
    const { fake, run, checkout } = harness;
    fake.addIssue(
      12,
      '## Stream A: One\n- [ ] Task 1: A file\n\n## Stream B: Two\nDepends on: A\n- [ ] Task 2: More\n',
    );
    fake.approve(12);
    fake.refs.set('execute/12/A', fake.refs.get('main') as string);
    const implement = 'date +%s%N > "$TASK_ID.txt"';
    const stream = await run(
      { mode: 'stream', issue: '12', stream: 'A', implement },
      { inputs: { issue: '12', stream: 'A' } },
      checkout('execute/12/A'),
    );
    expect(stream.failed).toBe(false);
    const workspace = checkout('execute/12/A');
    const head = harness.fake.refs.get('execute/12/A') as string;
    const gate = await run({ mode: 'gate' }, { pull_request: { number: 1, head: { sha: head } } }, workspace);
    expect(gate.failed).toBe(false);
    return need({ contents: 'write' }, fake.requests);
  } finally {
    harness.close();
  }
}

describe('app.yml', () => {
  it('asks for exactly the events the App handles', () => {
    expect([...manifest.default_events].sort()).toEqual(subscribedEvents());
  });

  it('asks for exactly the permissions its requests need, and the Action’s on its installation token', async () => {
    const app = await appNeeds();
    // The App itself only reads pull requests; writing them is the Action's, on the App's token.
    expect(app.pull_requests).toBe('read');
    const action = await actionNeeds();
    expect(action.pull_requests).toBe('write');
    const both: Needed = { ...app };
    for (const [permission, level] of Object.entries(action))
      if (both[permission] !== 'write') both[permission] = level;
    expect(both).toEqual(manifest.default_permissions);
  });

  it('has no apostrophe in its description: Probot’s setup page puts it in a single-quoted attribute', () => {
    expect(manifest.description).not.toContain("'");
  });
});
