import { readFileSync } from 'node:fs';

// The repository the end-to-end runs and the demo work on: a tiny Node project whose gates are
// real (its own tests with node --test, and a lint), and whose `implement` writes one module and
// its test per task. The task reaches it only as environment variables, and is written as JSON
// string literals, never as code. FAIL_AT=<task id> plants a bug in that task's test; FLAKY=<task
// id> plants it on the first attempt only, so that the fix attempt passes. It reports usage as an
// agent would (tokens in proportion to the task's title), so the totals have something to add.

const IMPLEMENT = `import { mkdirSync, writeFileSync } from 'node:fs';

const id = process.env.TASK_ID;
// Asked to fix the stream's gates (no task): its tasks' tests are all this implementer writes.
if (!id) process.exit(0);
const title = process.env.TASK_TITLE;
const attempt = Number(process.env.TASK_ATTEMPT ?? '1');
const who = process.argv.includes('--careful') ? 'the careful implementer' : 'implement';
const name = id.replace(/[^A-Za-z0-9]/g, '_').toLowerCase();
const planted = process.env.FAIL_AT === id || (process.env.FLAKY === id && attempt === 1);
const expected = planted ? \`not \${id}\` : id;
mkdirSync('src', { recursive: true });
mkdirSync('test', { recursive: true });
writeFileSync(\`src/\${name}.mjs\`, \`export const title = \${JSON.stringify(title)};\\nexport const done = () => \${JSON.stringify(id)};\\n\`);
writeFileSync(
  \`test/\${name}.test.mjs\`,
  [
    "import assert from 'node:assert/strict';",
    "import { test } from 'node:test';",
    \`import { done } from '../src/\${name}.mjs';\`,
    '',
    \`test(\${JSON.stringify(title)}, () => assert.equal(done(), \${JSON.stringify(expected)}));\`,
    '',
  ].join('\\n'),
);
if (process.env.TASK_USAGE_FILE) {
  const inputTokens = 1500 + 40 * title.length;
  const outputTokens = 400 + 12 * title.length;
  const costUsd = Math.round((inputTokens * 3 + outputTokens * 15) / 1000) / 1000;
  writeFileSync(process.env.TASK_USAGE_FILE, JSON.stringify({ inputTokens, outputTokens, costUsd, model: 'demo-agent' }));
}
console.log(\`\${who} wrote \${id}: src/\${name}.mjs\${attempt > 1 ? \` (attempt \${attempt})\` : ''}\`);
`;

const LINT = `import { readdirSync, readFileSync } from 'node:fs';

let problems = 0;
for (const file of readdirSync('src', { withFileTypes: true }).filter((f) => f.isFile()).map((f) => \`src/\${f.name}\`)) {
  readFileSync(file, 'utf8').split('\\n').forEach((line, i) => {
    if (/\\s$/.test(line)) {
      console.log(\`\${file}:\${i + 1}:\${line.length}: trailing white space\`);
      problems++;
    }
  });
}
console.log(problems === 0 ? 'lint: clean' : \`lint: \${problems} problems\`);
process.exit(problems === 0 ? 0 : 1);
`;

export const SAMPLE_CONFIG = `gates:
  lint: node scripts/lint.mjs
  test: { run: node --test, timeout-minutes: 5 }
task-gates: [lint, test]
stream-gates: [test]
system-gates: [test]
implement: node scripts/implement.mjs
`;

/** The example workflow, as a repository would hold it: GitHub dispatches only workflows it has. */
const WORKFLOW = readFileSync(new URL('../../examples/workflows/execute-stream.yml', import.meta.url), 'utf8');

export function sampleRepository(config = SAMPLE_CONFIG): Record<string, string> {
  return {
    '.github/workflows/execute-stream.yml': WORKFLOW,
    'README.md': '# chat\n\nA sample repository for Execution Coordinator.\n',
    'package.json': `${JSON.stringify({ name: 'chat-sample', private: true, type: 'module', scripts: { test: 'node --test' } }, null, 2)}\n`,
    'src/index.mjs': "export const name = 'chat';\n",
    'test/index.test.mjs':
      "import assert from 'node:assert/strict';\nimport { test } from 'node:test';\nimport { name } from '../src/index.mjs';\n\ntest('name', () => assert.equal(name, 'chat'));\n",
    'scripts/implement.mjs': IMPLEMENT,
    'scripts/lint.mjs': LINT,
    '.github/execution-coordinator.yml': config,
  };
}
