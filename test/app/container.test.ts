import { execFile } from 'node:child_process';
import { generateKeyPairSync } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { promisify } from 'node:util';
import { afterEach, describe, expect, it } from 'vitest';
import { startServer } from '../../src/app/server.js';

// The container as the Dockerfile makes it (no Docker engine on these machines, so the image is
// not built here): its last stage's settings, then the App started with that environment, and
// the image's own health check run against it.

const dockerfile = readFileSync(new URL('../../Dockerfile', import.meta.url), 'utf8');
const runtime = dockerfile.slice(dockerfile.lastIndexOf('\nFROM '));
const env = Object.fromEntries(
  [...runtime.matchAll(/^ENV (.+)$/gm)].flatMap((m) => (m[1] as string).split(/\s+/).map((pair) => pair.split('='))),
) as Record<string, string>;
const healthcheck = JSON.parse(
  /HEALTHCHECK[^[]*CMD (\[.*\])$/m.exec(runtime.replace(/\\\n\s*/g, ''))?.[1] ?? '[]',
) as string[];

let stop: (() => Promise<void>) | undefined;
afterEach(async () => {
  await stop?.();
  stop = undefined;
});

describe('the container', () => {
  it('runs as an unprivileged user, listens on every interface, and checks its health at /ping', async () => {
    expect(runtime).toMatch(/^USER node$/m);
    expect(env.HOST).toBe('0.0.0.0');
    expect(healthcheck.join(' ')).toContain('/ping');

    const port = String(20_000 + Math.floor(Math.random() * 20_000));
    const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
    const server = await startServer({
      ...env,
      PORT: port,
      APP_ID: '1',
      PRIVATE_KEY: privateKey.export({ type: 'pkcs1', format: 'pem' }).toString(),
      WEBHOOK_SECRET: 'container-secret',
      LOG_LEVEL: 'fatal',
      RECONCILE_INTERVAL_MINUTES: '0',
    });
    stop = () => server.stop();
    expect(server.host).toBe('0.0.0.0');
    const [command, ...args] = healthcheck as [string, ...string[]];
    const check = await promisify(execFile)(command === 'node' ? process.execPath : command, args, {
      env: { PORT: port },
    }).then(
      () => 0,
      (error: { code?: number }) => error.code ?? 1,
    );
    expect(check).toBe(0);
  });
});
