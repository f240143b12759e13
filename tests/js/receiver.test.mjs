// createReceiver and memoryStore from the packed tarball: receive() in the order the contract
// gives (verify, key, claim, handlers, complete / release), the answers, and both adapters.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash, createHmac } from 'node:crypto';
import { createServer, request as httpRequest } from 'node:http';
import { once } from 'node:events';
import { createReceiver, memoryStore, deliveryKey, Verifier, WebhookVerificationError } from 'elenik-webhooks';

const secret = 'whsec_receiver_test';
const sig = (body, key = secret) => `sha256=${createHmac('sha256', key).update(body).digest('hex')}`;
const headersFor = (body, key) => ({ 'x-elenik-signature': sig(body, key) });
const payment = JSON.stringify({ event: 'payment_verified', data: { user_id: 'u_1', amount: 49.99, currency: 'USD' } });
const task = JSON.stringify({ event: 'task_complete', data: { task_id: 't_1', status: 'completed', created_at: 1 } });
const silent = { warn() {}, error() {} };

/** A logger that records what it was given. */
function recorder() {
  const lines = [];
  return { lines, warn: (...args) => lines.push(['warn', ...args]), error: (...args) => lines.push(['error', ...args]) };
}

/** A store that records every call and delegates to a memory store (or to `override`). */
function spyStore(override = {}) {
  const inner = memoryStore();
  const calls = [];
  const wrap = (name) => async (...args) => {
    calls.push([name, ...args]);
    return override[name] ? override[name](...args) : inner[name](...args);
  };
  return { calls, claim: wrap('claim'), complete: wrap('complete'), release: wrap('release') };
}

