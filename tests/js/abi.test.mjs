// One ABI contract: every number the glue shares with the Rust core is generated into
// core/constants.js from the module (scripts/pkg-constants.mjs), and each rule the two sides
// share (the secret count, the header limit) is defined once. These tests fail when a second
// definition appears: a hand-written copy of a constant in the package's sources, a second
// message for the secret count, or prose (README, .d.ts) that no longer says what the core does.
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { test } from 'node:test';
import { pathToFileURL } from 'node:url';
import { Verifier, verify, WebhookVerificationError } from 'elenik-webhooks';

const src = process.env.ELENIK_PKG_SRC; // target/pkg-src (scripts/test-js.sh)
const root = src && join(src, '..', '..');
const constants = () => import(pathToFileURL(join(src, 'core/constants.js')).href);

/** Every file under `dir` whose name ends with one of `exts`, as [path relative to dir, text]. */
function sources(dir, exts) {
  const found = [];
  for (const entry of readdirSync(dir, { withFileTypes: true, recursive: true })) {
    if (!entry.isFile() || !exts.some((ext) => entry.name.endsWith(ext))) continue;
    const path = join(entry.parentPath ?? entry.path, entry.name);
    found.push([relative(dir, path), readFileSync(path, 'utf8')]);
  }
  return found;
}

/** JavaScript without its comments (line and block; good enough for these sources' style). */
const code = (text) => text.replace(/\/\*[\s\S]*?\*\//g, '').replace(/(^|[^:'"`\\])\/\/.*$/gm, '$1');

// A literal that is not one of the core's numbers, with the reason it may stay.
const ALLOWED = [
  // String.fromCharCode's argument count, for turning bytes into Latin-1 text: not the header limit.
  ['core/diagnose.js', /i \+= 4096\) chars \+= String\.fromCharCode\(\.\.\.bytes\.subarray\(i, i \+ 4096\)\)/],
];

test('the ABI numbers come from the core, into the generated constants', async () => {
  assert.ok(src, 'scripts/test-js.sh sets ELENIK_PKG_SRC');
  const abi = await constants();
  for (const name of ['CHUNK', 'KEY_STATE', 'MAX_HEADER_BYTES', 'HEADER_CAPACITY', 'MAX_SECRETS', 'HEADER_MISSING', 'HEADER_TOO_LONG', 'HEADER_PARSED']) {
    assert.equal(typeof abi[name], 'number', `core/constants.js exports ${name}`);
  }
  assert.ok(abi.HEADER_CAPACITY >= 4 * abi.MAX_HEADER_BYTES + 1, 'a header and one more item fit in its buffer');
  assert.deepEqual(new Set([abi.HEADER_MISSING, abi.HEADER_TOO_LONG, abi.HEADER_PARSED]).size, 3);
});

test('no source of the package defines a core number or rule a second time', async () => {
  const abi = await constants();
  const names = Object.keys(abi);
  const limits = [abi.CHUNK, abi.MAX_HEADER_BYTES, abi.HEADER_CAPACITY];
  const problems = [];
  for (const [path, text] of sources(src, ['.js', '.mjs', '.cjs'])) {
    if (path === join('core', 'constants.js')) continue;
    let body = code(text);
    for (const [file, allowed] of ALLOWED) if (path === file) body = body.replace(allowed, '');
    for (const name of names) {
      if (new RegExp(`\\b(?:const|let|var)\\s+${name}\\s*=`).test(body)) problems.push(`${path}: defines ${name} (import it from core/constants.js)`);
    }
    for (const value of limits) {
      if (new RegExp(`(?<![\\w.])${value}(?![\\w.])`).test(body)) problems.push(`${path}: the literal ${value} (a core limit)`);
    }
    if (/\b64\s*\*\s*1024\b|\b4\s*\*\s*1024\b/.test(body)) problems.push(`${path}: a KiB expression for a core limit`);
    if (new RegExp(`\\b${abi.MAX_SECRETS}\\b[^\\n]{0,40}secrets?|secrets?[^\\n]{0,40}(?<![\\w.])${abi.MAX_SECRETS}\\b`, 'i').test(body)) {
      problems.push(`${path}: the secret count ${abi.MAX_SECRETS} written by hand (the core's secret_count checks it)`);
    }
  }
  assert.deepEqual(problems, []);
});

