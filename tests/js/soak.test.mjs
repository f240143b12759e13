// Soak: 1,000,000 verify, 100,000 constructEvent, 100,000 Verifier create/free and 100,000 left
// to the garbage collector, with Wasm memory flat. Memory is read through the package's own
// glue module (see secrets.test.mjs): `memory.buffer.byteLength` only grows, so "flat" means no
// growth after a warm-up. The module imports nothing from JS and holds no JS values.
// Wasm never shrinks its memory, so a leak shows up as growth: 1,000,000 calls leaking even 8
// bytes each would add 8 MB (128 pages).
import assert from 'node:assert/strict';
import { createHmac } from 'node:crypto';
import { test } from 'node:test';
import v8 from 'node:v8';
import vm from 'node:vm';
import { constructEvent, sign, verify, Verifier } from 'elenik-webhooks';

const glue = Verifier[Symbol.for('elenik-webhooks.glue')];
const wasm = glue.initSync();
v8.setFlagsFromString('--expose-gc');
const gc = vm.runInNewContext('gc');

const SECRET = 'soak-secret';
const BODY = '{"event":"payment_verified","data":{"user_id":"u_1","amount":49.99,"currency":"USD"}}';
const BYTES = new TextEncoder().encode(BODY);
const GOOD = `sha256=${createHmac('sha256', SECRET).update(BODY).digest('hex')}`;
const BAD = `sha256=${'0'.repeat(64)}`;

const snapshot = () => ({ memory: wasm.memory.buffer.byteLength });
const scale = Number(process.env.SOAK_SCALE ?? 1);
const n = (count) => Math.round(count * scale);

function soak(t, name, count, body) {
  for (let i = 0; i < 10_000; i += 1) body(i); // warm-up: the allocator reaches its working size
  const before = snapshot();
  const start = process.hrtime.bigint();
  for (let i = 0; i < count; i += 1) body(i);
  const seconds = Number(process.hrtime.bigint() - start) / 1e9;
  const after = snapshot();
  t.diagnostic(`${name}: ${count} in ${seconds.toFixed(1)} s; Wasm memory ${before.memory} -> ${after.memory} bytes`);
  assert.deepEqual(after, before, name);
}

test('soak: Wasm memory stays flat', async (t) => {
  const verifier = new Verifier([SECRET, 'old-secret']);
  soak(t, 'verify()', n(1_000_000), (i) => {
    const ok = verify(i & 1 ? BYTES : BODY, i & 2 ? GOOD : BAD, SECRET);
    if (ok !== Boolean(i & 2)) throw new Error(`verify ${i}`);
  });
  soak(t, 'Verifier#verify', n(1_000_000), (i) => {
    if (verifier.verify(BYTES, i & 2 ? GOOD : BAD) !== Boolean(i & 2)) throw new Error(`Verifier#verify ${i}`);
  });
  soak(t, 'constructEvent()', n(100_000), (i) => {
    if (i & 1) {
      if (constructEvent(BODY, GOOD, SECRET).data.amount !== 49.99) throw new Error('constructEvent');
    } else {
      try {
        constructEvent(BODY, BAD, SECRET);
        throw new Error('accepted a bad signature');
      } catch (error) {
        if (error.code !== 'SIGNATURE_MISMATCH') throw error;
      }
    }
  });
  soak(t, 'new Verifier + free()', n(100_000), (i) => {
    const v = new Verifier(i & 1 ? SECRET : [SECRET, 'old-secret']);
    if (!v.verify(BODY, GOOD)) throw new Error('Verifier');
    v.free();
  });
  soak(t, 'new Verifier + [Symbol.dispose]()', n(100_000), () => {
    // What `using v = new Verifier(...)` does at the end of its block (Node 20 lacks the syntax).
    const v = new Verifier(SECRET);
    v.sign(BODY);
    v[Symbol.dispose]();
  });

  // Left to the garbage collector: a Verifier's key state is a JS-owned buffer, so Wasm memory
  // must not move at all, before or after collection.
  const probe = () => {
    const v = new Verifier(SECRET);
    return v.verify(BODY, GOOD);
  };
  for (let i = 0; i < 10_000; i += 1) probe();
  for (let round = 0; round < 5; round += 1) {
    gc();
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  const before = snapshot();
  const count = n(100_000);
  for (let done = 0; done < count; done += 10_000) {
    for (let i = 0; i < 10_000; i += 1) probe();
    gc();
    await new Promise((resolve) => setImmediate(resolve));
  }
  for (let round = 0; round < 5; round += 1) {
    gc();
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  const after = snapshot();
  t.diagnostic(`Verifier left to the garbage collector: ${count}; Wasm memory ${before.memory} -> ${after.memory} bytes`);
  assert.deepEqual(after, before, 'left to the garbage collector');
  assert.ok(after.memory < 16 * 1024 * 1024, `${after.memory}`);
  verifier.free();
});
