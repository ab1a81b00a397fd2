import { chmodSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { BoundedOutput } from '../../src/action/bounded-output.js';
import { GitHub } from '../../src/coordinator/github.js';
import { encodedForms, Masker } from '../../src/core/gates/mask.js';
import { actionHarness } from '../support/action-harness.js';
import { directOctokit } from '../support/direct-octokit.js';
import { FakeGitHub } from '../support/fake-github.js';

// The token never leaves: not raw, not as git's basic-auth header, not base64 at any alignment,
// not URL- or JSON-escaped; not in a comment, a check run, an annotation's path, the summary,
// an output, a log line or the failure message.

const TOKEN = 'ghs_testtokenvalue1234567890';
const BODY = '## Stream A: Messages\n- [ ] Task 1: Store\n';

/** Every form a reader could decode the token from. */
function leaks(text: string, secret = TOKEN): string[] {
  const b64 = (s: string) => Buffer.from(s).toString('base64');
  const forms = [
    secret,
    b64(`x-access-token:${secret}`),
    b64(secret).slice(0, 20),
    b64(`x${secret}`).slice(4, 24),
    b64(`xy${secret}`).slice(4, 24),
    encodeURIComponent(secret),
  ];
  return forms.filter((form) => text.includes(form));
}

let close: (() => void) | undefined;
afterEach(() => close?.());

function setup(config: string) {
  const harness = actionHarness({ '.github/execution-coordinator.yml': config, 'implement.sh': 'echo x > x.txt\n' });
  close = harness.close;
  harness.fake.addIssue(12, BODY, ['execute']);
  harness.fake.approve(12);
  harness.fake.refs.set('execute/12/A', harness.fake.refs.get('main') as string);
  return harness;
}

function everythingPosted(h: ReturnType<typeof setup>, result: Awaited<ReturnType<typeof h.run>>): string {
  return [
    result.summary,
    // `::add-mask::` hands the runner what to mask; it is consumed, never shown.
    result.commands.filter((c) => !c.startsWith('::add-mask::')).join('\n'),
    JSON.stringify(result.outputs),
    ...h.fake.commentsOn(12).map((c) => c.body),
    ...h.fake.checks.map((c) => JSON.stringify(c)),
    ...h.fake.pulls.map((p) => `${p.title}\n${p.body ?? ''}`),
    h.fake.issue(12).body,
  ].join('\n');
}

describe('the token never leaves the Action', () => {
  it('keeps git’s auth header out of a failed push’s error, the failure comment and the summary', async () => {
    const h = setup('gates:\n  ok: "true"\ntask-gates: [ok]\n');
    // A protected branch: the push is refused, and git's failure becomes the stream's report.
    const hook = join(h.bare, 'hooks', 'pre-receive');
    writeFileSync(hook, '#!/bin/sh\necho "protected branch hook declined" >&2\nexit 1\n');
    chmodSync(hook, 0o755);
    const result = await h.run(
      { mode: 'stream', issue: '12', stream: 'A', implement: 'sh implement.sh', token: TOKEN },
      { inputs: {} },
      h.checkout('execute/12/A'),
    );
    expect(result.failed).toBe(true);
    const failure = h.fake.commentsOn(12).find((c) => c.body.includes('Stream A failed'))?.body ?? '';
    expect(failure).toContain('protected branch hook declined');
    const posted = everythingPosted(h, result);
    expect(posted).not.toMatch(/extraheader|AUTHORIZATION/i);
    expect(leaks(posted)).toEqual([]);
  });

  it('masks every encoded form a gate prints, in comments, check runs, annotations (path too) and logs', async () => {
    const b64 = (s: string) => Buffer.from(s).toString('base64');
    const printed = [
      `raw ${TOKEN}`,
      `basic ${b64(`x-access-token:${TOKEN}`)}`,
      `shifted ${b64(`{"t":"${TOKEN}"}`)}`,
      `url ${encodeURIComponent(`${TOKEN}`)}`,
      `src/${TOKEN}.ts:3:1: error the token is ${TOKEN}`,
    ];
    const gate = `printf '%s\\n' ${printed.map((line) => `'${line}'`).join(' ')} "$LONG_NOISE"; exit 1`;
    const h = setup(`gates:\n  leak: ${JSON.stringify(gate)}\ntask-gates: [leak]\n`);
    process.env.LONG_NOISE = 'n'.repeat(1000);
    try {
      const result = await h.run(
        { mode: 'stream', issue: '12', stream: 'A', implement: 'sh implement.sh', token: TOKEN },
        { inputs: {} },
        h.checkout('execute/12/A'),
      );
      expect(result.outputs['failed-gate']).toBe('leak');
      const posted = everythingPosted(h, result);
      expect(posted).toContain('raw ***');
      expect(result.commands.join('\n')).toMatch(/file=src\/\*\*\*\.ts,line=3/);
      expect(leaks(posted)).toEqual([]);
    } finally {
      delete process.env.LONG_NOISE;
    }
  });

  it('masks every annotation a passing gate’s output becomes, message and path', async () => {
    const b64 = Buffer.from(`x-access-token:${TOKEN}`).toString('base64');
    const gate = `printf '%s\\n' 'src/${TOKEN}.ts:3:1: warning the token is ${TOKEN}' 'src/app.ts:4:2: warning basic ${b64}'`;
    const h = setup(`gates:\n  warn: ${JSON.stringify(gate)}\ntask-gates: [warn]\n`);
    const result = await h.run(
      { mode: 'stream', issue: '12', stream: 'A', implement: 'sh implement.sh', token: TOKEN },
      { inputs: {} },
      h.checkout('execute/12/A'),
    );
    expect(result.failed).toBe(false);
    const annotations = h.fake.checks.flatMap((c) => c.annotations ?? []) as { path: string; message: string }[];
    expect(annotations.map((a) => [a.path, a.message])).toEqual([
      ['src/***.ts', 'warning the token is ***'],
      ['src/app.ts', 'warning basic ***'],
    ]);
    expect(leaks(everythingPosted(h, result))).toEqual([]);
  });

  it('masks a bad input’s message', async () => {
    const h = setup('');
    process.env.MY_API_KEY = 'sekrit-api-key-value';
    try {
      const result = await h.run(
        { mode: 'stream', issue: 'sekrit-api-key-value', stream: 'A', token: TOKEN },
        { inputs: {} },
        h.checkout('main'),
      );
      expect(result.failed).toBe(true);
      expect(result.commands.join('\n')).toContain('input `issue` must be an issue number (got "***")');
    } finally {
      delete process.env.MY_API_KEY;
    }
  });
});

describe('masking', () => {
  it('happens at the GitHub port for every text a check run carries, each annotation field included', async () => {
    // The gate runner masks output before anything reads it; the port masks again, whatever
    // composed the text. This checks the port alone: a check run built from raw text.
    const fake = new FakeGitHub();
    const github = new GitHub(
      directOctokit(fake, async () => undefined),
      { owner: fake.owner, repo: fake.repo },
      new Masker([TOKEN]),
    );
    const secret = (what: string) => `${what} ${TOKEN}`;
    const annotation = {
      path: `src/${TOKEN}.ts`,
      start_line: 1,
      end_line: 1,
      annotation_level: 'warning' as const,
      message: secret('message'),
      title: secret('title'),
    };
    await github.reportCheckRun({
      name: 'gate: x',
      headSha: 'a'.repeat(40),
      conclusion: 'failure',
      title: secret('title'),
      summary: secret('summary'),
      text: secret('text'),
      annotations: Array.from({ length: 51 }, () => annotation),
    });
    const [check] = fake.checks;
    expect(check?.annotations).toHaveLength(51);
    expect(leaks(JSON.stringify(fake.checks))).toEqual([]);
    expect(check?.annotations?.[50]).toMatchObject({ path: 'src/***.ts', message: 'message ***', title: 'title ***' });
  });

  it('finds a secret base64-encoded at every byte alignment inside a longer text', () => {
    const masker = new Masker([TOKEN]);
    for (const prefix of ['', 'a', 'ab', 'abc', 'x-access-token:']) {
      const encoded = Buffer.from(`${prefix}${TOKEN}!`).toString('base64');
      const masked = masker.mask(`header ${encoded} end`);
      expect(masked, prefix).toContain('***');
      // What is left cannot be decoded back to the token.
      expect(Buffer.from(masked.replace(/^header |\*\*\*| end$/g, ''), 'base64').toString('latin1')).not.toContain(
        TOKEN.slice(4, 12),
      );
    }
  });

  it('leaves ordinary text alone and masks URL- and JSON-escaped forms', () => {
    const secret = 'p@ss "word"/with&stuff';
    const masker = new Masker([secret]);
    expect(masker.mask('nothing secret here')).toBe('nothing secret here');
    expect(masker.mask(`?pw=${encodeURIComponent(secret)}`)).toBe('?pw=***');
    expect(masker.mask(JSON.stringify({ pw: secret }))).toBe('{"pw":"***"}');
    expect(encodedForms('abc')).toEqual([]);
  });

  it('masks a private key block in linear time, and leaves an unterminated one', () => {
    const key = '-----BEGIN RSA PRIVATE KEY-----\nMIIE\n-----END RSA PRIVATE KEY-----';
    expect(new Masker().mask(`a ${key} b`)).toBe('a *** b');
    const open = '-----BEGIN RSA PRIVATE KEY-----\nMIIE';
    expect(new Masker().mask(open)).toBe(open);
  });

  it('cuts gate output only after masking it: a secret straddling the cut leaves no piece', () => {
    const secret = 'SECRET-abcdefghijklmnopqrstuvwxyz';
    const masker = new Masker([secret]);
    for (let at = 1; at < secret.length; at++) {
      const output = new BoundedOutput(100, (text) => masker.mask(text));
      // The secret arrives in two chunks, and the cut falls inside it.
      output.push('x'.repeat(150 - at));
      output.push(secret.slice(0, at));
      output.push(secret.slice(at));
      output.push('y'.repeat(100 - (secret.length - at)));
      const kept = output.text();
      expect(kept.length).toBeLessThanOrEqual(100);
      for (let n = 6; n <= secret.length; n++) expect(kept).not.toContain(secret.slice(secret.length - n));
    }
  });
});

describe('the runner boundary', () => {
  it('masks every field of everything handed to the runner', async () => {
    const { maskedIo } = await import('../../src/action/outbound.js');
    const seen: unknown[] = [];
    const record =
      (name: string) =>
      (...args: unknown[]) => {
        seen.push([name, ...args]);
        return Promise.resolve();
      };
    const io = maskedIo(
      {
        info: record('info'),
        warning: record('warning'),
        annotate: record('annotate'),
        summary: record('summary'),
        output: record('output'),
        failed: record('failed'),
      },
      new Masker([TOKEN]),
    );
    io.info(`i ${TOKEN}`);
    io.warning(`w ${TOKEN}`);
    io.annotate('error', `m ${TOKEN}`, { file: `src/${TOKEN}.ts`, line: 1, title: `t ${TOKEN}` });
    await io.summary(`s ${TOKEN}`);
    io.output('pull-request', `o ${TOKEN}`);
    io.failed(`f ${TOKEN}`);
    expect(seen).toHaveLength(6);
    expect(JSON.stringify(seen)).not.toContain(TOKEN);
    expect(JSON.stringify(seen)).toContain('src/***.ts');
  });
});
