import { generateKeyPairSync } from 'node:crypto';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createNodeMiddleware, Probot } from 'probot';
import { type CoordinatorApp, createCoordinatorApp } from '../../src/app/app.js';
import { createCoordinatorOctokit } from '../../src/app/octokit.js';
import { unpacedLimiters } from '../support/app-harness.js';

// The App as it is deployed: a Probot server over HTTP that verifies every delivery's signature
// and authenticates as an App (JWT, then an installation token) against the simulator.

export interface AppReplica {
  readonly url: string;
  readonly coordinator: CoordinatorApp;
  close(): Promise<void>;
}

export async function startAppReplica(apiUrl: string, secret: string): Promise<AppReplica> {
  const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const coordinator = createCoordinatorApp();
  const probot = new Probot({
    appId: 1,
    privateKey: privateKey.export({ type: 'pkcs1', format: 'pem' }).toString(),
    secret,
    baseUrl: apiUrl,
    // Unpaced: GitHub asks for writes a second apart, which would make a local run crawl.
    Octokit: createCoordinatorOctokit({ retryAfterBaseValue: 5, limiters: unpacedLimiters() }),
    logLevel: 'fatal',
  });
  const middleware = await createNodeMiddleware(coordinator, { probot });
  // Started means ready: the App has asked who it is (GET /app) before any delivery arrives.
  await coordinator.idle();
  const server = createServer((request, response) => void middleware(request, response));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/api/github/webhooks`,
    coordinator,
    close: async () => {
      await coordinator.idle();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
