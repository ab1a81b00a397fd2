import { describe, expect, it } from 'vitest';
import { MAX_ESTIMATE_MINUTES, readDuration } from '../../src/core/breakdown/estimates.js';
import { formatConfigError, parseBreakdown, parseConfig } from '../../src/index.js';

// Who works on which stream (`Agent:`), and how long the breakdown expects each to take: read
// by the same reader as dependencies, checked against the configuration like gates.

const body = [
  '## Stream A: Schema (~45 min)',
  'Agent: claude',
  '- [ ] Write the schema',
  '- [ ] Migrate the data (~2h)',
  '',
  '## Stream B: API',
  'Depends on: A',
  '**Implementer**: codex',
  'Estimate: 1h 30m',
  '- [ ] Add the endpoint',
  '  - Estimate: 20 min',
  '',
  '## Stream C: Docs',
  'Agent: default',
  '- [ ] Document it',
].join('\n');

describe('implementers', () => {
  it('gives each stream the implementer its line names, none for the default', () => {
    const { streams, errors } = parseBreakdown(body, { implementers: ['claude', 'codex'] });
    expect(errors).toEqual([]);
    expect(streams.map((s) => [s.id, s.implementer])).toEqual([
      ['A', 'claude'],
      ['B', 'codex'],
      ['C', undefined],
    ]);
  });

  it('refuses a name the configuration does not define, with line and column', () => {
    const { errors } = parseBreakdown(body, { implementers: ['claude'] });
    expect(errors).toEqual([
      {
        line: 8,
        column: 18,
        message:
          'stream B asks for implementer "codex", which the configuration does not define (the configuration defines default, claude)',
      },
    ]);
  });

  it('refuses a line that names nobody, and two names for one stream', () => {
    const prose = parseBreakdown('## Stream A\nAgent: the backend team\n- [ ] Do it\n', { implementers: [] });
    expect(prose.errors.map((e) => [e.line, e.column, e.message])).toEqual([
      [2, 8, 'stream A’s implementer line names no implementer: write one name (the configuration defines default)'],
    ]);
    const twice = parseBreakdown('## Stream A\nAgent: claude\nAgent: codex\n- [ ] Do it\n');
    expect(twice.errors.map((e) => e.message)).toEqual(['stream A names two implementers, claude and codex: keep one']);
  });

  it('reads the implementers key, with `default` as `implement`', () => {
    const result = parseConfig('implementers:\n  default: ./implement.sh\n  claude: claude -p\n');
    expect(result.ok && [result.config.implement, result.config.implementers]).toEqual([
      './implement.sh',
      { claude: 'claude -p' },
    ]);
    const both = parseConfig('implement: ./a.sh\nimplementers:\n  default: ./b.sh\n');
    expect(both.ok ? [] : both.errors.map((e) => formatConfigError(e))).toEqual([
      '.github/execution-coordinator.yml: `implementers.default` `implement` is the default implementer already: keep one of them',
    ]);
  });
});

describe('estimates', () => {
  it('reads a unit’s estimate from its heading or its own line, and a task’s from its title or a line under it', () => {
    const { streams } = parseBreakdown(body);
    expect(streams.map((s) => [s.id, s.estimateMinutes, s.tasks.map((t) => t.estimateMinutes)])).toEqual([
      ['A', 45, [undefined, 120]],
      ['B', 90, [20]],
      ['C', undefined, [undefined]],
    ]);
  });

  it('reads the durations people write, and nothing else', () => {
    expect(
      ['30m', '~2 h', '1h30m', '1.5 hours', '2 days', '1w', 'about 45 minutes'].map((t) => readDuration(t)?.minutes),
    ).toEqual([30, 120, 90, 90, 960, 2400, 45]);
    expect(['2 eggs', 'soon', '', 'h2'].map((t) => readDuration(t))).toEqual([
      undefined,
      undefined,
      undefined,
      undefined,
    ]);
    // Estimates come from anyone: a year of working days at most, read from four parts at most.
    expect(readDuration(' 9999w'.repeat(6500).trimStart())?.minutes).toBe(MAX_ESTIMATE_MINUTES);
    expect(readDuration('1w 1d 1h 1m 1w')?.minutes).toBe(2400 + 480 + 60 + 1);
  });
});

describe('config keys of agents in the loop', () => {
  it('reads fix attempts, the implement timeout and a budget, and says which key is wrong', () => {
    const result = parseConfig('fix-attempts: 0\nimplement-timeout-minutes: 15\nbudget:\n  usd: 20\n');
    expect(
      result.ok && [result.config.fixAttempts, result.config.implementTimeoutMinutes, result.config.budget],
    ).toEqual([0, 15, { usd: 20 }]);
    const bad = parseConfig('fix-attempts: -1\nbudget: {}\nimplement-timeout-minutes: 0\n');
    expect(bad.ok ? [] : bad.errors.map((e) => formatConfigError(e))).toEqual([
      '.github/execution-coordinator.yml: `implement-timeout-minutes` must be more than 0 minutes',
      '.github/execution-coordinator.yml: `fix-attempts` must be 0 or more',
      '.github/execution-coordinator.yml: `budget` must set `usd`, `tokens` or both',
    ]);
  });
});
