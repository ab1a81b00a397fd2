/** One line of `npm run bench`. */
export interface Figure {
  readonly name: string;
  readonly value: number;
  readonly unit: string;
  readonly goal: string | null;
}

/**
 * Median milliseconds of each candidate, measured round-robin so that a noisy neighbour slows
 * every candidate alike instead of whichever happened to run at the time.
 */
export function medians(candidates: Record<string, () => unknown>, rounds: number, warmup = 5): Record<string, number> {
  const names = Object.keys(candidates);
  const samples = new Map<string, number[]>(names.map((n) => [n, []]));
  for (let round = 0; round < warmup + rounds; round++) {
    for (let k = 0; k < names.length; k++) {
      const name = names[(round + k) % names.length] as string;
      const start = performance.now();
      candidates[name]?.();
      const elapsed = performance.now() - start;
      if (round >= warmup) samples.get(name)?.push(elapsed);
    }
  }
  return Object.fromEntries(
    names.map((name) => {
      const sorted = (samples.get(name) ?? []).sort((a, b) => a - b);
      return [name, round3(sorted[Math.floor(sorted.length / 2)] ?? Number.NaN)];
    }),
  );
}

export function round3(value: number): number {
  return Math.round(value * 1000) / 1000;
}
