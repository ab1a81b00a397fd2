import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { parseBreakdown } from '../../src/core/breakdown/parse.js';
import { planExecution } from '../../src/core/plan/plan.js';
import { runCli } from '../support/cli.js';

// `execution-coordinator convert`: work that is not checkboxes, printed as checkbox tasks under
// unit headings with the dependencies the source states, for its author to review and paste.

const root = fileURLToPath(new URL('../..', import.meta.url));

const run = runCli;

const fixture = (name: string) => `test/fixtures/real-world/${name}`;

describe('execution-coordinator convert', () => {
  it('gives items under unit headings a checkbox where they stand, and keeps everything else', async () => {
    const { code, stdout, stderr } = await run(['convert', fixture('speckit-fairdm-plugin-system.md')]);
    expect(code).toBe(0);
    expect(stdout).toContain('## Phase 1 — Foundation\n\n- [ ] **T001** Create the `fairdm.contrib.plugins` app');
    // Only checkboxes were added: take them out again and the source is back, byte for byte.
    const source = await readFile(new URL(fixture('speckit-fairdm-plugin-system.md'), `file://${root}/`), 'utf8');
    expect(stdout.replaceAll('- [ ] ', '- ')).toBe(source.endsWith('\n') ? source : `${source}\n`);
    expect(stderr).toBe(
      `${fixture('speckit-fairdm-plugin-system.md')}: converted list items under unit headings: 92 tasks in 9 streams; review it (execution-coordinator plan shows it all), then paste it into the issue\n`,
    );
    const plan = planExecution(parseBreakdown(stdout));
    expect(plan.streams[0]?.tasks.slice(0, 2).map((t) => t.id)).toEqual(['T001', 'T002']);
    expect(plan.waves).toHaveLength(9); // phases, in their numbered order
  });

  it('turns front matter todos into units with the dependencies they state', async () => {
    const { code, stdout } = await run(['convert', fixture('cursor-open-rpg-perception-engine.plan.md')]);
    expect(code).toBe(0);
    expect(stdout.split('\n').slice(0, 8)).toEqual([
      '## Stream create-perception-engine-class: Create PerceptionEngine.ts with class structure, imports, and constructor',
      'Depends on: None',
      '- [x] Create PerceptionEngine.ts with class structure, imports, and constructor',
      '',
      '## Stream implement-distance-calculation: Implement calculateDistanceInTiles() function using Vector2d.distanceWith() and pixel-to-tile conversion',
      'Depends on: Stream create-perception-engine-class',
      '- [x] Implement calculateDistanceInTiles() function using Vector2d.distanceWith() and pixel-to-tile conversion',
      '',
    ]);
    const plan = planExecution(parseBreakdown(stdout));
    expect(plan.errors).toEqual([]);
    expect(plan.streams.find((s) => s.id === 'implement-entity-processing')?.dependsOn).toEqual([
      'implement-distance-calculation',
      'implement-direction-calculation',
    ]);
  });

  it('turns task-master JSON into units, subtasks as their checkboxes', async () => {
    const { code, stdout } = await run(['convert', fixture('taskmaster-prompt-enhancer-tasks.json')]);
    expect(code).toBe(0);
    const plan = planExecution(parseBreakdown(stdout));
    expect(plan.errors).toEqual([]);
    expect(plan.streams.map((s) => [s.id, s.dependsOn])).toContainEqual(['8', ['4', '5']]);
    expect(plan.streams.find((s) => s.id === '2')?.tasks.map((t) => t.id)).toEqual(['2.1', '2.2', '2.3', '2.4', '2.5']);
  });

  it('reads from standard input, and says when there is nothing to convert', async () => {
    const converted = await run(['convert', '-'], '## Step 1: Schema\n1. Write it\n\n## Step 2: API\n1. Serve it\n');
    expect(converted.stdout).toBe('## Step 1: Schema\n1. [ ] Write it\n\n## Step 2: API\n1. [ ] Serve it\n');
    const nothing = await run(['convert', '-'], 'Just prose.\n');
    expect(nothing.code).toBe(1);
    expect(nothing.stderr).toContain('<stdin>: nothing to convert');
    const already = await run(['convert', 'examples/chat-system.md']);
    expect([already.code, already.stderr]).toEqual([
      1,
      'examples/chat-system.md: its tasks are checkboxes already; nothing to convert\n',
    ]);
  });

  it('is what plan’s refusal points to, with one of the document’s own items rewritten', async () => {
    const { code, stderr } = await run(['plan', '-'], '## Step 1: Schema\n1. Write it\n');
    expect(code).toBe(1);
    expect(stderr).toContain(
      '<stdin>:2:1: error: no tasks found: the work here is written as list items under unit headings, and a task is a checkbox: line 2, `1. Write it`, would be `1. [ ] Write it`; `execution-coordinator convert` prints the whole breakdown that way, for you to review',
    );
  });
});
