import type { IncomingMessage, ServerResponse } from 'node:http';
import { createNodeMiddleware, createProbot, run, type Server } from 'probot';
import { createCoordinatorApp } from './app.js';
import { CoordinatorOctokit } from './octokit.js';
import { sweepEndpoint } from './sweep-endpoint.js';

// Two ways to host the App. `startServer` is `npm start`: Probot's server with the standard
// environment (APP_ID, PRIVATE_KEY, WEBHOOK_SECRET, PORT, GHE_HOST, …); without credentials it
// opens Probot's setup page, which registers the App from app.yml. `createMiddleware` is for
// serverless hosts and existing Node servers; with SWEEP_TOKEN it also serves the sweep (see
// sweep-endpoint.ts), since a serverless host keeps no timer.

export async function startServer(env: NodeJS.ProcessEnv = process.env): Promise<Server> {
  const coordinator = createCoordinatorApp();
  const server = await run(coordinator, { Octokit: CoordinatorOctokit, env });
  const minutes = Number(env.RECONCILE_INTERVAL_MINUTES ?? '10');
  if (env.APP_ID && minutes > 0) {
    const timer = setInterval(() => {
      coordinator.reconcile().catch((error: unknown) => console.error('periodic reconcile failed:', error));
    }, minutes * 60_000);
    timer.unref();
  }
  return server;
}

export async function createMiddleware(env: NodeJS.ProcessEnv = process.env) {
  const probot = createProbot({ overrides: { Octokit: CoordinatorOctokit }, env });
  const coordinator = createCoordinatorApp({ inline: true });
  const webhooks = await createNodeMiddleware(coordinator, { probot });
  // No timer survives between a serverless function's calls: a scheduler calls the sweep instead.
  const sweep = sweepEndpoint(coordinator, env.SWEEP_TOKEN);
  return async (request: IncomingMessage, response: ServerResponse, next?: () => void): Promise<void> => {
    // Whatever goes wrong answers 500: an unhandled rejection would end a plain Node host.
    try {
      if (!(await sweep(request, response))) await webhooks(request, response, next);
    } catch (error) {
      if (!response.headersSent) response.writeHead(500, { 'content-type': 'application/json' });
      response.end(`${JSON.stringify({ error: (error as Error).message })}\n`);
    }
  };
}