test('the Rust core defines each limit once, and the secret count has one message', () => {
  const rust = sources(join(root, 'src'), ['.rs']).map(([path, text]) => [path, text]);
  const count = (pattern) => rust.reduce((n, [, text]) => n + (text.match(pattern)?.length ?? 0), 0);
  assert.equal(count(/pub const MAX_SECRETS: usize = /g), 1);
  assert.equal(count(/pub const MAX_HEADER_BYTES: usize = /g), 1);
  assert.equal(count(/" secrets, not "/g), 1, 'one message for a wrong number of secrets');
});

test('a wrong number of secrets gets the core message, whether the glue or the core counts it', async () => {
  const { MAX_SECRETS } = await constants();
  const message = (secrets) => {
    try {
      new Verifier(secrets);
    } catch (error) {
      assert.ok(error instanceof WebhookVerificationError);
      assert.equal(error.code, 'INVALID_SECRET');
      return error.message;
    }
    assert.fail('accepted');
  };
  assert.equal(message([]), `invalid secret: pass 1 to ${MAX_SECRETS} secrets, not 0`);
  assert.equal(message(Array(MAX_SECRETS + 1).fill('s')), `invalid secret: pass 1 to ${MAX_SECRETS} secrets, not ${MAX_SECRETS + 1}`);
  assert.equal(new Verifier(Array(MAX_SECRETS).fill('s')).secretCount, MAX_SECRETS);
  // An array whose length lies (a Proxy) is counted as the most a u32 holds, never as 0.
  const lying = new Proxy([], { get: (target, key) => (key === 'length' ? Infinity : target[key]) });
  assert.equal(message(lying), `invalid secret: pass 1 to ${MAX_SECRETS} secrets, not 4294967295`);
});

test('the inputs the glue refuses get their messages from the glue, with the core codes', () => {
  const thrown = (fn) => {
    try {
      fn();
    } catch (error) {
      return [error.code, error.status, error.message];
    }
    assert.fail('no error');
  };
  assert.deepEqual(thrown(() => verify(42, 'sha256=00', 's')), [
    'INVALID_PAYLOAD',
    500,
    "invalid payload: got a number; pass the raw request body as a string, Buffer, Uint8Array or ArrayBuffer (Express: express.raw({ type: 'application/json' }); fetch: await request.arrayBuffer())",
  ]);
  assert.match(thrown(() => verify({ a: 1 }, 'sha256=00', 's'))[2], /^invalid payload: got an object \(probably already parsed JSON\);/);
  assert.match(thrown(() => verify(null, 'sha256=00', 's'))[2], /^invalid payload: got null;/);
  assert.deepEqual(thrown(() => verify('{}', 'sha256=00', 42)), [
    'INVALID_SECRET',
    500,
    'invalid secret: pass the endpoint secret as a non-empty string or Uint8Array, or an array of them',
  ]);
});

test('the README and the .d.ts say the limits the core has', async () => {
  const { MAX_SECRETS, MAX_HEADER_BYTES } = await constants();
  const prose = [
    ['README.md', readFileSync(join(root, 'README.md'), 'utf8')],
    ['index.d.ts', readFileSync(join(src, 'index.d.ts'), 'utf8')],
  ];
  for (const [name, text] of prose) {
    for (const [, n] of text.matchAll(/\b1 to (\d+)\b/g)) assert.equal(Number(n), MAX_SECRETS, `${name}: "1 to ${n}"`);
    for (const [, a, b] of text.matchAll(/\b(\d+) KiB header|over (\d+) KiB/g)) {
      assert.equal(Number(a ?? b) * 1024, MAX_HEADER_BYTES, `${name}: ${a ?? b} KiB`);
    }
  }
});
