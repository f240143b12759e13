// Secrets: never in a message, an inspected error or a log line; and no copy of the secret or of
// its HMAC key state is left anywhere in Wasm memory once a call returns: a Verifier keeps its key
// state in a JS-owned buffer (zeroed by free()), written into Wasm memory for each call and wiped
// there before the call returns. The memory is read through the package's own glue, reached by its
// test hook (the symbol-keyed static `Verifier[Symbol.for('elenik-webhooks.glue')]`, since each
// entry is one file): `initSync()` returns the running instance's exports.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { createHmac, randomBytes } from 'node:crypto';
import { test } from 'node:test';
import { inspect } from 'node:util';
import v8 from 'node:v8';
import vm from 'node:vm';
import * as api from 'elenik-webhooks';
import { hmacMidstates } from './sha256-midstate.mjs';

const { Verifier, verify, sign, constructEvent, parseEvent } = api;
const glue = api.Verifier[Symbol.for('elenik-webhooks.glue')];
const wasm = glue.initSync();
const BODY = '{"event":"user_signup","data":{"user_id":"u_secret"}}';

/** Where each piece of `secret`'s key material occurs in Wasm memory right now. */
function traces(secret) {
  const key = Buffer.from(secret);
  const memory = Buffer.from(wasm.memory.buffer);
  const found = {};
  for (const [name, needle] of Object.entries({ secret: key, ...hmacMidstates(key) })) {
    if (memory.indexOf(needle) >= 0) found[name] = true;
  }
  return found;
}
const fresh = (bytes = 24) => `zeroize-probe-${randomBytes(bytes).toString('hex')}`;

test('the scan sees key material where the core derives it (the control)', () => {
  // The core's own export, as the glue calls it: the secret into the data buffer, its key state
  // into key slot 0. Until wipe(), the scan must find both midstates there.
  const secret = fresh();
  const at = wasm.data(secret.length);
  new TextEncoder().encodeInto(secret, new Uint8Array(wasm.memory.buffer, at, secret.length));
  assert.equal(wasm.derive(secret.length, 0), 0);
  const seen = traces(secret);
  assert.ok(seen.inner && seen.outer, JSON.stringify(seen));
  assert.ok(!seen.secret, 'derive() wipes the secret bytes it used');
  wasm.wipe();
  assert.deepEqual(traces(secret), {});
});

test('a live Verifier holds no key material in Wasm memory between calls', () => {
  const secret = fresh();
  const verifier = new Verifier(secret);
  assert.equal(verifier.verify(BODY, sign(BODY, secret)), true);
  verifier.constructEvent(BODY, sign(BODY, secret));
  assert.deepEqual(traces(secret), {});
  verifier.free();
});

test("free() and [Symbol.dispose]() zero the Verifier's own copy of the key state", () => {
  // The copy lives in a private field; catching the Uint8Array the glue makes for it (with
  // `slice`, in the constructor) lets the test look at it without a product hook.
  for (const release of ['free', Symbol.dispose]) {
    const secret = fresh();
    const { inner, outer } = hmacMidstates(Buffer.from(secret));
    const made = [];
    const { slice } = Uint8Array.prototype;
    Uint8Array.prototype.slice = function caught(...args) {
      const copy = slice.apply(this, args);
      made.push(copy);
      return copy;
    };
    let verifier;
    try {
      verifier = new Verifier(secret);
    } finally {
      Uint8Array.prototype.slice = slice;
    }
    const own = made.find((copy) => Buffer.from(copy).includes(inner) && Buffer.from(copy).includes(outer));
    assert.ok(own, 'control: the Verifier keeps the inner and outer states in a buffer of its own');
    assert.equal(verifier.verify(BODY, sign(BODY, secret)), true);
    verifier[release]();
    assert.ok(own.every((byte) => byte === 0), `${String(release)}: zeroed`);
  }
});

test('free(), [Symbol.dispose]() and one-shot calls leave no trace of the key', () => {
  const kinds = {
    'string secret': fresh(),
    'secret over 64 bytes (hashed first)': fresh(60),
    'Uint8Array secret': fresh(),
  };
  for (const [kind, secret] of Object.entries(kinds)) {
    const asInput = kind.startsWith('Uint8Array') ? new Uint8Array(Buffer.from(secret)) : secret;
    const verifier = new Verifier([asInput, 'another-secret']);
    verifier.verify(BODY, sign(BODY, secret));
    verifier.constructEvent(BODY, sign(BODY, secret));
    verifier.tryVerify(BODY, 'sha256=00');
    verifier.sign(BODY);
    verifier.free();
    assert.deepEqual(traces(secret), {}, `${kind}: after free()`);

    const disposed = new Verifier(asInput);
    disposed.verify(BODY, sign(BODY, secret));
    disposed[Symbol.dispose]();
    assert.deepEqual(traces(secret), {}, `${kind}: after [Symbol.dispose]()`);
  }
  const secret = fresh();
  assert.equal(verify(BODY, sign(BODY, secret), secret), true);
  constructEvent(BODY, sign(BODY, secret), [secret]);
  assert.throws(() => constructEvent(BODY, 'sha256=00', secret));
  api.explainMismatch?.(BODY, `sha256=${'ab'.repeat(32)}`, secret);
  assert.deepEqual(traces(secret), {}, 'after verify, sign, constructEvent, explainMismatch');
});

