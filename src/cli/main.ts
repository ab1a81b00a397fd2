import { readFileSync } from 'node:fs';
import { CONVERT_HELP, convertCommand } from './convert-command.js';
import { type CliIo, EXIT, type ExitCode, processIo, UsageError } from './io.js';
import { PLAN_HELP, planCommand } from './plan-command.js';

const HELP = `Usage: execution-coordinator <command> [options]

Carries out an issue's task breakdown as parallel, gated streams.

Commands:
  plan <file|->      check a breakdown offline and show its plan
  convert <file|->   print a breakdown whose work is not checkboxes as one whose work is

Options:
  -h, --help         show help (also: execution-coordinator <command> --help)
  -v, --version      show the version
`;

const commands: Record<string, { run: (args: readonly string[], io: CliIo) => Promise<ExitCode>; help: string }> = {
  plan: { run: planCommand, help: PLAN_HELP },
  convert: { run: convertCommand, help: CONVERT_HELP },
};

export async function main(argv: readonly string[], io: CliIo = processIo): Promise<ExitCode> {
  const [name, ...rest] = argv;
  if (name === undefined || name === '-h' || name === '--help' || name === 'help') {
    io.stdout(HELP);
    return name === undefined ? EXIT.usage : EXIT.ok;
  }
  if (name === '-v' || name === '--version') {
    io.stdout(`${version()}\n`);
    return EXIT.ok;
  }
  const command = commands[name];
  if (!command) {
    io.stderr(`execution-coordinator: unknown command "${name}"\n\n${HELP}`);
    return EXIT.usage;
  }
  try {
    return await command.run(rest, io);
  } catch (error) {
    // parseArgs reports unknown options and missing values with a code; both are usage errors.
    const usage =
      error instanceof UsageError || String((error as NodeJS.ErrnoException).code).startsWith('ERR_PARSE_ARGS');
    if (!usage) throw error;
    io.stderr(
      `execution-coordinator ${name}: ${(error as Error).message}\nRun 'execution-coordinator ${name} --help' for usage.\n`,
    );
    return EXIT.usage;
  }
}

function version(): string {
  const manifest = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as {
    version: string;
  };
  return manifest.version;
}
