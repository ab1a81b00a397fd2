import { z } from 'zod';
import { IMPLEMENTER_NAME } from '../breakdown/implementer.js';

// `.github/execution-coordinator.yml` (design.md §2). Keys are written in kebab case, as in
// workflow files; the parsed config is camel case for the code that reads it.

const GATE_NAME = /^[A-Za-z0-9][A-Za-z0-9_.-]*$/;

/** Adds the known keys (or the near miss, for a single typo) to zod's unknown-key issue. */
function strict<Shape extends z.ZodRawShape>(shape: Shape) {
  const known = Object.keys(shape);
  return z.strictObject(shape, {
    error: (issue) => {
      if (issue.code !== 'unrecognized_keys') return undefined;
      const guess = issue.keys.length === 1 ? nearMiss(issue.keys[0] as string, known) : undefined;
      return guess
        ? `is not a known key; did you mean \`${guess}\`?`
        : `is not a known key (known keys: ${known.join(', ')})`;
    },
  });
}

/** A known key one or two edits away, or the same but for case and `_`/`-`. */
function nearMiss(key: string, known: readonly string[]): string | undefined {
  const folded = key.toLowerCase().replaceAll('_', '-');
  return known.find((k) => k === folded) ?? known.find((k) => editDistance(k, folded) <= 2);
}

function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      const substitution = (previous[j - 1] as number) + (a[i - 1] === b[j - 1] ? 0 : 1);
      current.push(Math.min(substitution, (previous[j] as number) + 1, (current[j - 1] as number) + 1));
    }
    previous = current;
  }
  return previous[b.length] as number;
}

// Every name a breakdown can write in an `Agent:` line, and no other.
const IMPLEMENTER_KEY = new RegExp(`^${IMPLEMENTER_NAME}$`);
const NAME_RULE = 'must start with a letter or digit and hold only letters, digits, ".", "_" or "-"';

const gateName = z.string().regex(GATE_NAME, NAME_RULE);
const gateList = z.array(gateName);
const command = z.string().trim().min(1, 'must be a command, not empty');

const gateObject = strict({
  run: command,
  'timeout-minutes': z
    .number()
    .positive('must be more than 0 minutes')
    .max(360, 'must be at most 360 minutes')
    .default(30),
  needs: gateList.default([]),
});

// A gate is a command, or a mapping with `run` and options.
const gate = z.preprocess((value) => (typeof value === 'string' ? { run: value } : value), gateObject);

export const ConfigFileSchema = strict({
  'trigger-label': z
    .string()
    .trim()
    .min(1, 'must be a label name, not empty')
    .max(50, 'must be at most 50 characters, as GitHub allows')
    .default('execute'),
  // A workflow file name, or its numeric id.
  workflow: z
    .preprocess(
      (value) => (typeof value === 'number' ? String(value) : value),
      z
        .string()
        .regex(/^[^/]+\.ya?ml$|^\d+$/, 'must be a workflow file name such as execute-stream.yml, or a workflow id'),
    )
    .default('execute-stream.yml'),
  'max-parallel': z.number().int('must be a whole number').min(1, 'must be at least 1').default(8),
  gates: z.record(gateName, gate).default({}),
  'task-gates': gateList.default([]),
  'stream-gates': gateList.default([]),
  'system-gates': gateList.default([]),
  implement: command.optional(),
  // Trusted commands by name; a stream picks one with `Agent: <name>`. `default` is `implement`.
  implementers: z.record(z.string().regex(IMPLEMENTER_KEY, NAME_RULE), command).default({}),
  'implement-timeout-minutes': z
    .number()
    .positive('must be more than 0 minutes')
    .max(360, 'must be at most 360 minutes, as a job may run')
    .default(60),
  // How many more times `implement` gets to fix a task whose gates failed.
  'fix-attempts': z
    .number()
    .int('must be a whole number')
    .min(0, 'must be 0 or more')
    .max(10, 'must be at most 10')
    .default(2),
  // The plan's spend at which no new task starts.
  budget: strict({
    usd: z.number().positive('must be more than 0').optional(),
    tokens: z.number().int('must be a whole number').positive('must be more than 0').optional(),
  })
    .refine((b) => b.usd !== undefined || b.tokens !== undefined, 'must set `usd`, `tokens` or both')
    .optional(),
  'pull-request': strict({ draft: z.boolean().default(true), labels: z.array(z.string().min(1)).default([]) }).default({
    draft: true,
    labels: [],
  }),
  'start-dependents': z.enum(['on-complete', 'on-merge']).default('on-complete'),
  // A breakdown with warnings (structure the reader did not use) waits for `/execute start`.
  'start-with-warnings': z.boolean().default(false),
});

