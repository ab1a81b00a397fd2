import { createNodeMiddleware, createProbot, run, type Server } from 'probot';
import { createCoordinatorApp } from './app.js';
import { CoordinatorOctokit } from './octokit.js';

// Two ways to host the App. `startServer` is `npm start`: Probot's server with the standard
// environment (APP_ID, PRIVATE_KEY, WEBHOOK_SECRET, PORT, GHE_HOST, …); without credentials it
// opens Probot's setup page, which registers the App from app.yml. `createMiddleware` is for
// serverless hosts and existing Node servers.

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

export function createMiddleware(env: NodeJS.ProcessEnv = process.env) {
  const probot = createProbot({ overrides: { Octokit: CoordinatorOctokit }, env });
  return createNodeMiddleware(createCoordinatorApp({ inline: true }), { probot });
}
