import { spawn, spawnSync } from 'node:child_process';

// GitHub-hosted runners run steps as one user with passwordless sudo. To run implement and the
// gates as another user, the Action must be root: it re-runs itself through `sudo`, once, with
// its environment (the token among it) sent over a pipe, never in an argument list, and sudo
// gives the root process a fresh environment of its own. The process that stays behind holds the
// token in its environment, but only its own user can read that, and no untrusted code runs as
// that user any more.

/** The argument that marks the root process. */
export const ELEVATED = '--elevated';

interface Handover {
  readonly env: Record<string, string | undefined>;
  readonly cwd: string;
}

/** Whether this step should re-run itself as root: not root, sandbox wanted, and sudo needs no password. */
function canElevate(env: NodeJS.ProcessEnv): boolean {
  if (process.platform !== 'linux' || process.getuid?.() === 0) return false;
  if ((env.INPUT_SANDBOX ?? '').trim().toLowerCase() === 'off') return false;
  return spawnSync('sudo', ['-n', 'true'], { stdio: 'ignore', timeout: 10_000 }).status === 0;
}

/**
 * Re-runs this script as root when it can, and resolves with that run's exit code; resolves
 * undefined when it cannot (the caller then runs the Action itself).
 */
export async function elevate(script: string, env: NodeJS.ProcessEnv = process.env): Promise<number | undefined> {
  if (!canElevate(env)) return undefined;
  const child = spawn('sudo', ['-n', '--', process.execPath, script, ELEVATED], {
    stdio: ['pipe', 'inherit', 'inherit'],
  });
  const handover: Handover = { env: { ...env }, cwd: process.cwd() };
  child.stdin.end(JSON.stringify(handover));
  return new Promise((resolve) => {
    child.on('error', () => resolve(1));
    child.on('close', (code, signal) => resolve(code ?? (signal ? 128 : 1)));
  });
}

/** In the root process: takes the environment and working folder the step had. */
export async function receiveHandover(): Promise<void> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  const handover = JSON.parse(Buffer.concat(chunks).toString('utf8')) as Handover;
  for (const name of Object.keys(process.env)) delete process.env[name];
  Object.assign(process.env, handover.env);
  process.chdir(handover.cwd);
}