export const ConfigSchema = ConfigFileSchema.superRefine((file, context) => {
  const defined = Object.keys(file.gates);
  const known = defined.length > 0 ? `defined gates: ${defined.join(', ')}` : 'no gates are defined under `gates`';
  for (const key of ['task-gates', 'stream-gates', 'system-gates'] as const) {
    file[key].forEach((name, index) => {
      if (!(name in file.gates))
        context.addIssue({ code: 'custom', path: [key, index], message: `names no gate "${name}" (${known})` });
    });
  }
  for (const [name, { needs }] of Object.entries(file.gates)) {
    needs.forEach((need, index) => {
      if (need === name)
        context.addIssue({
          code: 'custom',
          path: ['gates', name, 'needs', index],
          message: 'a gate cannot need itself',
        });
      else if (!(need in file.gates))
        context.addIssue({
          code: 'custom',
          path: ['gates', name, 'needs', index],
          message: `names no gate "${need}" (${known})`,
        });
    });
  }
  if (file.implement !== undefined && file.implementers.default !== undefined)
    context.addIssue({
      code: 'custom',
      path: ['implementers', 'default'],
      message: '`implement` is the default implementer already: keep one of them',
    });
  const cycle = needsCycle(file.gates);
  if (cycle)
    context.addIssue({
      code: 'custom',
      path: ['gates', cycle[0] as string, 'needs'],
      message: `gates need each other in a cycle: ${cycle.join(' → ')}`,
    });
}).transform((file) => ({
  triggerLabel: file['trigger-label'],
  workflow: file.workflow,
  maxParallel: file['max-parallel'],
  gates: Object.fromEntries(
    Object.entries(file.gates).map(([name, g]) => [
      name,
      { run: g.run, timeoutMinutes: g['timeout-minutes'], needs: g.needs },
    ]),
  ),
  taskGates: file['task-gates'],
  streamGates: file['stream-gates'],
  systemGates: file['system-gates'],
  implement: file.implement ?? file.implementers.default,
  implementers: Object.fromEntries(Object.entries(file.implementers).filter(([name]) => name !== 'default')),
  implementTimeoutMinutes: file['implement-timeout-minutes'],
  fixAttempts: file['fix-attempts'],
  budget: file.budget,
  pullRequest: file['pull-request'],
  startDependents: file['start-dependents'],
  startWithWarnings: file['start-with-warnings'],
}));

export type Config = z.output<typeof ConfigSchema>;
export type GateConfig = Config['gates'][string];

function needsCycle(gates: Record<string, { needs: string[] }>): string[] | undefined {
  const state = new Map<string, 'visiting' | 'done'>();
  const path: string[] = [];
  const visit = (name: string): string[] | undefined => {
    if (state.get(name) === 'done') return undefined;
    if (state.get(name) === 'visiting') return [...path.slice(path.indexOf(name)), name];
    state.set(name, 'visiting');
    path.push(name);
    for (const need of gates[name]?.needs ?? []) {
      if (need === name || !(need in gates)) continue;
      const cycle = visit(need);
      if (cycle) return cycle;
    }
    path.pop();
    state.set(name, 'done');
    return undefined;
  };
  for (const name of Object.keys(gates)) {
    const cycle = visit(name);
    if (cycle) return cycle;
  }
  return undefined;
}
