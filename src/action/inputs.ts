import { z } from 'zod';
import { SYSTEM_STREAM, streamIdProblem } from '../core/breakdown/stream-id.js';
import { CONFIG_PATH } from '../core/config/parse.js';

// The Action's inputs (action.yml), validated before anything else runs: a bad input fails the
// step at once with one error that names it.

const positive = /^[1-9]\d*$/;

export const InputsSchema = z
  .object({
    mode: z.enum(['stream', 'gate', 'start'], { error: 'must be stream, gate or start' }),
    issue: z.string().regex(positive, 'must be an issue number').transform(Number).optional(),
    stream: z
      .string()
      .superRefine((id, context) => {
        const problem = id === SYSTEM_STREAM ? undefined : streamIdProblem(id);
        if (problem)
          context.addIssue({ code: 'custom', message: `must be a stream id such as A or backend-api: ${problem}` });
      })
      .optional(),
    implement: z.string().trim().min(1).optional(),
    gates: z
      .string()
      .transform((text) => text.split(/[\s,]+/).filter(Boolean))
      .optional(),
    config: z.string().trim().min(1).default(CONFIG_PATH),
    sandbox: z.enum(['auto', 'required', 'off'], { error: 'must be auto, required or off' }).default('auto'),
    token: z
      .string({ error: 'is required (the default is github.token)' })
      .min(1, 'is required (the default is github.token)'),
  })
  .superRefine((inputs, context) => {
    if (inputs.mode !== 'stream') return;
    if (inputs.issue === undefined)
      context.addIssue({ code: 'custom', path: ['issue'], message: 'is required in mode stream' });
    if (inputs.stream === undefined)
      context.addIssue({ code: 'custom', path: ['stream'], message: 'is required in mode stream' });
  });

export type Inputs = z.output<typeof InputsSchema>;
export const INPUT_NAMES = ['mode', 'issue', 'stream', 'implement', 'gates', 'config', 'sandbox', 'token'] as const;

export class InputError extends Error {
  override name = 'InputError';
}

/** Reads and checks the inputs; empty ones count as not given. */
export function readInputs(read: (name: string) => string): Inputs {
  const raw = Object.fromEntries(
    INPUT_NAMES.map((name) => [name, read(name).trim()]).filter(([, value]) => value !== ''),
  );
  const parsed = InputsSchema.safeParse({ mode: 'stream', ...raw });
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0];
  const name = String(issue?.path[0] ?? 'inputs');
  const given = raw[name] === undefined ? '' : ` (got ${JSON.stringify(raw[name])})`;
  throw new InputError(`input \`${name}\` ${issue?.message ?? 'is invalid'}${given}`);
}
