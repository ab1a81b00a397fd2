import fc from 'fast-check';

// Generated issue bodies: breakdown-like lines (headings, task items with every marker, nesting,
// `[X]`, tabs, trailing spaces, dependency lines) mixed with the blocks that hide tasks (code,
// quotes, HTML), joined with LF, CRLF or a mix.

const title = fc.oneof(
  fc.constantFrom('Schema', 'Task 1: Schema', 'Task 2: 🚀 Ship\tit', 'Depends on: A', '**bold** `code`', 'x'),
  fc.string({ minLength: 1, maxLength: 12 }).filter((s) => /\S/.test(s) && !/[\r\n]/.test(s)),
);
const indent = fc.constantFrom('', '', '  ', '    ', '\t', '   ');
const marker = fc.constantFrom('-', '*', '+', '1.', '2)', '10.');
const box = fc.constantFrom('[ ]', '[ ]', '[x]', '[X]', '[\t]');
const trailing = fc.constantFrom('', '', ' ', '  ', '\t');

const taskLine = fc.tuple(indent, marker, box, title, trailing).map(([i, m, b, t, tr]) => `${i}${m} ${b} ${t}${tr}`);
const heading = fc.oneof(
  fc
    .tuple(fc.constantFrom('#', '##', '###'), fc.constantFrom('A', 'B', 'C', 'api', 'B2'))
    .map(([h, id]) => `${h} Stream ${id}: Title`),
  fc
    .tuple(fc.constantFrom('##', '###'), fc.constantFrom('Backend API', 'Search and indexing', 'UI'))
    .map(([h, t]) => `${h} ${t}`),
);
const other = fc.constantFrom(
  '',
  '',
  'Depends on: Stream A, B',
  'Needs: Backend API',
  'Gates: lint, test',
  '- Depends on: A',
  'Plain paragraph text.',
  '```',
  '~~~',
  '> - [ ] quoted',
  '<div>',
  '</div>',
  '    - [ ] indented code',
  '| a | b |',
  '|---|---|',
  '---',
);

export const bodyArbitrary = fc
  .tuple(
    fc.array(
      fc.oneof({ weight: 5, arbitrary: taskLine }, { weight: 1, arbitrary: heading }, { weight: 2, arbitrary: other }),
      {
        maxLength: 40,
      },
    ),
    fc.array(fc.constantFrom('\n', '\r\n'), { minLength: 40, maxLength: 40 }),
    fc.boolean(),
  )
  .map(([lines, endings, finalNewline]) =>
    lines.reduce(
      (body, line, index) => body + line + (index < lines.length - 1 || finalNewline ? endings[index] : ''),
      '',
    ),
  );
