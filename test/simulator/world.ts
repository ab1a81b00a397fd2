import { readFileSync } from 'node:fs';
import { type AppReplica, startAppReplica } from './app-server.js';
import { Runner } from './runner.js';
import { sampleRepository } from './sample-repo.js';
import { type DeliveryPolicy, Simulator, TOKENS } from './simulator.js';

// The whole loop on this machine: the simulator, App replicas served over HTTP, and the runner
// executing the bundled Action for every dispatched stream.

export const SECRET = 'e2e-webhook-secret';
export const CHAT = readFileSync(new URL('../../examples/chat-system.md', import.meta.url), 'utf8');

export interface World {
  readonly simulator: Simulator;
  readonly replicas: AppReplica[];
  readonly runner: Runner;
  /** What a person does through the API (their token, their name on the webhooks). */
  api(method: string, path: string, body?: unknown, token?: string): Promise<{ status: number; data: unknown }>;
  /** Waits until nothing is moving: no delivery, no run, no queued work in any replica. */
  settle(): Promise<void>;
  close(): Promise<void>;
}

export async function startWorld(
  options: { replicas?: number; config?: string; delivery?: DeliveryPolicy; files?: Record<string, string> } = {},
): Promise<World> {
  const simulator = await new Simulator({
    files: { ...sampleRepository(options.config), ...options.files },
    webhookSecret: SECRET,
    ...(options.delivery ? { delivery: options.delivery } : {}),
  }).start();
  const replicas = await Promise.all(
    Array.from({ length: options.replicas ?? 1 }, () => startAppReplica(simulator.url, SECRET)),
  );
  simulator.targets = replicas.map((r) => r.url);
  const runner = new Runner(simulator);
  const api = async (method: string, path: string, body?: unknown, token: string = TOKENS.maintainer) => {
    const response = await fetch(`${simulator.url}${path}`, {
      method,
      headers: { authorization: `token ${token}`, 'content-type': 'application/json' },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    const text = await response.text();
    return { status: response.status, data: text === '' ? undefined : JSON.parse(text) };
  };
  const settle = async () => {
    // Work makes events and events make work: loop until a whole pass finds nothing to wait for.
    for (let quiet = 0; quiet < 3; ) {
      const before = simulator.fake.requests.length + simulator.deliveries.length;
      await simulator.idle();
      await runner.idle();
      await Promise.all(replicas.map((r) => r.coordinator.idle()));
      await new Promise((resolve) => setTimeout(resolve, 50));
      quiet = simulator.fake.requests.length + simulator.deliveries.length === before ? quiet + 1 : 0;
    }
  };
  return {
    simulator,
    replicas,
    runner,
    api,
    settle,
    close: async () => {
      await settle();
      await Promise.all(replicas.map((r) => r.close()));
      await simulator.stop();
      // Every request must be one GitHub accepts, every webhook one GitHub could send.
      const problems = [...simulator.fake.violations, ...simulator.violations];
      if (problems.length > 0) throw new Error(`the run broke GitHub's contract:\n${problems.slice(0, 10).join('\n')}`);
    },
  };
}