describe('receive', () => {
  test('a verified event runs its typed handlers in order, then onAny, and answers 200', async () => {
    const seen = [];
    const receiver = createReceiver({ secret, logger: silent })
      .on('payment_verified', async (event, context) => {
        await new Promise((r) => setTimeout(r, 5));
        seen.push(['first', event.data.amount, context.deliveryKey]);
      })
      .on(['payment_verified', 'task_complete'], (event) => seen.push(['second', event.event]))
      .on('task_complete', () => seen.push(['task only']))
      .onAny((event) => seen.push(['any', event.event]));
    const result = await receiver.receive(payment, headersFor(payment));
    assert.equal(result.status, 200);
    assert.deepEqual(result.body, { received: true, event: 'payment_verified' });
    assert.deepEqual(result.event, JSON.parse(payment));
    assert.equal(result.duplicate, undefined);
    const key = createHash('sha256').update(payment).digest('hex');
    assert.deepEqual(seen, [['first', 49.99, key], ['second', 'payment_verified'], ['any', 'payment_verified']]);
  });

  test('no handler for the type: still 200 with the type', async () => {
    const body = JSON.stringify({ event: 'invoice_created', data: { id: 1 } });
    const result = await createReceiver({ secret }).receive(body, headersFor(body));
    assert.deepEqual([result.status, result.body], [200, { received: true, event: 'invoice_created' }]);
  });

  test('verification and event errors answer error.status with code and message; nothing runs', async () => {
    const store = spyStore();
    let runs = 0;
    const receiver = createReceiver({ secret, dedupe: store }).onAny(() => runs++);
    const bad = JSON.stringify({ event: 'payment_verified', data: { user_id: 'u', amount: '1', currency: 'USD' } });
    const cases = [
      [payment, {}, 401, 'MISSING_SIGNATURE'],
      [payment.replace('49.99', '0.01'), headersFor(payment), 401, 'SIGNATURE_MISMATCH'],
      [payment, headersFor(payment, 'forged'), 401, 'SIGNATURE_MISMATCH'],
      [payment, { 'x-elenik-signature': 'sha256=zz' }, 401, 'MALFORMED_SIGNATURE'],
      ['{"event":', headersFor('{"event":'), 400, 'INVALID_JSON'],
      [bad, headersFor(bad), 400, 'INVALID_EVENT'],
      [{ event: 'x' }, headersFor(payment), 500, 'INVALID_PAYLOAD'],
    ];
    for (const [body, headers, status, code] of cases) {
      const result = await receiver.receive(body, headers);
      assert.equal(result.status, status, code);
      assert.equal(result.body.error, code);
      assert.equal(typeof result.body.message, 'string');
      assert.equal(result.event, undefined);
    }
    assert.equal(runs, 0);
    assert.deepEqual(store.calls, [], 'an unsigned or forged request never touches the store');
  });

  test('maxBodyBytes: a larger payload is 413 before verification, strings counted in UTF-8 bytes', async () => {
    const receiver = createReceiver({ secret, maxBodyBytes: 100 });
    const padded = (n) => JSON.stringify({ event: 'user_signup', data: { user_id: 'u', pad: 'é'.repeat(n) } });
    const fits = padded(20); // 75 characters, 95 bytes
    const over = padded(25); // 80 characters, 105 bytes
    assert.equal((await receiver.receive(fits, headersFor(fits))).status, 200);
    const result = await receiver.receive(over, headersFor(over));
    assert.deepEqual([result.status, result.body.error], [413, 'PAYLOAD_TOO_LARGE']);
    const bytes = Buffer.from(over);
    assert.equal((await receiver.receive(bytes, headersFor(bytes))).status, 413);
  });

  test('the same delivery again: 200 duplicate, no handler, and onAny skipped', async () => {
    let runs = 0;
    const receiver = createReceiver({ secret }).on('payment_verified', () => runs++).onAny(() => runs++);
    await receiver.receive(payment, headersFor(payment));
    const again = await receiver.receive(Buffer.from(payment), headersFor(payment));
    assert.deepEqual(again, {
      status: 200,
      body: { received: true, duplicate: true },
      event: JSON.parse(payment),
      duplicate: true,
    });
    assert.equal(runs, 2);
  });

  test('a retry signed with a rotated secret is the same delivery', async () => {
    let runs = 0;
    const receiver = createReceiver({ secret: ['new-secret', secret] }).onAny(() => runs++);
    assert.equal((await receiver.receive(payment, headersFor(payment, secret))).status, 200);
    const retry = await receiver.receive(payment, headersFor(payment, 'new-secret'));
    assert.equal(retry.duplicate, true);
    assert.equal(runs, 1);
  });

  test('while a delivery is processing, a copy gets 409 DELIVERY_IN_PROGRESS', async () => {
    let finish;
    let runs = 0;
    const receiver = createReceiver({ secret }).onAny(() => {
      runs++;
      return new Promise((resolve) => (finish = resolve));
    });
    const first = receiver.receive(payment, headersFor(payment));
    await new Promise((r) => setTimeout(r, 10));
    const copy = await receiver.receive(payment, headersFor(payment));
    assert.equal(copy.status, 409);
    assert.equal(copy.body.error, 'DELIVERY_IN_PROGRESS');
    assert.equal(typeof copy.body.message, 'string');
    finish();
    assert.equal((await first).status, 200);
    assert.equal((await receiver.receive(payment, headersFor(payment))).duplicate, true);
    assert.equal(runs, 1);
  });

  test('a handler throws: onError, release, 500 HANDLER_FAILED without its text; the retry runs again', async () => {
    const store = spyStore();
    const errors = [];
    let fail = true;
    let runs = 0;
    const receiver = createReceiver({ secret, dedupe: store, logger: silent })
      .on('payment_verified', () => {
        runs++;
        if (fail) throw new Error('database password is hunter2');
      })
      .onAny(() => assert.fail('onAny must not run after a typed handler failed'))
      .onError((error, context) => errors.push([error.message, context.deliveryKey]));
    const result = await receiver.receive(payment, headersFor(payment));
    assert.deepEqual([result.status, result.body], [500, { error: 'HANDLER_FAILED' }]);
    assert.ok(!JSON.stringify(result.body).includes('hunter2'));
    assert.deepEqual(errors, [['database password is hunter2', deliveryKey(payment)]]);
    assert.deepEqual(store.calls.map(([name]) => name), ['claim', 'release']);
    const [, key, token, lease] = store.calls[0];
    assert.deepEqual(store.calls[1], ['release', key, token]);
    assert.equal(lease, 60);
    assert.match(token, /^[0-9a-f-]{36}$/);

    fail = false;
    const retry = await createReceiver({ secret, dedupe: store, logger: silent }).on('payment_verified', () => runs++).receive(payment, headersFor(payment));
    assert.equal(retry.status, 200);
    assert.equal(runs, 2);
    assert.deepEqual(store.calls.slice(2).map(([name]) => name), ['claim', 'complete']);
    assert.equal(store.calls.at(-1)[3], 604800);
  });

  test('without onError a handler failure is logged once; a failing onError is logged too', async () => {
    const logger = recorder();
    await createReceiver({ secret, logger }).onAny(() => { throw new Error('boom'); }).receive(payment, headersFor(payment));
    assert.equal(logger.lines.length, 1);
    assert.equal(logger.lines[0][0], 'error');
    const logger2 = recorder();
    const result = await createReceiver({ secret, logger: logger2 })
      .onAny(() => { throw new Error('boom'); })
      .onError(() => { throw new Error('worse'); })
      .receive(payment, headersFor(payment));
    assert.equal(result.status, 500);
    assert.equal(logger2.lines.length, 1);
  });

  test('claim fails: 503 STORE_UNAVAILABLE, no handler; complete fails: still 200, logged once', async () => {
    let runs = 0;
    const down = spyStore({ claim: async () => { throw new Error('ECONNREFUSED'); } });
    const logger = recorder();
    const receiver = createReceiver({ secret, dedupe: down, logger }).onAny(() => runs++);
    const result = await receiver.receive(payment, headersFor(payment));
    assert.deepEqual([result.status, result.body.error], [503, 'STORE_UNAVAILABLE']);
    assert.equal(runs, 0);
    const weird = createReceiver({ secret, dedupe: spyStore({ claim: async () => 'ok' }), logger: silent }).onAny(() => runs++);
    assert.equal((await weird.receive(payment, headersFor(payment))).status, 503);
    assert.equal(runs, 0);

    for (const complete of [async () => { throw new Error('gone'); }, async () => false]) {
      const log = recorder();
      const r = createReceiver({ secret, dedupe: spyStore({ complete }), logger: log }).onAny(() => runs++);
      const answer = await r.receive(payment, headersFor(payment));
      assert.deepEqual(answer.body, { received: true, event: 'payment_verified' });
      assert.deepEqual(log.lines.map(([level]) => level), ['warn']);
    }
    assert.equal(runs, 2);
  });

  test('release fails after a handler error: still 500, logged', async () => {
    const logger = recorder();
    const store = spyStore({ release: async () => { throw new Error('gone'); } });
    const result = await createReceiver({ secret, dedupe: store, logger }).onAny(() => { throw new Error('x'); }).onError(() => {}).receive(payment, headersFor(payment));
    assert.equal(result.status, 500);
    assert.deepEqual(logger.lines.map(([level]) => level), ['warn']);
  });

  test('dedupe options: key, leaseSeconds, ttlSeconds; dedupe false never calls a store', async () => {
    const store = spyStore();
    const contexts = [];
    const receiver = createReceiver({
      secret,
      dedupe: { store, key: async (event, body) => `${event.event}:${typeof body}`, leaseSeconds: 5, ttlSeconds: 9 },
    }).onAny((event, context) => contexts.push(context.deliveryKey));
    await receiver.receive(payment, headersFor(payment));
    assert.deepEqual(contexts, ['payment_verified:string']);
    assert.equal(store.calls[0][3], 5);
    assert.equal(store.calls[1][3], 9);

    let runs = 0;
    const off = createReceiver({ secret, dedupe: false }).onAny((event, context) => {
      runs++;
      assert.equal(context.deliveryKey, deliveryKey(payment));
    });
    await off.receive(payment, headersFor(payment));
    const again = await off.receive(payment, headersFor(payment));
    assert.equal(again.status, 200);
    assert.equal(again.duplicate, undefined);
    assert.equal(runs, 2);
  });

  test('bad options fail at creation', () => {
    assert.throws(() => createReceiver({}), (e) => e instanceof WebhookVerificationError && e.code === 'INVALID_SECRET');
    assert.throws(() => createReceiver({ secret, maxBodyBytes: -1 }), RangeError);
    assert.throws(() => createReceiver({ secret, dedupe: { leaseSeconds: 0 } }), RangeError);
    assert.throws(() => createReceiver({ secret, dedupe: { store: {} } }), TypeError);
    assert.throws(() => createReceiver({ secret, dedupe: 'redis' }), TypeError);
    const receiver = createReceiver({ secret });
    assert.throws(() => receiver.on('payment_verified'), TypeError);
    assert.throws(() => receiver.on([], () => {}), TypeError);
    assert.throws(() => receiver.onAny(null), TypeError);
    assert.throws(() => memoryStore({ maxEntries: 0 }), RangeError);
    // A Verifier is used as it is.
    const verifier = new Verifier(secret);
    assert.doesNotThrow(() => createReceiver({ secret: verifier }));
  });
});

