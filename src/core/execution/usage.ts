import { z } from 'zod';

// What an implementer spent on a task, as it reports it in the file named by `TASK_USAGE_FILE`:
// `{"inputTokens", "outputTokens", "costUsd", "model"}`, all optional. It travels in the task's
// commit as one trailer, `Execute-Usage: input=1200 output=340 usd=0.0421 model=claude-sonnet-4`,
// so it lives on GitHub like every other fact. The implementer is not trusted: the file is
// checked by this schema, and nothing from it reaches a trailer that is not a number or a plain
// model name (a newline there would forge trailers).

// Token counts some tools report with a fraction (averaged, estimated): rounded, not refused.
const count = z
  .number()
  .nonnegative('must be 0 or more')
  .max(1e12, 'is too large')
  .transform((n) => Math.round(n));

export const UsageFileSchema = z.object({
  inputTokens: count.optional(),
  outputTokens: count.optional(),
  costUsd: z.number().nonnegative('must be 0 or more').max(1e6, 'is too large').optional(),
  model: z
    .string()
    .regex(/^[\w.:/@+[\]-]{1,80}$/, 'must be a model name: letters, digits and . : / @ + - _ [ ], at most 80')
    .optional(),
});

export type Usage = z.infer<typeof UsageFileSchema>;

/**
 * The usage in what an implementer wrote, field by field: a field that is wrong is dropped (and
 * named), the others kept, so one odd value does not lose the spend.
 */
export function readUsageFields(data: unknown): { usage: Usage; problems: string[] } {
  if (typeof data !== 'object' || data === null || Array.isArray(data))
    return { usage: {}, problems: ['(the whole file) must be a JSON object'] };
  const usage: Record<string, unknown> = {};
  const problems: string[] = [];
  for (const key of ['inputTokens', 'outputTokens', 'costUsd', 'model'] as const) {
    const value = (data as Record<string, unknown>)[key];
    if (value === undefined) continue;
    const field = UsageFileSchema.shape[key].safeParse(value);
    if (field.success) usage[key] = field.data;
    else problems.push(`\`${key}\` ${field.error.issues[0]?.message ?? 'is invalid'}`);
  }
  return { usage: usage as Usage, problems };
}

/** The most bytes of a usage file read: it holds four fields. */
export const MAX_USAGE_FILE_BYTES = 4096;

export function hasUsage(usage: Usage): boolean {
  return (
    usage.inputTokens !== undefined ||
    usage.outputTokens !== undefined ||
    usage.costUsd !== undefined ||
    usage.model !== undefined
  );
}

/** Several attempts' or tasks' usage as one: numbers add up, the model is kept when all agree. */
export function sumUsage(usages: readonly Usage[]): Usage {
  const total: { -readonly [K in keyof Usage]: Usage[K] } = {};
  const models = new Set<string>();
  for (const usage of usages) {
    if (usage.inputTokens !== undefined) total.inputTokens = (total.inputTokens ?? 0) + usage.inputTokens;
    if (usage.outputTokens !== undefined) total.outputTokens = (total.outputTokens ?? 0) + usage.outputTokens;
    if (usage.costUsd !== undefined) total.costUsd = roundUsd((total.costUsd ?? 0) + usage.costUsd);
    if (usage.model !== undefined) models.add(usage.model);
  }
  if (models.size === 1) total.model = [...models][0] as string;
  return total;
}

function roundUsd(value: number): number {
  return Math.round(value * 1e6) / 1e6;
}

export function tokensOf(usage: Usage): number {
  return (usage.inputTokens ?? 0) + (usage.outputTokens ?? 0);
}

/** The trailer's value: `input=1200 output=340 usd=0.0421 model=claude-sonnet-4`. */
export function usageTrailer(usage: Usage): string {
  const parts: string[] = [];
  if (usage.inputTokens !== undefined) parts.push(`input=${usage.inputTokens}`);
  if (usage.outputTokens !== undefined) parts.push(`output=${usage.outputTokens}`);
  if (usage.costUsd !== undefined) parts.push(`usd=${roundUsd(usage.costUsd)}`);
  if (usage.model !== undefined) parts.push(`model=${usage.model}`);
  return parts.join(' ');
}

/** The trailer read back; a part that is not what `usageTrailer` writes is ignored. */
export function readUsageTrailer(value: string): Usage | undefined {
  const fields: Record<string, unknown> = {};
  for (const part of value.split(' ').slice(0, 8)) {
    const [key, raw] = part.split('=', 2);
    if (raw === undefined || raw === '') continue;
    if (key === 'input' && /^\d{1,13}$/.test(raw)) fields.inputTokens = Number(raw);
    if (key === 'output' && /^\d{1,13}$/.test(raw)) fields.outputTokens = Number(raw);
    if (key === 'usd' && /^\d{1,7}(?:\.\d{1,9})?$/.test(raw)) fields.costUsd = Number(raw);
    if (key === 'model') fields.model = raw;
  }
  const parsed = UsageFileSchema.safeParse(fields);
  return parsed.success && hasUsage(parsed.data) ? parsed.data : undefined;
}

/** `$0.42 · 12.3k tokens (claude-sonnet-4)`: for people, in comments and summaries. */
export function formatUsage(usage: Usage): string {
  const parts: string[] = [];
  if (usage.costUsd !== undefined) parts.push(`$${usage.costUsd.toFixed(usage.costUsd < 1 ? 4 : 2)}`);
  const tokens = tokensOf(usage);
  if (usage.inputTokens !== undefined || usage.outputTokens !== undefined) parts.push(`${compact(tokens)} tokens`);
  const text = parts.join(' · ');
  // The model as code: a name like `https://…` must not become a link in a comment.
  return usage.model !== undefined ? `${text}${text ? ' ' : ''}(\`${usage.model}\`)` : text;
}

function compact(n: number): string {
  if (n < 1000) return String(n);
  if (n < 1e6) return `${(n / 1000).toFixed(n < 10_000 ? 1 : 0)}k`;
  return `${(n / 1e6).toFixed(1)}M`;
}
