// Check run names: one per gate (the Action reports them), and the App's `execution` summary.

export const EXECUTION_CHECK = 'execution';

export function gateCheckName(gate: string): string {
  return `gate: ${gate}`;
}

export function gateOfCheck(name: string): string | undefined {
  return name.startsWith('gate: ') ? name.slice('gate: '.length) : undefined;
}
