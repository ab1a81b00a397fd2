// `file:line:col` diagnostics in gate output, from the tools people gate with: tsc, eslint's
// unix and stylish formats, vitest and jest, go vet, gcc and friends. Each becomes a check-run
// annotation and a workflow annotation on the line it names.

export interface Diagnostic {
  readonly file: string;
  readonly line: number;
  readonly column?: number;
  readonly level: 'failure' | 'warning' | 'notice';
  readonly message: string;
}

// biome-ignore lint/suspicious/noControlCharactersInRegex: ESC starts the colour codes tools print.
const ANSI = /\x1b\[[0-9;]*m/g;
// src/a.ts(12,5): error TS2322: Type 'x' is not assignable…
const TSC = /^(?<file>[^\s(][^(]*?)\((?<line>\d+),(?<column>\d+)\): (?<level>error|warning) (?<message>.+)$/;
// src/a.ts:12:5: message   (gcc, go vet, eslint --format unix, ruff, …)
const UNIX = /^(?<file>[^\s:][^:]*?\.[\w]+):(?<line>\d+)(?::(?<column>\d+))?:?\s+(?<message>\S.*)$/;
// ❯ test/a.test.ts:12:5   (vitest, jest: the failing assertion's place)
const STACK = /^\s*(?:❯|at .*\()\s*(?<file>[^\s:()][^:()]*\.[\w]+):(?<line>\d+):(?<column>\d+)\)?\s*$/;
// eslint stylish: a file name line, then "  12:5  error  message  rule"
const STYLISH_ROW = /^\s+(?<line>\d+):(?<column>\d+)\s+(?<level>error|warning)\s+(?<message>.+?)\s*$/;

const MAX_LINE = 2000;

/** Diagnostics in `output`, paths made relative to `root`; files outside it are left out. */
export function parseDiagnostics(output: string, root: string): Diagnostic[] {
  const found: Diagnostic[] = [];
  const seen = new Set<string>();
  let stylishFile: string | undefined;
  const add = (file: string, line: number, column: number | undefined, level: Diagnostic['level'], message: string) => {
    const path = relative(file, root);
    if (path === undefined || line < 1) return;
    const key = `${path}:${line}:${column}:${message}`;
    if (seen.has(key)) return;
    seen.add(key);
    found.push({ file: path, line, ...(column ? { column } : {}), level, message: message.trim() });
  };
  for (const raw of output.split(/\r?\n/)) {
    // Capped before matching: no diagnostic is this long, and the patterns below may backtrack
    // on a long line of output that a task's code chose to print.
    if (raw.length > MAX_LINE) continue;
    const line = raw.replace(ANSI, '');
    const tsc = TSC.exec(line)?.groups;
    if (tsc) {
      add(
        tsc.file as string,
        Number(tsc.line),
        Number(tsc.column),
        tsc.level === 'warning' ? 'warning' : 'failure',
        tsc.message as string,
      );
      continue;
    }
    const row = stylishFile ? STYLISH_ROW.exec(line)?.groups : undefined;
    if (row && stylishFile) {
      add(
        stylishFile,
        Number(row.line),
        Number(row.column),
        row.level === 'warning' ? 'warning' : 'failure',
        row.message as string,
      );
      continue;
    }
    const stack = STACK.exec(line)?.groups;
    if (stack) {
      add(stack.file as string, Number(stack.line), Number(stack.column), 'failure', 'failed here');
      continue;
    }
    const unix = UNIX.exec(line)?.groups;
    if (unix) {
      const level = /\bwarning\b/i.test(unix.message as string) ? 'warning' : 'failure';
      add(
        unix.file as string,
        Number(unix.line),
        unix.column ? Number(unix.column) : undefined,
        level,
        unix.message as string,
      );
      continue;
    }
    // A bare path on its own line may head eslint's stylish rows.
    stylishFile = /^\/?[\w./@-]+\.\w+$/.test(line.trim()) ? line.trim() : line.trim() === '' ? stylishFile : undefined;
  }
  return found;
}

function relative(file: string, root: string): string | undefined {
  const cleaned = file.replace(/^file:\/\//, '').replace(/^\.\//, '');
  if (!cleaned.startsWith('/')) return cleaned.startsWith('..') ? undefined : cleaned;
  const prefix = root.endsWith('/') ? root : `${root}/`;
  return cleaned.startsWith(prefix) ? cleaned.slice(prefix.length) : undefined;
}
