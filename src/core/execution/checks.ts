// Check run names: one per gate (the Action reports them), and the App's `execution` summary.

export const EXECUTION_CHECK = 'execution';

export function gateCheckName(gate: string): string {
  return `gate: ${gate}`;
}

export function gateOfCheck(name: string): string | undefined {
  return name.startsWith('gate: ') ? name.slice('gate: '.length) : undefined;
}

/**
 * The gates a stream runs, one rule for everyone who asks (the Action running them, the status
 * comment listing them, the execution check requiring them): its own `Gates:` line picks the
 * gates after each task (else the config's task-gates), and the config's stream-gates run before
 * its pull request.
 */
export function gatesOfStream(
  stream: { readonly gates: readonly string[] },
  config: { readonly taskGates: readonly string[]; readonly streamGates: readonly string[] },
): { task: string[]; stream: string[]; all: string[] } {
  const task = stream.gates.length > 0 ? [...stream.gates] : [...config.taskGates];
  const before = [...config.streamGates];
  return { task, stream: before, all: [...new Set([...task, ...before])] };
}
