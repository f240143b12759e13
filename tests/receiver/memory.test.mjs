// Memory bounds (not timings): 1,000,000 distinct deliveries through receive() with the default
// memory store at its default maxEntries, and 1,000,000 distinct keys straight into a memoryStore
// with maxEntries 10,000. After a warm-up that fills the store, the JS heap (after a full GC) and
// the Wasm memory stay flat, the store holds exactly maxEntries keys, and the oldest done markers
// go first, never a live claim.
import assert from 'node:assert/strict';
import { createHmac } from 'node:crypto';
import { test } from 'node:test';
import v8 from 'node:v8';
import vm from 'node:vm';
import { createReceiver, memoryStore, Verifier } from 'elenik-webhooks';

v8.setFlagsFromString('--expose-gc');
const gc = vm.runInNewContext('gc');
const glue = Verifier[Symbol.for('elenik-webhooks.glue')];
const wasm = glue.initSync();

const MB = 1024 * 1024;
const N = Math.round(1_000_000 * Number(process.env.RECEIVER_MEMORY_SCALE ?? 1));
// A leak of even 8 bytes per delivery would add 8 MB over 1,000,000 of them; the heap's own
// noise (code, inline caches, the test runner) is well under this.
const ALLOWED_HEAP_GROWTH = 4 * MB;

function heap() {
  gc();
  gc();
  return process.memoryUsage().heapUsed;
}

test(`${N} distinct deliveries through receive() with the default memory store: memory flat`, async (t) => {
  const secret = 'memory-test-secret';
  const store = memoryStore(); // what createReceiver uses when given no store: its defaults
  const receiver = createReceiver({ secret, dedupe: { store }, logger: false });
  let handled = 0;
  receiver.on('task_complete', (event, context) => {
    if (context.deliveryKey.length === 64) handled += 1;
  });
  const hmac = (body) => `sha256=${createHmac('sha256', secret).update(body).digest('hex')}`;
  const deliver = async (i) => {
    const body = `{"event":"task_complete","data":{"task_id":"task_${i}","status":"completed","created_at":1700000000}}`;
    const { status } = await receiver.receive(body, { 'x-elenik-signature': hmac(body) });
    if (status !== 200) throw new Error(`delivery ${i}: ${status}`);
  };
  // Warm-up: fill the store to maxEntries, so from here on every claim evicts one key.
  const warm = store.maxEntries + 10_000;
  for (let i = 0; i < warm; i += 1) await deliver(i);
  assert.equal(store.size, store.maxEntries);
  const before = { heap: heap(), wasm: wasm.memory.buffer.byteLength };
  for (let i = warm; i < warm + N; i += 1) await deliver(i);
  const after = { heap: heap(), wasm: wasm.memory.buffer.byteLength };
  t.diagnostic(`maxEntries ${store.maxEntries}; JS heap ${(before.heap / MB).toFixed(1)} -> ${(after.heap / MB).toFixed(1)} MB; Wasm memory ${before.wasm} -> ${after.wasm} bytes`);
  assert.equal(handled, warm + N);
  assert.equal(store.size, store.maxEntries);
  assert.equal(after.wasm, before.wasm);
  assert.ok(after.heap - before.heap < ALLOWED_HEAP_GROWTH, `heap grew by ${after.heap - before.heap} bytes`);
  // The newest deliveries are remembered, the oldest were evicted.
  const last = `{"event":"task_complete","data":{"task_id":"task_${warm + N - 1}","status":"completed","created_at":1700000000}}`;
  assert.equal((await receiver.receive(last, { 'x-elenik-signature': hmac(last) })).duplicate, true);
  const first = '{"event":"task_complete","data":{"task_id":"task_0","status":"completed","created_at":1700000000}}';
  assert.equal((await receiver.receive(first, { 'x-elenik-signature': hmac(first) })).duplicate, undefined);
});

test(`${N} distinct keys into memoryStore({ maxEntries: 10000 }): memory flat, oldest done markers evicted first, live claims never`, async (t) => {
  const maxEntries = 10_000;
  const LIVE = 100; // claims whose handlers never finish during the test: they must stay
  const store = memoryStore({ maxEntries });
  const key = (i) => `${i.toString(16).padStart(64, '0')}`;
  const live = (i) => `live_${i}`;
  for (let i = 0; i < LIVE; i += 1) assert.equal(await store.claim(live(i), `l${i}`, 3600), 'claimed');
  const put = async (i) => {
    if ((await store.claim(key(i), `t${i}`, 60)) !== 'claimed') throw new Error(`claim ${i}`);
    // One in three fails and is released (its key freed at once); the others are done markers.
    if (i % 3 === 0) {
      if (!(await store.release(key(i), `t${i}`))) throw new Error(`release ${i}`);
    } else if (!(await store.complete(key(i), `t${i}`, 604800))) throw new Error(`complete ${i}`);
  };
  for (let i = 0; i < 2 * maxEntries; i += 1) await put(i);
  const before = heap();
  for (let i = 2 * maxEntries; i < 2 * maxEntries + N; i += 1) await put(i);
  const after = heap();
  const end = 2 * maxEntries + N;
  t.diagnostic(`JS heap ${(before / MB).toFixed(1)} -> ${(after / MB).toFixed(1)} MB`);
  assert.equal(store.size, maxEntries);
  assert.ok(after - before < ALLOWED_HEAP_GROWTH, `heap grew by ${after - before} bytes`);
  // Every live claim is still held, after 1,000,000 evictions around it.
  for (let i = 0; i < LIVE; i += 1) assert.equal(await store.claim(live(i), 'probe', 60), 'processing', `live claim ${i}`);
  // Exactly the newest maxEntries - LIVE done markers are held; the one before is gone.
  const done = [];
  for (let i = end - 1; done.length < maxEntries - LIVE; i -= 1) if (i % 3 !== 0) done.push(i);
  for (const i of [done[0], done[1], done.at(-1)]) assert.equal(await store.claim(key(i), 'probe', 60), 'done', `key ${i}`);
  let evicted = done.at(-1) - 1;
  while (evicted % 3 === 0) evicted -= 1;
  assert.equal(await store.claim(key(evicted), 'probe', 60), 'claimed', 'the oldest done marker was evicted');
});