describe('memoryStore', () => {
  test('claim, processing, complete, done; release frees at once; only the holder acts', async () => {
    let clock = 1_000_000;
    const store = memoryStore({ now: () => clock });
    assert.equal(await store.claim('k', 'a', 60), 'claimed');
    assert.equal(await store.claim('k', 'b', 60), 'processing');
    assert.equal(await store.complete('k', 'b', 100), false);
    assert.equal(await store.release('k', 'b'), false);
    assert.equal(await store.release('k', 'a'), true);
    assert.equal(await store.claim('k', 'b', 60), 'claimed');
    assert.equal(await store.complete('k', 'b', 100), true);
    assert.equal(await store.complete('k', 'b', 100), false);
    assert.equal(await store.release('k', 'b'), false);
    assert.equal(await store.claim('k', 'c', 60), 'done');
    clock += 99_999;
    assert.equal(await store.claim('k', 'c', 60), 'done');
    clock += 1;
    assert.equal(await store.claim('k', 'c', 60), 'claimed', 'done expires after its TTL');
  });

  test('an expired lease can be claimed again, and its old holder can no longer complete', async () => {
    let clock = 0;
    const store = memoryStore({ now: () => clock });
    assert.equal(await store.claim('k', 'a', 60), 'claimed');
    clock += 59_999;
    assert.equal(await store.claim('k', 'b', 60), 'processing');
    clock += 1;
    assert.equal(await store.complete('k', 'a', 100), false);
    assert.equal(await store.claim('k', 'b', 60), 'claimed');
    assert.equal(await store.complete('k', 'a', 100), false);
    assert.equal(await store.complete('k', 'b', 100), true);
  });

  test('past maxEntries the oldest done marker goes first, never a live claim; full of live claims, claim throws STORE_FULL', async () => {
    const full = (error) => error.code === 'STORE_FULL';
    const store = memoryStore({ maxEntries: 3 });
    for (const key of ['a', 'b', 'c']) await store.claim(key, key, 60);
    await store.complete('a', 'a', 100); // a: a done marker; b and c: handlers still running
    assert.equal(await store.claim('d', 'd', 60), 'claimed'); // drops a, the only done marker
    assert.equal(store.size, 3);
    assert.equal(await store.claim('b', 'x', 60), 'processing', 'a live claim is never dropped');
    assert.equal(await store.claim('c', 'x', 60), 'processing');
    await assert.rejects(store.claim('a', 'x', 60), full, 'b, c and d are all live claims');
    await store.complete('b', 'b', 100);
    await store.complete('c', 'c', 100); // done markers, c the newer
    assert.equal(await store.claim('a', 'x', 60), 'claimed', 'drops b, the oldest done marker');
    assert.equal(await store.claim('b', 'y', 60), 'claimed', 'drops c');
    await assert.rejects(store.claim('c', 'z', 60), full, 'd, a and b are live claims');
    assert.equal(store.size, 3);
  });
});

