import { type CliIo, UsageError } from './io.js';

// Where a command's breakdown comes from: a file or standard input, as UTF-8 Markdown text.

export async function readBreakdown(io: CliIo, file: string): Promise<{ body: string; source: string }> {
  const body = file === '-' ? await io.readStdin() : await read(io, file, 'breakdown');
  const source = file === '-' ? '<stdin>' : file;
  const unreadable = encodingProblem(body);
  if (unreadable) throw new UsageError(`cannot read the breakdown ${source}: ${unreadable}`);
  return { body, source };
}

/**
 * Why a file is not Markdown text: UTF-16 (a byte-order mark, or a NUL between every other
 * character, decoded as UTF-8) or binary (any other NUL). Undefined for text.
 */
export function encodingProblem(text: string): string | undefined {
  const nul = text.indexOf('\u0000');
  const bom = text.startsWith('\uFFFD\uFFFD');
  if (nul < 0 && !bom) return undefined;
  const head = text.slice(bom ? 2 : 0, 200);
  const alternate =
    head.length >= 2 && [...head].filter((c, i) => (c === '\u0000') === (i % 2 === 1)).length >= head.length * 0.9;
  if (bom || alternate) return 'it is UTF-16, not UTF-8: save it as UTF-8 (GitHub issue bodies are)';
  const line = text.slice(0, nul).split('\n').length;
  return `it is binary, not Markdown (a NUL byte on line ${line})`;
}

export async function read(io: CliIo, path: string, what: string): Promise<string> {
  try {
    return await io.readFile(path);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const reason =
      code === 'ENOENT' ? 'no such file' : code === 'EISDIR' ? 'it is a directory' : (error as Error).message;
    throw new UsageError(`cannot read the ${what} ${path}: ${reason}`);
  }
}
