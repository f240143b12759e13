// Wasm memory budgets (issue 9), as tests: Wasm memory never shrinks, so what callers do must not
// make it grow. A Verifier's key state is JS-owned, verify/sign/deliveryKey hash through a fixed
// 64 KiB buffer, and event parsing reuses one buffer. Memory is read through the package's own
// glue module (see secrets.test.mjs). These are bounds on bytes, not timings.
import assert from 'node:assert/strict';
import { createHash, createHmac } from 'node:crypto';
import { test } from 'node:test';
import { constructEvent, deliveryKey, sign, verify, Verifier } from 'elenik-webhooks';

const glue = Verifier[Symbol.for('elenik-webhooks.glue')];
const wasm = glue.initSync();
const size = () => wasm.memory.buffer.byteLength;
const MiB = 1024 * 1024;
const SECRET = 'memory-budget-secret';
const BODY = '{"event":"user_signup","data":{"user_id":"u_memory"}}';

test('the module imports nothing from JS', async () => {
  const { readFileSync } = await import('node:fs');
  const bytes = readFileSync(new URL('./elenik_webhooks_bg.wasm', import.meta.resolve('elenik-webhooks')));
  assert.deepEqual(WebAssembly.Module.imports(new WebAssembly.Module(bytes)), []);
});

test('1,000,000 Verifiers abandoned in a tight synchronous loop: at most 1 MiB of growth', () => {
  const before = size();
  let verified = 0;
  for (let i = 0; i < 1_000_000; i += 1) {
    const verifier = new Verifier(SECRET);
    if (i % 100_000 === 0 && verifier.verify(BODY, sign(BODY, SECRET))) verified += 1;
  }
  assert.equal(verified, 10);
  assert.ok(size() - before <= MiB, `grew ${size() - before} bytes`);
});

test('verify and sign of 200 MiB of bytes and a 50 MiB string: at most 1 MiB of growth', () => {
  const before = size();
  const bytes = new Uint8Array(200 * MiB).fill(0x61);
  const header = `sha256=${createHmac('sha256', SECRET).update(bytes).digest('hex')}`;
  assert.equal(sign(bytes, SECRET), header);
  assert.equal(verify(bytes, header, SECRET), true);
  assert.equal(new Verifier(SECRET).verify(bytes, header), true);
  assert.equal(deliveryKey(bytes), createHash('sha256').update(bytes).digest('hex'));
  // Multi-byte characters (and a surrogate pair across every 64 KiB piece) hash as UTF-8.
  const text = 'a😀é'.repeat(50 * MiB / 7);
  const textHeader = `sha256=${createHmac('sha256', SECRET).update(text).digest('hex')}`;
  assert.equal(sign(text, SECRET), textHeader);
  assert.equal(verify(text, textHeader, SECRET), true);
  assert.equal(new Verifier([SECRET, 'other']).verify(text, textHeader), true);
  assert.ok(size() - before <= MiB, `grew ${size() - before} bytes`);
});

test('1,000 repeated constructEvent of a 5 MiB body: no growth after the first', () => {
  const shell = '{"event":"big","data":{"pad":""}}';
  const body = shell.replace('""', `"${'x'.repeat(5 * MiB - shell.length)}"`);
  const header = sign(body, SECRET);
  const verifier = new Verifier(SECRET);
  const bytes = new TextEncoder().encode(body);
  assert.equal(constructEvent(body, header, SECRET).data.pad.length, 5 * MiB - shell.length);
  verifier.constructEvent(bytes, header);
  const afterFirst = size();
  for (let i = 0; i < 1_000; i += 1) {
    const event = i & 1 ? verifier.constructEvent(bytes, header) : constructEvent(body, header, SECRET);
    if (event.event !== 'big') throw new Error(`call ${i}`);
  }
  assert.equal(size(), afterFirst);
});
