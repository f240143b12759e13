// The `queue` option on Deno KV's queue (deno run --unstable-kv): 50 deliveries → 50 runs through
// kv.listenQueue((m) => receiver.consume(m)); a handler that always fails ends, after its backoff
// schedule, under keysIfUndelivered with the original message.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { cp } from 'node:fs/promises';
import { runtimeBin, startServer } from '../../examples/harness.mjs';
import { delivery, outcome, pool, post, secret, until } from '../dedupe/harness.mjs';
import { consumer } from './package.mjs';

describe('Deno KV queue (--unstable-kv)', { timeout: 120_000 }, () => {
  let server;
  const get = async (path) => (await fetch(new URL(path, server.url))).json();
  before(async () => {
    await cp(new URL('./deno-queue.ts', import.meta.url), `${consumer}/deno-queue.ts`);
    server = await startServer({
      command: runtimeBin('deno'),
      args: ['run', '--check', '--unstable-kv', '--allow-net=127.0.0.1', '--allow-env=ELENIK_WEBHOOK_SECRET', 'deno-queue.ts'],
      cwd: consumer,
      env: { DENO_NO_UPDATE_CHECK: '1', NO_COLOR: '1', ELENIK_WEBHOOK_SECRET: secret },
      timeoutMs: 90_000,
    });
  });
  after(() => server?.stop());

  test('50 deliveries (each sent twice) → 50 answers queued, 50 runs', async () => {
    const deliveries = Array.from({ length: 50 }, () => delivery({}));
    const answers = await pool([...deliveries, ...deliveries], 10, (copy) => post(server.url, copy));
    assert.equal(answers.map(outcome).filter((o) => o === '200 queued').length, 50, JSON.stringify(answers.map(outcome)));
    const runs = await until('50 runs', async () => {
      const all = await get('/runs');
      return deliveries.every((d) => all[`run ${d.key}`]) ? all : null;
    }, 30_000);
    assert.ok(deliveries.every((d) => runs[`run ${d.key}`] === 1), 'each ran once');
  });

  test('a handler that always fails ends under keysIfUndelivered with the original message; replayed after the fix, it runs once', async () => {
    const copy = delivery({ fail: true });
    assert.equal(outcome(await post(server.url, copy)), '200 queued');
    const [dead] = await until('the undelivered message', async () => {
      const list = await get('/undelivered');
      return list.length ? list : null;
    }, 30_000);
    assert.equal(dead.key, copy.key);
    assert.equal(dead.body, copy.body, 'the original bytes');
    assert.equal((await get('/runs'))[`start ${copy.key}`], 3, '1 attempt + 2 retries');
    // The fix ships; replaying the undelivered message (README) runs it once.
    await get('/fix');
    assert.deepEqual(await get('/replay'), ['ran']);
    assert.equal((await get('/runs'))[`run ${copy.key}`], 1);
    assert.deepEqual(await get('/undelivered'), []);
  });
});
