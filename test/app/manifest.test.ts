import { readFileSync } from 'node:fs';
import { load } from 'js-yaml';
import type { Probot } from 'probot';
import { describe, expect, it } from 'vitest';
import { createCoordinatorApp } from '../../src/app/app.js';
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
function permissionFor(method: string, path: string): [string, 'read' | 'write'] {
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

describe('app.yml', () => {
  it('asks for exactly the events the App handles', () => {
    expect([...manifest.default_events].sort()).toEqual(subscribedEvents());
  });

  it('asks for exactly the permissions its requests need', async () => {
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
      const needed: Record<string, string> = {};
      for (const { method, path } of fake.requests) {
        const [permission, level] = permissionFor(method, path);
        if (needed[permission] !== 'write') needed[permission] = level;
      }
      expect(needed).toEqual(manifest.default_permissions);
    } finally {
      fake.close();
    }
  });

  it('has no apostrophe in its description: Probot’s setup page puts it in a single-quoted attribute', () => {
    expect(manifest.description).not.toContain("'");
  });
});
