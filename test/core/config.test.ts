import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { DEFAULT_CONFIG, formatConfigError, parseConfig } from '../../src/index.js';

const errorsOf = (yaml: string) => {
  const result = parseConfig(yaml);
  return result.ok ? [] : result.errors.map((e) => formatConfigError(e));
};

describe('parseConfig', () => {
  it('falls back to the defaults for an empty file', () => {
    expect(parseConfig('')).toEqual({ ok: true, config: DEFAULT_CONFIG });
    expect(parseConfig('# nothing set yet\n\n')).toEqual({ ok: true, config: DEFAULT_CONFIG });
    expect(DEFAULT_CONFIG).toEqual({
      triggerLabel: 'execute',
      workflow: 'execute-stream.yml',
      maxParallel: 8,
      gates: {},
      taskGates: [],
      streamGates: [],
      systemGates: [],
      implement: undefined,
      pullRequest: { draft: true, labels: [] },
      startDependents: 'on-complete',
      startWithWarnings: false,
      implementers: {},
      implementTimeoutMinutes: 60,
      fixAttempts: 2,
      budget: undefined,
    });
  });

  it('reads the example config of design.md §2', () => {
    const result = parseConfig(
      readFileSync(new URL('../../examples/execution-coordinator.yml', import.meta.url), 'utf8'),
    );
    expect(result).toEqual({
      ok: true,
      config: {
        triggerLabel: 'execute',
        workflow: 'execute-stream.yml',
        maxParallel: 8,
        gates: {
          build: { run: 'npm run build', timeoutMinutes: 30, needs: [] },
          lint: { run: 'npm run lint', timeoutMinutes: 30, needs: [] },
          test: { run: 'npm test', timeoutMinutes: 20, needs: ['build'] },
        },
        taskGates: ['lint', 'test'],
        streamGates: ['build', 'test'],
        systemGates: ['build', 'test'],
        implement: './scripts/implement-task.sh',
        pullRequest: { draft: true, labels: [] },
        startDependents: 'on-complete',
        startWithWarnings: false,
        implementers: { careful: 'AGENT_COMMAND="claude -p --output-format json" ./scripts/implement-task.sh' },
        implementTimeoutMinutes: 60,
        fixAttempts: 2,
        budget: { usd: 20 },
      },
    });
  });

  it('accepts a numeric workflow id', () => {
    const result = parseConfig('workflow: 161335');
    expect(result.ok && result.config.workflow).toBe('161335');
  });

  it.each([
    ['max-parallel: lots', '`max-parallel` must be a number, not "lots"'],
    ['max-parallel: 0', '`max-parallel` must be at least 1'],
    ['max-parallel: 1.5', '`max-parallel` must be a whole number, not 1.5'],
    ['start-dependents: on-push', '`start-dependents` must be one of on-complete, on-merge, not "on-push"'],
    ['task_gates: [lint]', '`task_gates` is not a known key; did you mean `task-gates`?'],
    [
      'gates: { test: { run: npm test, timeout: 5 } }',
      '`gates.test.timeout` is not a known key (known keys: run, timeout-minutes, needs)',
    ],
    ['gates: { test: { run: "" } }', '`gates.test.run` must be a command, not empty'],
    ['gates: { test: 5 }', '`gates.test` must be a mapping, not 5'],
    ['gates: { test: { needs: [build] } }', '`gates.test.run` is required'],
    ['gates: { lint: x }\ntask-gates: [lint, tset]', '`task-gates[1]` names no gate "tset" (defined gates: lint)'],
    ['stream-gates: [build]', '`stream-gates[0]` names no gate "build" (no gates are defined under `gates`)'],
    ['pull-request: { draft: maybe }', '`pull-request.draft` must be true or false, not "maybe"'],
    ['workflow: ../other.yml', '`workflow` must be a workflow file name such as execute-stream.yml, or a workflow id'],
    ['- a list', '.github/execution-coordinator.yml: the file must be a mapping of keys such as `gates:`, not a list'],
  ])('explains %j', (yaml, message) => {
    expect(errorsOf(yaml)).toEqual([expect.stringContaining(message)]);
  });

  it('finds gates that need each other in a cycle', () => {
    expect(errorsOf('gates:\n  a: { run: x, needs: [b] }\n  b: { run: y, needs: [a] }')).toEqual([
      '.github/execution-coordinator.yml: `gates.a.needs` gates need each other in a cycle: a → b → a',
    ]);
  });

  it('reports YAML syntax errors with their line and column', () => {
    expect(errorsOf('gates:\n  lint: [unclosed\n')).toEqual([
      expect.stringMatching(/^\.github\/execution-coordinator\.yml:3:1: the file is not valid YAML: /),
    ]);
  });

  it('reports every problem at once', () => {
    expect(errorsOf('max-parallel: -1\nworkflow: 7.5\ncolour: blue')).toHaveLength(3);
  });
});