describe('adapters', () => {
  const receiver = createReceiver({ secret, logger: silent }).on('task_complete', () => {});
  const post = (body, headers = headersFor(body)) =>
    new Request('http://127.0.0.1/webhooks/elenik', { method: 'POST', body, headers });

  test('fetch, passed unbound: 200, duplicate, 401, 405 with Allow, 413 by content-length', async () => {
    const { fetch: handle } = receiver;
    const reply = async (request) => {
      const response = await handle(request);
      assert.equal(response.headers.get('content-type'), 'application/json');
      return [response.status, await response.json(), response.headers.get('allow')];
    };
    assert.deepEqual(await reply(post(task)), [200, { received: true, event: 'task_complete' }, null]);
    assert.deepEqual(await reply(post(task)), [200, { received: true, duplicate: true }, null]);
    assert.deepEqual((await reply(post(task, {})))[1].error, 'MISSING_SIGNATURE');
    const [status, body, allow] = await reply(new Request('http://127.0.0.1/', { method: 'GET' }));
    assert.deepEqual([status, body.error, allow], [405, 'METHOD_NOT_ALLOWED', 'POST']);
    const small = createReceiver({ secret, maxBodyBytes: 10 });
    const response = await small.fetch(post(task));
    assert.deepEqual([response.status, (await response.json()).error], [413, 'PAYLOAD_TOO_LARGE']);
    const used = post(task);
    await used.text();
    const consumed = await receiver.fetch(used);
    assert.deepEqual([consumed.status, (await consumed.json()).error], [500, 'INVALID_PAYLOAD']);
  });

  test('node, passed unbound to http.createServer: reads the stream; caps it; 405', async () => {
    let runs = 0;
    const { node } = createReceiver({ secret, maxBodyBytes: 64 * 1024, logger: silent }).onAny(() => runs++);
    const server = createServer(node).listen(0, '127.0.0.1');
    await once(server, 'listening');
    const url = `http://127.0.0.1:${server.address().port}/`;
    try {
      const send = async (body, headers = headersFor(body), method = 'POST') => {
        const response = await fetch(url, { method, body, headers, duplex: 'half' });
        return [response.status, await response.json(), response.headers.get('allow')];
      };
      assert.deepEqual(await send(payment), [200, { received: true, event: 'payment_verified' }, null]);
      assert.deepEqual(await send(payment), [200, { received: true, duplicate: true }, null]);
      assert.equal((await send(payment, {}))[1].error, 'MISSING_SIGNATURE');
      assert.deepEqual((await send(undefined, {}, 'GET')).filter((_, i) => i !== 1), [405, 'POST']);
      const big = JSON.stringify({ event: 'user_signup', data: { user_id: 'u', pad: 'x'.repeat(100 * 1024) } });
      assert.deepEqual((await send(big)).slice(0, 2), [413, { error: 'PAYLOAD_TOO_LARGE', message: (await send(big))[1].message }]);
      // Chunked, no content-length: counted while reading, refused past the cap without reading it all.
      let pulled = 0;
      const stream = new ReadableStream({
        pull(controller) {
          if (pulled >= 10 * 1024 * 1024) return controller.close();
          pulled += 16 * 1024;
          controller.enqueue(new Uint8Array(16 * 1024).fill(32));
        },
      });
      const [status, reply] = await send(stream, headersFor(big)).catch((error) => [error.cause?.code ?? error.message]);
      if (status !== 413) assert.match(String(status), /ECONNRESET|EPIPE|other side closed/);
      else assert.equal(reply.error, 'PAYLOAD_TOO_LARGE');
      assert.ok(pulled < 10 * 1024 * 1024, `read ${pulled} bytes of a 10 MiB body`);
      assert.equal(runs, 1);
    } finally {
      server.close();
      server.closeAllConnections();
    }
  });

  test('node: req.rawBody and req.body bytes are used; a parsed body is a clear 500 that never hangs', async () => {
    const calls = [];
    const fakeRes = () => {
      const res = { headersSent: false };
      res.writeHead = (status, headers) => calls.push({ status, headers });
      res.end = (text) => (calls.at(-1).body = JSON.parse(text));
      return res;
    };
    const base = { method: 'POST', headers: headersFor(task), readableEnded: true, on() {}, off() {}, pause() {} };
    const { node } = createReceiver({ secret, dedupe: false });
    await node({ ...base, rawBody: Buffer.from(task) }, fakeRes());
    await node({ ...base, body: new TextEncoder().encode(task) }, fakeRes());
    await node({ ...base, rawBody: task, body: JSON.parse(task) }, fakeRes());
    await node({ ...base, body: JSON.parse(task), _body: true }, fakeRes());
    await node({ ...base, body: task }, fakeRes());
    await node({ ...base }, fakeRes());
    assert.deepEqual(calls.map((c) => c.status), [200, 200, 200, 500, 500, 500]);
    assert.match(calls[3].body.message, /express\.raw/);
    assert.equal(calls[3].body.error, 'INVALID_PAYLOAD');
    assert.equal(calls[5].body.error, 'INVALID_PAYLOAD');
    assert.match(calls[5].body.message, /already read/);
  });
});

describe('secret as a function', () => {
  test('read on the first request, once; until it gives a secret, 500 INVALID_SECRET', async () => {
    let calls = 0;
    let value;
    const receiver = createReceiver({ secret: () => (calls++, value), logger: silent });
    const missing = await receiver.receive(payment, headersFor(payment));
    assert.deepEqual([missing.status, missing.body.error], [500, 'INVALID_SECRET']);
    value = secret;
    assert.equal((await receiver.receive(payment, headersFor(payment))).status, 200);
    assert.equal((await receiver.receive(task, headersFor(task))).status, 200);
    assert.equal(calls, 2, 'called until it worked, then never again');
    const response = await createReceiver({ secret: () => undefined }).fetch(new Request('http://127.0.0.1/', { method: 'POST', body: task, headers: headersFor(task) }));
    assert.equal(response.status, 500);
  });
});
