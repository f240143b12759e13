// The `queue` option on Cloudflare Queues in wrangler dev (workerd + Miniflare's queues): one
// Worker is producer, consumer (receiver.queue) and dead-letter consumer, guarded by the Durable
// Object store. 50 deliveries → 50 runs; a handler that always fails ends in the dead-letter
// queue with the original message, and replaying that message after a fix runs it once.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { cp, writeFile } from 'node:fs/promises';
import { runtimeBin, startServer } from '../../examples/harness.mjs';
import { delivery, outcome, pool, post, secret, until } from '../dedupe/harness.mjs';
import { consumer } from './package.mjs';

describe('Cloudflare Queues in wrangler dev', { timeout: 180_000 }, () => {
  let server;
  const counts = async () => (await fetch(new URL('/runs', server.url))).json();
  before(async () => {
    const dir = `${consumer}/cf-worker-${randomUUID()}`;
    await cp(new URL('./worker/', import.meta.url), dir, { recursive: true });
    await writeFile(`${dir}/.dev.vars`, `ELENIK_WEBHOOK_SECRET=${secret}\n`);
    server = await startServer({
      command: runtimeBin('wrangler'),
      args: ['dev', '--ip', '127.0.0.1', '--port', '0', '--inspector-port', '0', '--log-level', 'log'],
      cwd: dir,
      env: { WRANGLER_SEND_METRICS: 'false', CLOUDFLARE_CF_FETCH_ENABLED: 'false', WRANGLER_HIDE_BANNER: 'true', CI: '1' },
      timeoutMs: 90_000,
    });
  });
  after(() => server?.stop());

  test('50 deliveries (each sent twice) → 50 answers queued, 50 runs', async (t) => {
    const deliveries = Array.from({ length: 50 }, () => delivery({}));
    const answers = await pool([...deliveries, ...deliveries], 10, (copy) => post(server.url, copy));
    const queued = answers.map(outcome).filter((o) => o === '200 queued');
    assert.equal(queued.length, 50, JSON.stringify(answers.map(outcome)));
    const runsOf = (all) => deliveries.filter((d) => all[`run ${d.key}`] >= 1);
    const all = await until('50 runs', async () => {
      const c = await counts();
      return runsOf(c).length === 50 ? c : null;
    }, 60_000);
    assert.ok(deliveries.every((d) => all[`run ${d.key}`] === 1), 'each ran once');
    t.diagnostic('50 runs');
  });

  test('a handler that always fails: after max_retries the dead-letter consumer has the original message; replayed after the fix, it runs once', async () => {
    const copy = delivery({ fail: true });
    assert.equal(outcome(await post(server.url, copy)), '200 queued');
    const all = await until('the dead letter', async () => {
      const c = await counts();
      return c[`dead ${copy.key}`] ? c : null;
    }, 60_000);
    assert.equal(all[`start ${copy.key}`], 3, '1 attempt + max_retries 2');
    assert.equal(all[`run ${copy.key}`], undefined);
    const dead = all[`message ${copy.key}`];
    assert.equal(dead.body, copy.body, 'the original bytes');
    assert.equal(dead.signature, copy.headers['x-elenik-signature']);

    // The fix ships; the dead letter, replayed, runs once; replayed again, it is a duplicate.
    await fetch(new URL('/fix', server.url));
    const replay = async () => assert.deepEqual(await (await fetch(new URL(`/replay?key=${copy.key}`, server.url))).json(), { replayed: copy.key });
    await replay();
    const replayed = await until('the replayed run', async () => {
      const c = await counts();
      return c[`run ${copy.key}`] >= 1 && c[`consumed ${copy.key}`] >= 4 ? c : null;
    }, 60_000);
    await replay();
    const again = await until('the second replay consumed', async () => {
      const c = await counts();
      return c[`consumed ${copy.key}`] > replayed[`consumed ${copy.key}`] ? c : null;
    }, 60_000);
    assert.equal(again[`run ${copy.key}`], 1, 'the replayed dead letter ran once');
    assert.equal(again[`start ${copy.key}`], 4, 'three failed attempts, then the one run');
  });
});
