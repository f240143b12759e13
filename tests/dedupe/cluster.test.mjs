// Three receiver processes share one real redis-server, through node-redis and through ioredis:
// concurrent copies of one delivery run its handler once; distinct deliveries each run once; an
// instance killed mid-handler loses nothing (another runs it after the lease); a Redis outage
// answers 503 and runs nothing, and the retry succeeds once Redis is back.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { signature } from '../../examples/harness.mjs';
import { delivery, linesOf, outcome, pool, post, retry, secret, sleep, startProcess, tally } from './harness.mjs';
import { clients } from './package.mjs';
import { startRedis } from './redis-server.mjs';

const LEASE_SECONDS = 3;

const startInstance = (name, env) =>
  startProcess(name, new URL('./receiver-process.mjs', import.meta.url).pathname, { ...env, SECRET: secret, LEASE_SECONDS: String(LEASE_SECONDS) }, /(http:\/\/127\.0\.0\.1:\d+)/);

for (const client of ['node-redis 5', 'ioredis']) {
  describe(`three receivers on one redis-server, through ${client}`, { timeout: 120_000 }, () => {
    let redis;
    let dir;
    let runsFile;
    let instances = [];
    const lines = () => linesOf(runsFile);
    const runsOf = async (key, what = 'run') => (await lines()).filter(([, w, k]) => w === what && k === key);

    before(async () => {
      redis = await startRedis();
      dir = await mkdtemp(join(tmpdir(), 'elenik-cluster-'));
      runsFile = join(dir, 'runs.log');
      await writeFile(runsFile, '');
      const env = { REDIS_CLIENT: client, REDIS_URL: redis.url, RUNS_FILE: runsFile };
      instances = await Promise.all(['a', 'b', 'c'].map((name) => startInstance(name, env)));
    });
    after(async () => {
      await Promise.all(instances.map((instance) => instance.kill()));
      await redis?.kill();
      if (dir) await rm(dir, { recursive: true, force: true });
    });

    test('forged and unsigned copies are refused before the store: 401, no key in Redis, no run', async () => {
      const copy = delivery({});
      const forged = { ...copy, headers: { ...copy.headers, 'x-elenik-signature': signature(copy.body, 'guessed-secret') } };
      const unsigned = { ...copy, headers: { 'content-type': 'application/json' } };
      assert.equal(outcome(await post(instances[0].url, forged)), '401 SIGNATURE_MISMATCH');
      assert.equal(outcome(await post(instances[1].url, unsigned)), '401 MISSING_SIGNATURE');
      const { client: probe, close } = await clients.ioredis(redis.url);
      try {
        assert.equal(await probe.exists(`elenik:dedupe:${copy.key}`), 0);
      } finally {
        await close();
      }
      assert.equal((await runsOf(copy.key, 'start')).length, 0);
      // The genuine delivery is then claimed, and lands under that key.
      assert.equal(outcome(await post(instances[2].url, copy)), '200 event');
    });

    test('50 concurrent copies of one delivery over three instances → exactly 1 handler run', async (t) => {
      const copy = delivery({ delay_ms: 1000 });
      const results = await Promise.all(Array.from({ length: 50 }, (_, i) => post(instances[i % 3].url, copy)));
      const outcomes = results.map(outcome);
      t.diagnostic(`${client}: 50 copies sent, statuses ${JSON.stringify(tally(outcomes))}`);
      assert.equal(outcomes.filter((o) => o === '200 event').length, 1, JSON.stringify(tally(outcomes)));
      assert.ok(outcomes.every((o) => ['200 event', '200 duplicate', '409 DELIVERY_IN_PROGRESS'].includes(o)), JSON.stringify(tally(outcomes)));
      assert.ok(outcomes.includes('409 DELIVERY_IN_PROGRESS'), 'copies arrived while the handler ran');
      assert.equal((await runsOf(copy.key, 'start')).length, 1);
      assert.equal((await runsOf(copy.key)).length, 1);
      // Once done, every later copy is a duplicate, on every instance.
      for (const instance of instances) assert.equal(outcome(await post(instance.url, copy)), '200 duplicate');
      t.diagnostic(`${client}: handler runs 1`);
    });

    test('200 distinct deliveries × 3 copies → exactly 200 handler runs, one per delivery', async (t) => {
      const deliveries = Array.from({ length: 200 }, () => delivery({ delay_ms: 20 }));
      const copies = deliveries.flatMap((d) => [d, d, d]);
      const results = await pool(copies, 150, (copy, i) => post(instances[i % 3].url, copy));
      const outcomes = results.map(outcome);
      t.diagnostic(`${client}: 600 requests (200 deliveries × 3), statuses ${JSON.stringify(tally(outcomes))}`);
      assert.equal(outcomes.filter((o) => o === '200 event').length, 200, JSON.stringify(tally(outcomes)));
      assert.ok(outcomes.every((o) => ['200 event', '200 duplicate', '409 DELIVERY_IN_PROGRESS'].includes(o)));
      const keys = new Set(deliveries.map((d) => d.key));
      const runs = (await lines()).filter(([, what, key]) => what === 'run' && keys.has(key));
      assert.equal(runs.length, 200);
      assert.equal(new Set(runs.map(([, , key]) => key)).size, 200);
      t.diagnostic(`${client}: handler runs ${runs.length} on ${JSON.stringify(tally(runs.map(([name]) => name)))}`);
    });

    test('an instance SIGKILLed mid-handler: after the lease, a retry on another instance runs it', async (t) => {
      const [a, b] = instances;
      const copy = delivery({ hang_on: 'a' });
      const postedAt = Date.now(); // a claimed it after this, so its lease ends after postedAt + lease
      const first = post(a.url, copy);
      for (let i = 0; (await runsOf(copy.key, 'start')).length === 0; i++) {
        assert.ok(i < 100, 'instance a never started the handler');
        await sleep(50);
      }
      const killedAt = Date.now();
      await a.kill('SIGKILL');
      assert.equal((await first).status, 'no answer');
      // Elenik's retry: 409 while the dead instance's lease holds, then the handler runs on b.
      const seen = await retry(b.url, copy, ['409 DELIVERY_IN_PROGRESS'], (LEASE_SECONDS + 5) * 1000);
      t.diagnostic(`${client}: retries after the kill ${JSON.stringify(tally(seen))}, after ${Date.now() - killedAt} ms`);
      assert.equal(seen.at(-1), '200 event');
      assert.ok(seen[0] === '409 DELIVERY_IN_PROGRESS', 'the lease held right after the crash');
      assert.ok(Date.now() - postedAt >= LEASE_SECONDS * 1000 - 20, 'not run again before the lease ran out');
      assert.deepEqual((await runsOf(copy.key)).map(([name]) => name), ['b']);
      assert.equal(outcome(await post(instances[2].url, copy)), '200 duplicate');
    });

    test('Redis down → 503 STORE_UNAVAILABLE and no handler run; Redis back → the retry succeeds', async (t) => {
      const [, b, c] = instances;
      const copy = delivery({});
      await redis.stop();
      const down = await Promise.all([post(b.url, copy), post(c.url, copy)]);
      assert.deepEqual(down.map(outcome), ['503 STORE_UNAVAILABLE', '503 STORE_UNAVAILABLE']);
      assert.equal((await runsOf(copy.key, 'start')).length, 0, 'no handler ran unguarded');
      await redis.start();
      const seen = await retry(c.url, copy, ['503 STORE_UNAVAILABLE'], 15_000);
      t.diagnostic(`${client}: while down ${JSON.stringify(tally(down.map(outcome)))}; after restart ${JSON.stringify(tally(seen))}`);
      assert.equal(seen.at(-1), '200 event');
      assert.equal((await runsOf(copy.key)).length, 1);
      // b reconnects by itself too, and finds it done.
      assert.deepEqual((await retry(b.url, copy, '503 STORE_UNAVAILABLE', 15_000)).at(-1), '200 duplicate');
    });
  });
}
