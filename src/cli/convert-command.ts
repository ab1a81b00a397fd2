import { parseArgs } from 'node:util';
import { parseBreakdown } from '../core/breakdown/parse.js';
import { convertBreakdown } from '../core/convert/convert.js';
import { readBreakdown } from './breakdown-source.js';
import { type CliIo, EXIT, type ExitCode, UsageError } from './io.js';

export const CONVERT_HELP = `Usage: execution-coordinator convert <file|->

Prints a breakdown whose work is not checkboxes (numbered or bulleted items under unit headings,
bold steps, a table of steps, front matter todos, YAML lists of tasks, task-master JSON or text
files, GSD <task> blocks) as one whose work is: checkbox tasks under unit headings, with the
dependencies the source states. The source's words and order are kept and nothing is invented;
review the result, then paste it into the issue. Standard error says what was converted and
what the result still holds (warnings, errors), as plan would.

Arguments:
  <file|->           the breakdown; - reads standard input

Exit status: 0 converted, 1 nothing to convert (or the result still has errors), 2 bad usage.
`;

export async function convertCommand(args: readonly string[], io: CliIo): Promise<ExitCode> {
  const { values, positionals } = parseArgs({
    args: [...args],
    allowPositionals: true,
    options: { help: { type: 'boolean', short: 'h' } },
  });
  if (values.help) {
    io.stdout(CONVERT_HELP);
    return EXIT.ok;
  }
  if (positionals.length !== 1)
    throw new UsageError(
      positionals.length === 0
        ? 'missing the breakdown file (or - for standard input)'
        : `expected one file, got ${positionals.length}`,
    );
  const { body, source } = await readBreakdown(io, positionals[0] as string);
  const conversion = convertBreakdown(body);
  if (!conversion) {
    const tasks = parseBreakdown(body).streams.length > 0;
    io.stderr(
      tasks
        ? `${source}: its tasks are checkboxes already; nothing to convert\n`
        : `${source}: nothing to convert: no items under unit headings, steps, tables of steps or tasks written as data were found\n`,
    );
    return EXIT.invalid;
  }
  io.stdout(conversion.text.endsWith('\n') ? conversion.text : `${conversion.text}\n`);
  const plan = parseBreakdown(conversion.text);
  const tasks = plan.streams.reduce((n, s) => n + s.tasks.length, 0);
  io.stderr(
    `${source}: converted ${conversion.kinds.join(', ')}: ${tasks} ${tasks === 1 ? 'task' : 'tasks'} in ${plan.streams.length} ${plan.streams.length === 1 ? 'stream' : 'streams'}` +
      `${plan.warnings.length > 0 ? `, ${plan.warnings.length} ${plan.warnings.length === 1 ? 'warning' : 'warnings'}` : ''}` +
      `${plan.errors.length > 0 ? `, ${plan.errors.length} ${plan.errors.length === 1 ? 'error' : 'errors'}` : ''}` +
      '; review it (execution-coordinator plan shows it all), then paste it into the issue\n',
  );
  return plan.errors.length > 0 ? EXIT.invalid : EXIT.ok;
}
