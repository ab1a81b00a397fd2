import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { processIo } from '../../src/cli/io.js';
import { main } from '../../src/cli/main.js';

// The CLI's entry (`main`, which bin/run.js wires to the process) with files read from the
// repository and standard input given: its exit code and what it printed.

const root = fileURLToPath(new URL('../..', import.meta.url));

export async function runCli(args: string[], stdin = '') {
  let stdout = '';
  let stderr = '';
  const code = await main(args, {
    stdout: (text) => {
      stdout += text;
    },
    stderr: (text) => {
      stderr += text;
    },
    readFile: (path) => readFile(new URL(path, `file://${root}/`), 'utf8'),
    readStdin: async () => stdin,
    github: processIo.github,
  });
  return { code, stdout, stderr };
}
