import { load, YAMLException } from 'js-yaml';
import type { z } from 'zod';
import { type Config, ConfigSchema } from './schema.js';

export const CONFIG_PATH = '.github/execution-coordinator.yml';

/** One problem in the config: the key it is about (`gates.test.needs[0]`), or a YAML position. */
export interface ConfigError {
  readonly key: string;
  readonly message: string;
  readonly line?: number;
  readonly column?: number;
}

export type ConfigResult =
  | { readonly ok: true; readonly config: Config }
  | { readonly ok: false; readonly errors: ConfigError[] };

/** The defaults every key falls back to. */
export const DEFAULT_CONFIG: Config = ConfigSchema.parse({});

/** Parses the YAML text of the config file; an empty file means every default. */
export function parseConfig(text: string): ConfigResult {
  // js-yaml 5 refuses a document with no content; for a config file that means every default.
  if (text.split(/\r\n?|\n/).every((line) => /^\s*(?:#.*)?$/.test(line))) return validateConfig({});
  let data: unknown;
  try {
    data = load(text);
  } catch (error) {
    if (!(error instanceof YAMLException)) throw error;
    const { line, column } = error.mark ?? { line: 0, column: 0 };
    return {
      ok: false,
      errors: [{ key: '', message: `is not valid YAML: ${error.reason}`, line: line + 1, column: column + 1 }],
    };
  }
  return validateConfig(data ?? {});
}

/** Validates config data that is already parsed (Probot's `context.config` hands over an object). */
export function validateConfig(data: unknown): ConfigResult {
  if (typeof data !== 'object' || data === null || Array.isArray(data)) {
    return {
      ok: false,
      errors: [{ key: '', message: `must be a mapping of keys such as \`gates:\`, not ${describe(data)}` }],
    };
  }
  const result = ConfigSchema.safeParse(data, { reportInput: true });
  if (result.success) return { ok: true, config: result.data };
  return { ok: false, errors: result.error.issues.flatMap(toConfigErrors) };
}

export function formatConfigError(error: ConfigError, file = CONFIG_PATH): string {
  const where = error.line === undefined ? file : `${file}:${error.line}:${error.column}`;
  return error.key === '' ? `${where}: the file ${error.message}` : `${where}: \`${error.key}\` ${error.message}`;
}

function keyOf(path: readonly PropertyKey[]): string {
  return path.reduce<string>(
    (key, part) =>
      typeof part === 'number' ? `${key}[${part}]` : key === '' ? String(part) : `${key}.${String(part)}`,
    '',
  );
}

function toConfigErrors(issue: z.core.$ZodIssue): ConfigError[] {
  const key = keyOf(issue.path);
  switch (issue.code) {
    case 'unrecognized_keys':
      return issue.keys.map((unknown) => ({ key: keyOf([...issue.path, unknown]), message: issue.message }));
    case 'invalid_type':
      return [
        {
          key,
          message:
            issue.input === undefined
              ? 'is required'
              : `must be ${article(issue.expected)}, not ${describe(issue.input)}`,
        },
      ];
    case 'invalid_value':
      return [{ key, message: `must be one of ${issue.values.map(String).join(', ')}, not ${describe(issue.input)}` }];
    default:
      return [{ key, message: issue.message }];
  }
}

function article(expected: string): string {
  const words: Record<string, string> = {
    string: 'text',
    number: 'a number',
    int: 'a whole number',
    boolean: 'true or false',
    array: 'a list',
    object: 'a mapping',
    record: 'a mapping',
    map: 'a mapping',
  };
  return words[expected] ?? expected;
}

function describe(value: unknown): string {
  if (value === null || value === undefined) return 'empty';
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'object') return 'a mapping';
  if (typeof value === 'string') return JSON.stringify(value);
  return String(value);
}
