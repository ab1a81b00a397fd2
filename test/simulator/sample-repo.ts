import { readFileSync } from 'node:fs';

// The repository the end-to-end runs and the demo work on: a tiny Node project whose gates are
// real (its own tests with node --test, and a lint), and whose `implement` writes one module and
// its test per task. The task reaches it only as environment variables, and is written as JSON
// string literals, never as code. FAIL_AT=<task id> plants a bug in that task's test.

const IMPLEMENT = `import { mkdirSync, writeFileSync } from 'node:fs';

const id = process.env.TASK_ID;
const title = process.env.TASK_TITLE;
const name = id.replace(/[^A-Za-z0-9]/g, '_').toLowerCase();
const expected = process.env.FAIL_AT === id ? \`not \${id}\` : id;
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
console.log(\`implemented \${id}: src/\${name}.mjs\`);
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
