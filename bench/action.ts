import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Figure } from './figure.js';

// The Action's cold start: from spawning `node dist/index.js` (mode gate, as a pull request runs
// it) to its first gate process starting, which records the moment itself. The GitHub API is a
// loopback stub that serves the config and accepts check runs.

const DIST = fileURLToPath(new URL('../dist/index.js', import.meta.url));
const CONFIG = 'gates:\n  mark: \'date +%s%N > "$MARK"\'\nstream-gates: [mark]\n';

export async function actionFigures(): Promise<Figure[]> {
  const server = createServer((request, response) => {
    const url = request.url ?? '';
    request.resume();
    if (request.method === 'GET' && url.includes('/contents/')) {
      response.writeHead(200, { 'content-type': 'text/plain; charset=utf-8' }).end(CONFIG);
    } else if (request.method === 'POST' && url.endsWith('/graphql')) {
      // The Action learns who its token is (the coordinator's identity) before anything else.
      response
        .writeHead(200, { 'content-type': 'application/json' })
        .end('{"data":{"viewer":{"login":"github-actions[bot]"}}}');
    } else if (request.method === 'POST' && url.endsWith('/check-runs')) {
      response.writeHead(201, { 'content-type': 'application/json' }).end('{"id":1}');
    } else {
      response.writeHead(404, { 'content-type': 'application/json' }).end('{"message":"Not Found"}');
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  const samples: number[] = [];
  try {
    for (let i = 0; i < 15; i++) samples.push(await coldStart(port));
  } finally {
    server.close();
  }
  samples.sort((a, b) => a - b);
  return [
    {
      name: 'Action cold start: process start to first gate spawned, median of 15',
      value: Math.round(samples[7] as number),
      unit: 'ms',
      goal: '≤ 300',
    },
    {
      name: 'Action bundle size (dist/index.js)',
      value: Math.round(statSync(DIST).size / 1024),
      unit: 'KiB',
      goal: null,
    },
  ];
}

async function coldStart(port: number): Promise<number> {
  const dir = mkdtempSync(join(tmpdir(), 'cold-'));
  const event = join(dir, 'event.json');
  writeFileSync(
    event,
    JSON.stringify({
      pull_request: { number: 1, head: { sha: 'a'.repeat(40) } },
      repository: { default_branch: 'main' },
    }),
  );
  const mark = join(dir, 'mark');
  const wall = BigInt(Date.now()) * 1_000_000n;
  await new Promise<void>((resolve, reject) => {
    const child = spawn(process.execPath, [DIST], {
      cwd: dir,
      stdio: 'ignore',
      env: {
        PATH: process.env.PATH,
        MARK: mark,
        INPUT_MODE: 'gate',
        INPUT_TOKEN: 'bench-token',
        GITHUB_REPOSITORY: 'acme/chat',
        GITHUB_EVENT_PATH: event,
        GITHUB_WORKSPACE: dir,
        GITHUB_API_URL: `http://127.0.0.1:${port}`,
      },
    });
    child.on('error', reject);
    child.on('exit', () => resolve());
  });
  // `date +%s%N` is wall-clock nanoseconds; so is `wall`, taken just before the spawn.
  return Number(BigInt(readFileSync(mark, 'utf8').trim()) - wall) / 1e6;
}