test('a Verifier left to the garbage collector leaves nothing in Wasm memory, even before collection', async () => {
  v8.setFlagsFromString('--expose-gc');
  const gc = vm.runInNewContext('gc');
  const secret = fresh();
  (() => {
    const verifier = new Verifier(secret);
    assert.equal(verifier.verify(BODY, sign(BODY, secret)), true);
  })();
  assert.deepEqual(traces(secret), {}, 'before collection');
  gc();
  await new Promise((resolve) => setTimeout(resolve, 10));
  assert.deepEqual(traces(secret), {}, 'after collection');
});

test('no message, inspected error, result or log line contains the secret or the expected signature', () => {
  // A child process runs every failing path with the secret and prints only what the package
  // itself prints (nothing, we expect), then the errors' every rendering; we grep all of it.
  const secret = fresh();
  const expected = createHmac('sha256', secret).update(BODY).digest('hex');
  const script = `
    const api = require('elenik-webhooks');
    const { inspect } = require('node:util');
    const secret = process.argv[1], body = ${JSON.stringify(BODY)};
    const renderings = [];
    const tries = [
      () => api.constructEvent(body, 'sha256=' + '0'.repeat(64), secret),
      () => api.constructEvent(body, 'sha256=' + '0'.repeat(63) + 'g', secret),
      () => api.constructEvent(body, 'sha1=' + '0'.repeat(40), secret),
      () => api.constructEvent(body, undefined, secret),
      () => api.constructEvent({ parsed: true }, 'x', secret),
      () => api.constructEvent(body, 'x', [secret, '']),
      () => api.constructEvent(body, 'x', Array(17).fill(secret)),
      () => api.constructEvent(body + 'x', api.sign(body + 'x', secret), secret),
      () => api.constructEvent('{"event":"a","data":{"k":1,"k":2}}', api.sign('{"event":"a","data":{"k":1,"k":2}}', secret), secret),
      () => api.constructEvent('{"event":"payment_verified","data":{}}', api.sign('{"event":"payment_verified","data":{}}', secret), secret),
      () => new api.Verifier([secret, 42]),
      () => { throw new Error(JSON.stringify(new api.Verifier(secret).tryVerify(body, 'sha256=' + '0'.repeat(64)))); },
      () => { throw new Error(JSON.stringify(api.explainMismatch?.(body, 'sha256=' + '0'.repeat(64), secret))); },
      () => { const v = new api.Verifier(secret); v.free(); v.verify(body, 'x'); },
    ];
    for (const attempt of tries) {
      try { attempt(); renderings.push('no throw'); } catch (e) {
        renderings.push(String(e), e.stack, inspect(e, { showHidden: true, depth: 5 }), JSON.stringify(e), JSON.stringify(Object.getOwnPropertyDescriptors(e)));
      }
    }
    renderings.push(inspect(new api.Verifier(secret), { showHidden: true }));
    process.stdout.write(renderings.join('\\n'));
  `;
  const output = execFileSync(process.execPath, ['-e', script, secret], {
    cwd: new URL('..', import.meta.url),
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  assert.ok(output.includes('SIGNATURE_MISMATCH') && output.includes('INVALID_EVENT'), 'the renderings are there');
  for (const needle of [secret, expected, expected.toUpperCase(), Buffer.from(secret).toString('base64'), Buffer.from(secret).toString('hex')]) {
    assert.ok(!output.includes(needle), `found ${needle.slice(0, 12)}... in:\n${output.slice(0, 2000)}`);
  }
  assert.ok(!inspect(api, { depth: 3 }).includes(secret));
});

test('the package source never logs', async () => {
  const { readdirSync, readFileSync } = await import('node:fs');
  const root = new URL('./', import.meta.resolve('elenik-webhooks'));
  // bin/init.js and bin/init-queue.js hold the code `elenik-webhooks init` writes into a user's
  // project, whose example handlers log their events; the package itself logs only through
  // createReceiver's `logger`.
  const files = readdirSync(root, { recursive: true }).filter(
    (f) => /\.(c?js)$/.test(f) && f !== 'bin/init.js' && f !== 'bin/init-queue.js',
  );
  assert.ok(files.length > 5, files.join());
  for (const file of files) {
    const source = readFileSync(new URL(file, root), 'utf8');
    // wasm-bindgen's loader warns about how it was loaded (a deprecated call form, a server
    // without the Wasm MIME type), never with data passed to the API.
    const calls = source.match(/console\.\w+\([^)]*\)/g) ?? [];
    const loader = /deprecated parameters|instantiateStreaming/;
    assert.deepEqual(calls.filter((c) => !loader.test(c)), [], file);
  }
});
