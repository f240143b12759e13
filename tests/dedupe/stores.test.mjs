// The store contract (contract.mjs) against every store the package ships, each on its real
// engine: memoryStore, redisStore on a real redis-server through node-redis 5, node-redis 4 and
// ioredis, durableObjectStore inside workerd (wrangler dev), denoKvStore inside Deno.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { cp, writeFile } from 'node:fs/promises';
import { deliver, runtimeBin, signature, startServer } from '../../examples/harness.mjs';
import { fakeClock, realClock, storeContract } from './contract.mjs';
import { clients, consumer, pkg, remoteStore } from './package.mjs';
import { postgresStore, SCHEMA } from './postgres-store.mjs';
import { startRedis } from './redis-server.mjs';

const { redisStore } = pkg;

describe('memoryStore', () => {
  storeContract(async () => {
    const clock = fakeClock();
    return { store: pkg.memoryStore({ now: clock.now }), advance: clock.advance };
  });
});

describe("the README's Postgres store (PGlite)", () => {
  let db;
  after(() => db?.close());
  storeContract(async () => {
    const { PGlite } = await import('@electric-sql/pglite');
    db = new PGlite();
    await db.exec(SCHEMA);
    return { store: postgresStore(db), ...realClock };
  });
});

describe('redisStore on a real redis-server', { timeout: 60_000 }, () => {
  let redis;
  before(async () => {
    redis = await startRedis();
  });
  after(() => redis?.kill());

  for (const [name, connect] of Object.entries(clients)) {
    describe(name, () => {
      let connection;
      after(() => connection?.close());
      const fixture = storeContract(async () => {
        connection = await connect(redis.url);
        return { store: redisStore(connection.client), ...realClock, client: connection.client };
      });
      describe('claiming with the Lua script (as on Redis before 7.0)', () => {
        storeContract(async () => ({ store: redisStore(fixture().client, { claimWithScript: true }), ...realClock }));
      });

      test('one key per delivery, under the prefix, holding the token then the done marker with a PX', async () => {
        const { client } = fixture();
        const store = redisStore(client, { prefix: `p-${name}:` });
        const token = randomUUID();
        assert.equal(await store.claim('k', token, 60), 'claimed');
        assert.equal(await store.claim('k', randomUUID(), 60), 'processing');
        const get = (...args) => (client.call ? client.call(...args) : client.sendCommand(args));
        assert.equal(await get('GET', `p-${name}:k`), token);
        const lease = Number(await get('PTTL', `p-${name}:k`));
        assert.ok(lease > 59_000 && lease <= 60_000, `lease PTTL ${lease}`);
        assert.equal(await store.complete('k', token, 3600), true);
        assert.equal(await get('GET', `p-${name}:k`), '!done');
        const ttl = Number(await get('PTTL', `p-${name}:k`));
        assert.ok(ttl > 3_599_000 && ttl <= 3_600_000, `done PTTL ${ttl}`);
      });

      test('the Lua scripts are loaded again after SCRIPT FLUSH (as after a Redis restart)', async () => {
        const { client } = fixture();
        const store = redisStore(client);
        const flush = () => (client.call ? client.call('SCRIPT', 'FLUSH') : client.sendCommand(['SCRIPT', 'FLUSH']));
        const key = randomUUID();
        const token = randomUUID();
        assert.equal(await store.claim(key, token, 60), 'claimed');
        assert.equal(await flush(), 'OK');
        assert.equal(await store.complete(key, token, 60), true);
        assert.equal(await flush(), 'OK');
        assert.equal(await store.claim(key, randomUUID(), 60), 'done');
      });
    });
  }

  test("ioredis: the commands sent in one turn of the event loop leave in one socket write, as node-redis 5 sends its own", async () => {
    const { client, close } = await clients.ioredis(redis.url);
    try {
      const store = redisStore(client, { prefix: 'cork:' });
      const socket = client.stream;
      let writes = 0;
      for (const name of ['_write', '_writev']) {
        const original = socket[name];
        socket[name] = function (...args) {
          writes += 1;
          return original.apply(this, args);
        };
      }
      const keys = Array.from({ length: 50 }, () => randomUUID());
      const claims = await Promise.all(keys.map((key) => store.claim(key, 'token', 60)));
      assert.deepEqual(new Set(claims), new Set(['claimed']));
      assert.equal(writes, 1, `50 claims sent in one turn went out in ${writes} writes`);
      const completes = await Promise.all(keys.map((key) => store.complete(key, 'token', 60)));
      assert.ok(completes.every((done) => done === true));
      assert.ok(writes <= 3, `50 completes (EVALSHA, then EVAL once if the script was not cached) took ${writes - 1} more writes`);
      // The socket is left uncorked: a command of the user's own goes out by itself.
      assert.equal(socket.writableCorked, 0);
      assert.equal(await client.call('GET', `cork:${keys[0]}`), '!done');
    } finally {
      await close();
    }
  });

  test('a server that refuses SET NX GET (Redis before 7.0): the store claims with the script from then on', async () => {
    const { client, close } = await clients['node-redis 5'](redis.url);
    let refused = 0;
    // Answers as Redis 6.2 does to NX with GET, and passes everything else to the real server.
    const redis62 = {
      sendCommand(args) {
        if (args[0] === 'SET' && args.includes('GET')) {
          refused += 1;
          return Promise.reject(new Error('ERR syntax error'));
        }
        return client.sendCommand(args);
      },
    };
    try {
      const store = redisStore(redis62);
      const [key, token] = [randomUUID(), randomUUID()];
      assert.equal(await store.claim(key, token, 60), 'claimed');
      assert.equal(await store.claim(key, randomUUID(), 60), 'processing');
      assert.equal(await store.complete(key, token, 60), true);
      assert.equal(await store.claim(key, randomUUID(), 60), 'done');
      assert.equal(refused, 1, 'asked once, then the script');
    } finally {
      await close();
    }
  });

  test('refuses what is not a Redis client, and bad leases, with clear errors', async () => {
    assert.throws(() => redisStore({}), /^TypeError: redisStore: takes a connected Redis client, node-redis .* or ioredis/);
    assert.throws(() => redisStore(undefined), TypeError);
    const { client, close } = await clients['node-redis 5'](redis.url);
    try {
      await assert.rejects(redisStore(client).claim('k', randomUUID(), 0), RangeError);
      await assert.rejects(redisStore(client).claim('', randomUUID(), 1), TypeError);
    } finally {
      await close();
    }
  });

  test('a client that queues commands while Redis is down: the store rejects after timeoutMs', async () => {
    const { createClient } = (await import('redis')).default ?? (await import('redis'));
    // The default node-redis client waits for the server in its offline queue.
    const client = createClient({ url: redis.url, socket: { reconnectStrategy: () => 50 } });
    client.on('error', () => {});
    await client.connect();
    try {
      await redis.stop();
      // Once the client has seen the socket close, it queues commands until it reconnects.
      for (let i = 0; client.isReady; i++) {
        assert.ok(i < 100, 'the client never noticed Redis stopped');
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
      const started = Date.now();
      await assert.rejects(redisStore(client, { timeoutMs: 300 }).claim(randomUUID(), randomUUID(), 60), /no answer from Redis in 300 ms/);
      assert.ok(Date.now() - started < 5_000);
    } finally {
      await redis.start();
      await client.disconnect().catch(() => {});
    }
  });
});

describe('durableObjectStore inside workerd (wrangler dev)', { timeout: 120_000 }, () => {
  let server;
  after(() => server?.stop());
  const clock = fakeClock();
  const secret = `whsec_${randomUUID()}`;
  storeContract(async () => {
    await cp(new URL('./worker/', import.meta.url), `${consumer}/worker`, { recursive: true });
    await writeFile(`${consumer}/worker/.dev.vars`, `ELENIK_WEBHOOK_SECRET=${secret}\n`);
    server = await startServer({
      command: runtimeBin('wrangler'),
      args: ['dev', '--ip', '127.0.0.1', '--port', '0', '--inspector-port', '0', '--log-level', 'log'],
      cwd: `${consumer}/worker`,
      env: { WRANGLER_SEND_METRICS: 'false', CLOUDFLARE_CF_FETCH_ENABLED: 'false', WRANGLER_HIDE_BANNER: 'true', CI: '1' },
      timeoutMs: 90_000,
    });
    return { store: remoteStore(new URL('/store', server.url).href, clock), advance: clock.advance };
  });

  test("each object's alarm deletes its record once the lease or the TTL has run out", async () => {
    const peek = async (body) => (await fetch(new URL('/peek', server.url), { method: 'POST', body: JSON.stringify(body) })).json();
    const [lapsed, done] = [randomUUID(), randomUUID()];
    assert.equal((await peek({ op: 'claim', key: lapsed, token: 't1', seconds: 1 })).result, 'claimed');
    assert.equal((await peek({ op: 'claim', key: done, token: 't2', seconds: 30 })).result, 'claimed');
    assert.equal((await peek({ op: 'complete', key: done, token: 't2', seconds: 1.5 })).result, true);
    const before = await peek({ key: lapsed });
    assert.equal(before.record.token, 't1');
    assert.equal(before.alarm, before.record.until);
    assert.equal((await peek({ key: done })).record.done, true);
    for (let waited = 0; ; waited += 250) {
      const records = [(await peek({ key: lapsed })).record, (await peek({ key: done })).record];
      if (records.every((r) => r === null)) break;
      assert.ok(waited < 10_000, `records still there after 10 s: ${JSON.stringify(records)}`);
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
    assert.equal((await peek({ key: lapsed })).alarm, null);
    assert.equal((await peek({ op: 'claim', key: done, token: 't3', seconds: 30 })).result, 'claimed');
  });

  test('the receiver on workerd, guarded by it: 30 concurrent copies of one delivery → 1 handler run', async (t) => {
    const body = JSON.stringify({ event: 'test_delivery', data: { id: randomUUID(), delay_ms: 1000 } });
    const headers = { 'content-type': 'application/json', 'x-elenik-signature': signature(body, secret) };
    const send = () => deliver(server.url, { body, headers });
    const results = await Promise.all(Array.from({ length: 30 }, send));
    const outcomes = results.map(({ status, reply }) => `${status} ${reply.duplicate ? 'duplicate' : reply.event ? 'event' : reply.error}`);
    const tally = {};
    for (const o of outcomes) tally[o] = (tally[o] ?? 0) + 1;
    t.diagnostic(`workerd: 30 copies sent, statuses ${JSON.stringify(tally)}`);
    assert.equal(tally['200 event'], 1, JSON.stringify(tally));
    assert.ok(outcomes.every((o) => ['200 event', '200 duplicate', '409 DELIVERY_IN_PROGRESS'].includes(o)), JSON.stringify(tally));
    assert.equal(outcomes.filter((o) => o === '409 DELIVERY_IN_PROGRESS').length > 0, true, 'copies arrived while it ran');
    const again = await send();
    assert.deepEqual(again.reply, { received: true, duplicate: true });
    const runs = await (await fetch(new URL('/runs', server.url))).json();
    t.diagnostic(`workerd: handler runs ${runs[pkg.deliveryKey(body)]}`);
    assert.equal(runs[pkg.deliveryKey(body)], 1);
    assert.equal(Object.keys(runs).length, 1, 'no other delivery ran');
  });
});

describe('denoKvStore inside Deno (Deno.openKv(":memory:"), --unstable-kv, type-checked)', { timeout: 60_000 }, () => {
  let server;
  after(() => server?.stop());
  const clock = fakeClock();
  storeContract(async () => {
    await cp(new URL('./deno-kv-server.ts', import.meta.url), `${consumer}/deno-kv-server.ts`);
    server = await startServer({
      command: runtimeBin('deno'),
      args: ['run', '--check', '--unstable-kv', '--allow-net=127.0.0.1', 'deno-kv-server.ts'],
      cwd: consumer,
      env: { DENO_NO_UPDATE_CHECK: '1', NO_COLOR: '1' },
    });
    return { store: remoteStore(new URL('/', server.url).href, clock), advance: clock.advance };
  });
});
