// A consumer's memory stays flat over 100,000 messages: receiver.consume called directly with
// valid, distinct messages and the default memory store (which keeps at most maxEntries keys).
// Bounded, not timed: the heap after a full GC at 20,000 messages and at 100,000.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { pkg } from './package.mjs';

setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc');
const heap = () => {
  gc();
  gc();
  return process.memoryUsage().heapUsed;
};

test('consume over 100,000 messages: the heap does not grow with the count', async (t) => {
  const secret = 'whsec_memory_queue';
  const store = pkg.memoryStore();
  let runs = 0;
  const receiver = pkg.createReceiver({ secret, dedupe: store, logger: false }).onAny(() => {
    runs += 1;
  });
  const message = (i) => {
    const body = JSON.stringify({ event: 'test_delivery', data: { id: `m_${i}`, note: 'x'.repeat(200) } });
    return { v: 1, key: '', event: 'test_delivery', signature: pkg.sign(body, secret), body, encoding: 'utf8', receivedAt: i };
  };
  let baseline;
  for (let i = 0; i < 100_000; i += 1) {
    assert.equal(await receiver.consume(message(i)), 'ran');
    if (i === 20_000) baseline = heap();
  }
  const grown = heap() - baseline;
  t.diagnostic(`heap growth from 20,000 to 100,000 messages: ${(grown / 1024).toFixed(0)} KiB; store keys ${store.size}`);
  assert.equal(runs, 100_000);
  assert.ok(store.size <= store.maxEntries);
  assert.ok(grown < 4 * 1024 * 1024, `the heap grew by ${grown} bytes over 80,000 messages`);
});
