import { createHash, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { CoordinatorApp } from './app.js';

// The periodic sweep, for hosts without a clock of their own (serverless): a scheduler calls
// `POST /api/execution-coordinator/sweep` with `Authorization: Bearer <SWEEP_TOKEN>`, and the
// answer comes once the sweep's work is done. Without SWEEP_TOKEN the endpoint does not exist.

export const SWEEP_PATH = '/api/execution-coordinator/sweep';

function sameSecret(given: string, expected: string): boolean {
  // Digests first: equal lengths for timingSafeEqual, and no length leaked by an early exit.
  const digest = (text: string) => createHash('sha256').update(text, 'utf8').digest();
  return timingSafeEqual(digest(given), digest(expected));
}

/** Handles the sweep request and returns true, or returns false for any other request. */
export function sweepEndpoint(
  coordinator: CoordinatorApp,
  token: string | undefined,
): (request: IncomingMessage, response: ServerResponse) => Promise<boolean> {
  return async (request, response) => {
    // The path by hand: `new URL` throws on a request line such as `POST //x:99999/`.
    if (!token || (request.url ?? '').split('?')[0] !== SWEEP_PATH) return false;
    const answer = (status: number, body: Record<string, unknown>) => {
      response.writeHead(status, { 'content-type': 'application/json' });
      response.end(`${JSON.stringify(body)}\n`);
    };
    if (request.method !== 'POST') {
      answer(405, { error: 'POST only' });
      return true;
    }
    const given = /^Bearer (.+)$/.exec(request.headers.authorization ?? '')?.[1] ?? '';
    if (!sameSecret(given, token)) {
      answer(401, { error: 'a valid bearer token is required' });
      return true;
    }
    try {
      const queued = await coordinator.reconcile();
      await coordinator.idle();
      answer(200, { queued });
    } catch (error) {
      answer(500, { error: `the sweep failed: ${(error as Error).message}` });
    }
    return true;
  };
}
