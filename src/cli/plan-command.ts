import { parseArgs } from 'node:util';
import { statusOf } from '../coordinator/github.js';
import { readIssueBreakdown } from '../coordinator/source.js';
import { type ParseOptions, parseBreakdown } from '../core/breakdown/parse.js';
import { formatConfigError, parseConfig } from '../core/config/parse.js';
import type { Breakdown, PlanJson } from '../core/model.js';
import { planExecution } from '../core/plan/plan.js';
import { read, readBreakdown } from './breakdown-source.js';
import { type CliIo, EXIT, type ExitCode, UsageError } from './io.js';
import { renderDiagnostics, renderPlan } from './render-plan.js';

export const PLAN_HELP = `Usage: execution-coordinator plan <file|-> [--json] [--config <path>]
       execution-coordinator plan --issue <owner/repo#N> [--json] [--config <path>]

Checks a task breakdown offline: streams, dependencies, waves, the critical path
and a Mermaid graph, or every error with its line and column.

Arguments:
  <file|->           the breakdown (an issue body in Markdown); - reads standard input

Options:
  --issue <ref>      read the issue from GitHub instead, with its sub-issues as streams and
                     their "blocked by" links as dependencies; the token is GITHUB_TOKEN (a
                     public repository reads without one), the API GITHUB_API_URL
  --json             print the plan as JSON (streams, waves, criticalPath, progress, errors)
  --config <path>    the repository's .github/execution-coordinator.yml, to check that the
                     gates and implementers (Agent:) each stream names are defined
  -h, --help         show this help

Exit status: 0 valid, 1 the breakdown has errors, 2 bad usage or an unreadable file.
`;

export async function planCommand(args: readonly string[], io: CliIo): Promise<ExitCode> {
  const { values, positionals } = parseArgs({
    args: [...args],
    allowPositionals: true,
    options: {
      json: { type: 'boolean' },
      config: { type: 'string' },
      issue: { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  if (values.help) {
    io.stdout(PLAN_HELP);
    return EXIT.ok;
  }
  if (values.issue !== undefined && positionals.length > 0) throw new UsageError('give a file or --issue, not both');
  if (values.issue === undefined && positionals.length !== 1) {
    throw new UsageError(
      positionals.length === 0
        ? 'missing the breakdown file (or - for standard input, or --issue owner/repo#N)'
        : `expected one file, got ${positionals.length}`,
    );
  }

  let known: { gates: string[]; implementers: string[] } | undefined;
  if (values.config !== undefined) {
    const result = parseConfig(await read(io, values.config, 'config'));
    if (!result.ok) {
      io.stderr(`${result.errors.map((e) => formatConfigError(e, values.config)).join('\n')}\n`);
      return EXIT.usage;
    }
    known = { gates: Object.keys(result.config.gates), implementers: Object.keys(result.config.implementers) };
  }

  const input =
    values.issue !== undefined
      ? await fromGitHub(io, values.issue, known ?? {})
      : await fromFile(io, positionals[0] as string, known ?? {});
  const { source } = input;
  const planned = planExecution(input.breakdown);
  // A breakdown with errors has no waves and no critical path: nothing of it can run.
  const plan = planned.errors.length > 0 ? { ...planned, waves: [], criticalPath: [] } : planned;
  // Every stream says who implements it: null for the default implementer.
  const json: PlanJson = { ...plan, streams: plan.streams.map((s) => ({ ...s, implementer: s.implementer ?? null })) };
  if (values.json) io.stdout(`${JSON.stringify(json, null, 2)}\n`);
  else io.stdout(renderPlan(plan, source));
  if (!values.json && (plan.errors.length > 0 || plan.warnings.length > 0)) io.stderr(renderDiagnostics(plan, source));
  return plan.errors.length === 0 ? EXIT.ok : EXIT.invalid;
}

async function fromFile(
  io: CliIo,
  file: string,
  options: ParseOptions,
): Promise<{ breakdown: Breakdown; source: string }> {
  const { body, source } = await readBreakdown(io, file);
  return { breakdown: parseBreakdown(body, options), source };
}

const ISSUE_REF = /^([\w.-]+)\/([\w.-]+)#(\d+)$/;

/** The issue and its sub-issues through the REST API; a problem in a sub-issue names it. */
async function fromGitHub(
  io: CliIo,
  ref: string,
  options: ParseOptions,
): Promise<{ breakdown: Breakdown; source: string }> {
  const match = ISSUE_REF.exec(ref);
  if (!match) throw new UsageError(`--issue ${ref}: write it as owner/repo#123`);
  const [, owner, repo, number] = match as unknown as [string, string, string, string];
  const github = io.github({ owner, repo });
  let breakdown: Breakdown;
  try {
    breakdown = await readIssueBreakdown(github, Number(number), options);
  } catch (error) {
    throw new UsageError(
      `--issue ${ref}: GitHub answered ${statusOf(error) ?? ''} ${(error as Error).message}`.replace(/\s+/g, ' '),
    );
  }
  return { breakdown, source: ref };
}
