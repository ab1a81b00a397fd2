import type { ChildProcess } from 'node:child_process';
import type { GateConfig } from '../core/config/schema.js';
import type { GateResult } from '../core/gates/result.js';
import { BoundedOutput } from './bounded-output.js';
import { openSandbox, type Sandbox } from './sandbox.js';

// Runs gates: trusted commands from the config, never text from an issue. A gate starts as soon
// as the gates it needs have passed, so gates without `needs` run side by side; each runs in its
// own process group, so a timeout kills everything it started, grandchildren included. Gates
// run inside the sandbox, and once they have all ended, whatever they left running is ended too.

export interface GateRunOptions {
  readonly cwd: string;
  readonly env: NodeJS.ProcessEnv;
  /** Called as each gate's process starts (for logs and for the cold-start figure). */
  readonly onStart?: (name: string) => void;
  /** How long a terminated gate gets before it is killed outright. */
  readonly graceMs?: number;
  readonly outputLimit?: number;
  /** Applied to the output before it is cut or kept: nothing unmasked outlives the gate. */
  readonly mask?: (text: string) => string;
  /** Where the commands run; by default as this process's user. */
  readonly sandbox?: Pick<Sandbox, 'spawn' | 'sweep'>;
}

const unsandboxed = openSandbox('off', { workspace: '', tempDir: '' }).sandbox;

export async function runGates(
  gates: Readonly<Record<string, GateConfig>>,
  names: readonly string[],
  options: GateRunOptions,
): Promise<GateResult[]> {
  const results = new Map<string, GateResult>();
  const running = new Map<string, Promise<void>>();
  // A gate's needs run too, even when not named: `test` needs `build`.
  const wanted = closure(gates, names);
  const pending = new Set(wanted);

  while (pending.size > 0 || running.size > 0) {
    for (const name of [...pending]) {
      const needs = gates[name]?.needs ?? [];
      const failedNeed = needs.find((n) => results.has(n) && results.get(n)?.outcome !== 'passed');
      if (failedNeed) {
        pending.delete(name);
        results.set(name, skipped(name, gates[name]?.run ?? '', `needs ${failedNeed}, which did not pass`));
        continue;
      }
      if (!needs.every((n) => results.has(n))) continue;
      pending.delete(name);
      const gate = gates[name] as GateConfig;
      running.set(
        name,
        runGate(name, gate, options).then((result) => {
          results.set(name, result);
          running.delete(name);
        }),
      );
    }
    if (running.size > 0) await Promise.race(running.values());
    else if (pending.size > 0)
      throw new Error(`gates ${[...pending].join(', ')} can never start: their needs form a cycle`);
  }
  (options.sandbox ?? unsandboxed).sweep();
  return wanted.map((name) => results.get(name) as GateResult);
}

function closure(gates: Readonly<Record<string, GateConfig>>, names: readonly string[]): string[] {
  const order: string[] = [];
  const visit = (name: string) => {
    if (order.includes(name)) return;
    if (!gates[name]) throw new Error(`no gate named ${name} in the configuration`);
    for (const need of gates[name].needs) visit(need);
    order.push(name);
  };
  for (const name of names) visit(name);
  return order;
}

function skipped(name: string, command: string, reason: string): GateResult {
  return { name, command, outcome: 'skipped', exitCode: null, durationMs: 0, output: '', dropped: 0, reason };
}

function runGate(name: string, gate: GateConfig, options: GateRunOptions): Promise<GateResult> {
  const started = performance.now();
  const output = new BoundedOutput(options.outputLimit, options.mask);
  return new Promise((resolve) => {
    const child = (options.sandbox ?? unsandboxed).spawn(gate.run, { cwd: options.cwd, env: options.env });
    options.onStart?.(name);
    child.stdout?.setEncoding('utf8').on('data', (chunk: string) => output.push(chunk));
    child.stderr?.setEncoding('utf8').on('data', (chunk: string) => output.push(chunk));
    let timedOut = false;
    let finished = false;
    const timer = setTimeout(() => {
      timedOut = true;
      killGroup(child, options.graceMs ?? 5000);
    }, gate.timeoutMinutes * 60_000);
    const finish = (exitCode: number | null, spawnError?: Error) => {
      // A spawn error may be followed by `close`; the first word counts.
      if (finished) return;
      finished = true;
      clearTimeout(timer);
      // Whatever the gate left running in its group goes with it.
      killGroup(child, 0);
      if (spawnError) output.push(`\n${spawnError.message}\n`);
      const outcome = timedOut ? 'timed-out' : exitCode === 0 ? 'passed' : 'failed';
      resolve({
        name,
        command: gate.run,
        outcome,
        exitCode,
        durationMs: Math.round(performance.now() - started),
        output: output.text(),
        dropped: output.dropped,
        ...(timedOut ? { reason: `timed out after ${gate.timeoutMinutes} minutes` } : {}),
      });
    };
    child.on('error', (error) => finish(null, error));
    // The gate is done when its shell exits, whatever it left running: a background server
    // would keep the output pipes (and so 'close') open forever. Kill the rest of the group,
    // let the pipes drain briefly, then settle.
    child.on('exit', (code) => {
      killGroup(child, 0);
      const drained = setTimeout(() => finish(code), DRAIN_MS);
      child.on('close', () => {
        clearTimeout(drained);
        finish(code);
      });
    });
  });
}

/** How long output may keep arriving after a gate's shell has exited. */
const DRAIN_MS = 500;

function killGroup(child: ChildProcess, graceMs: number): void {
  if (child.pid === undefined) return;
  const signal = (sig: NodeJS.Signals) => {
    try {
      process.kill(-(child.pid as number), sig);
    } catch {
      // The group is already gone.
    }
  };
  if (graceMs === 0) {
    signal('SIGKILL');
    return;
  }
  signal('SIGTERM');
  setTimeout(() => signal('SIGKILL'), graceMs).unref();
}
