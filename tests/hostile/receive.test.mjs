// receive(), receiver.fetch and verifyRequest in-process, where the hostile input is something no
// HTTP server would hand over: headers objects that throw, Requests whose content-length lies,
// answers a caller mutates. Also the items of issue 17 one by one, on the packed package.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createReceiver, memoryStore, sign, Verifier, verifyRequest } from 'elenik-webhooks';

const secret = 'whsec_receive_hostile';
let serial = 0;
const delivery = () => {
  const body = JSON.stringify({ event: 'user_signup', data: { user_id: `u_${++serial}` } });
  return { body, headers: { 'x-elenik-signature': sign(body, secret) } };
};
const thrower = () => {
  throw new Error('boom');
};
const settle = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

test('item 3: a logger that throws while a handler failure is reported: 500, the claim released, the retry runs', async () => {
  let runs = 0;
  const receiver = createReceiver({ secret, logger: { error: thrower, warn: thrower } }).on('user_signup', () => {
    runs += 1;
    if (runs === 1) throw new Error('first run fails');
  });
  const d = delivery();
  assert.deepEqual((await receiver.receive(d.body, d.headers)).body, { error: 'HANDLER_FAILED' });
  const retry = await receiver.receive(d.body, d.headers);
  assert.deepEqual([retry.status, retry.body], [200, { received: true, event: 'user_signup' }]);
  assert.equal(runs, 2);
});

test('item 9: the secret: freed Verifier, throwing function, async function, throwing headers', async () => {
  const d = delivery();
  const verifier = new Verifier(secret);
  const freedReceiver = createReceiver({ secret: verifier, logger: false });
  verifier.free();
  assert.deepEqual(await freedReceiver.receive(d.body, d.headers), {
    status: 500,
    body: { error: 'INVALID_SECRET', message: 'invalid secret: the Verifier given as secret has been freed' },
  });
  const logged = [];
  const throwing = createReceiver({ secret: () => thrower(), logger: { error: (...args) => logged.push(args), warn() {} } });
  const answer = await throwing.receive(d.body, d.headers);
  assert.deepEqual(answer.body, { error: 'INVALID_SECRET', message: 'invalid secret: the secret function threw' });
  assert.equal(logged[0][1].message, 'boom', 'the cause is logged on the server');

  let calls = 0;
  const asyncSecret = createReceiver({
    secret: async () => {
      calls += 1;
      await settle(5);
      return secret;
    },
    logger: false,
  });
  const answers = await Promise.all([1, 2, 3].map(() => delivery()).map((x) => asyncSecret.receive(x.body, x.headers)));
  assert.deepEqual(answers.map((a) => a.status), [200, 200, 200]);
  await asyncSecret.receive(d.body, d.headers);
  assert.equal(calls, 1, 'an async secret function is awaited once, and its Verifier kept');

  // A rejecting one is called again on the next request, until it gives a secret.
  let attempts = 0;
  const flaky = createReceiver({ secret: async () => (++attempts === 1 ? Promise.reject(new Error(secret)) : secret), logger: false });
  const rejected = await flaky.receive(d.body, d.headers);
  assert.deepEqual(rejected.body, { error: 'INVALID_SECRET', message: "invalid secret: the secret function's Promise rejected" });
  assert.equal(JSON.stringify(rejected).includes(secret), false, 'the cause never reaches the answer');
  assert.equal((await flaky.receive(d.body, d.headers)).status, 200);

  const hostileHeaders = [
    new Proxy({}, { get: thrower, ownKeys: thrower, getOwnPropertyDescriptor: thrower, has: thrower }),
    { get: thrower },
    Object.defineProperty({}, 'x-elenik-signature', { get: thrower, enumerable: true }),
    (() => {
      const revocable = Proxy.revocable({}, {});
      revocable.revoke();
      return revocable.proxy;
    })(),
  ];
  for (const headers of hostileHeaders) {
    const answer = await createReceiver({ secret, logger: false }).receive(d.body, headers);
    assert.equal(answer.status, 401);
    assert.equal(answer.body.error, 'MISSING_SIGNATURE');
  }
});

test('every store method and dedupe.key may throw, hang or answer junk: receive() resolves by the table', async () => {
  const store = (overrides) => ({ claim: async () => 'claimed', complete: async () => true, release: async () => true, ...overrides });
  const never = () => new Promise(() => {});
  const cases = [
    [{ dedupe: store({ claim: thrower }) }, 503, 'STORE_UNAVAILABLE', 0],
    [{ dedupe: store({ claim: never }), storeTimeoutMs: 50 }, 503, 'STORE_UNAVAILABLE', 0],
    [{ dedupe: store({ claim: () => 'CLAIMED' }) }, 503, 'STORE_UNAVAILABLE', 0],
    [{ dedupe: store({ claim: () => 10n }) }, 503, 'STORE_UNAVAILABLE', 0],
    [{ dedupe: store({ claim: () => ({ then: (resolve) => resolve({ toJSON: thrower }) }) }) }, 503, 'STORE_UNAVAILABLE', 0],
    [{ dedupe: store({ complete: never }), storeTimeoutMs: 50 }, 200, undefined, 1],
    [{ dedupe: store({ complete: () => 'yes' }) }, 200, undefined, 1],
    [{ dedupe: { key: thrower } }, 500, 'DEDUPE_KEY_FAILED', 0],
    [{ dedupe: { key: never }, storeTimeoutMs: 50 }, 500, 'DEDUPE_KEY_FAILED', 0],
    [{ dedupe: { key: () => Symbol('k') } }, 500, 'DEDUPE_KEY_FAILED', 0],
  ];
  for (const [options, status, error, expectedRuns] of cases) {
    let runs = 0;
    const receiver = createReceiver({ secret, logger: false, ...options }).on('user_signup', () => void (runs += 1));
    const d = delivery();
    const answer = await receiver.receive(d.body, d.headers);
    assert.equal(answer.status, status);
    assert.equal(answer.body.error, error);
    assert.equal(runs, expectedRuns);
  }

  // A claim that answers only after storeTimeoutMs, and did claim: the receiver frees it.
  const released = [];
  let late;
  const slow = createReceiver({
    secret,
    logger: false,
    storeTimeoutMs: 20,
    dedupe: store({ claim: () => new Promise((resolve) => (late = resolve)), release: async (key) => void released.push(key) }),
  });
  const d = delivery();
  assert.equal((await slow.receive(d.body, d.headers)).status, 503);
  late('claimed');
  await settle(10);
  assert.equal(released.length, 1, 'a claim granted after the deadline is released');
});

test('handlerTimeoutMs: 503 HANDLER_TIMEOUT, 409 while the handler runs, one run, then done', async () => {
  let finish;
  let runs = 0;
  const receiver = createReceiver({ secret, logger: false, handlerTimeoutMs: 30 }).on('user_signup', () => {
    runs += 1;
    return new Promise((resolve) => (finish = resolve));
  });
  const d = delivery();
  assert.deepEqual(await receiver.receive(d.body, d.headers).then((a) => [a.status, a.body.error]), [503, 'HANDLER_TIMEOUT']);
  assert.deepEqual(await receiver.receive(d.body, d.headers).then((a) => [a.status, a.body.error]), [409, 'DELIVERY_IN_PROGRESS']);
  finish();
  await settle(10);
  assert.deepEqual((await receiver.receive(d.body, d.headers)).body, { received: true, duplicate: true });
  assert.equal(runs, 1);

  // A late failure releases the claim: the next retry runs again.
  let fail;
  let failing = 0;
  const late = createReceiver({ secret, logger: false, handlerTimeoutMs: 30 }).on('user_signup', () => {
    failing += 1;
    if (failing === 1) return new Promise((resolve, reject) => (fail = reject));
  });
  const e = delivery();
  assert.equal((await late.receive(e.body, e.headers)).status, 503);
  fail(new Error('late failure'));
  await settle(10);
  assert.equal((await late.receive(e.body, e.headers)).status, 200);
  assert.equal(failing, 2);

  for (const bad of [0, -1, Number.NaN, Infinity, '10', 2 ** 31]) {
    assert.throws(() => createReceiver({ secret, handlerTimeoutMs: bad }), RangeError);
    assert.throws(() => createReceiver({ secret, storeTimeoutMs: bad }), RangeError);
  }
});

test('item 4: memoryStore never evicts a live claim; full of them, claim throws STORE_FULL (503)', async () => {
  const store = memoryStore({ maxEntries: 3 });
  assert.equal(await store.claim('a', 't', 60), 'claimed'); // a's handler still running
  for (const key of ['b', 'c', 'd', 'e']) {
    assert.equal(await store.claim(key, 't', 60), 'claimed');
    assert.equal(await store.complete(key, 't', 60), true);
  }
  assert.equal(await store.claim('a', 'other', 60), 'processing', 'a copy of a is refused while a runs');
  assert.equal(await store.claim('x', 't', 60), 'claimed');
  assert.equal(await store.claim('y', 't', 60), 'claimed'); // now a, x, y: all live claims
  await assert.rejects(store.claim('z', 't', 60), (error) => error.code === 'STORE_FULL');
  assert.equal(store.size, 3);

  // An expired claim makes room.
  let now = 0;
  const clocked = memoryStore({ maxEntries: 1, now: () => now });
  assert.equal(await clocked.claim('a', 't', 1), 'claimed');
  await assert.rejects(clocked.claim('b', 't', 1), (error) => error.code === 'STORE_FULL');
  now = 1000;
  assert.equal(await clocked.claim('b', 't', 1), 'claimed');

  // Through the receiver: 503 STORE_UNAVAILABLE, never a second run.
  const hold = [];
  let runs = 0;
  const receiver = createReceiver({ secret, logger: false, dedupe: memoryStore({ maxEntries: 1 }) }).on('user_signup', () => {
    runs += 1;
    return new Promise((resolve) => hold.push(resolve));
  });
  const [a, b] = [delivery(), delivery()];
  const first = receiver.receive(a.body, a.headers);
  await settle(5);
  assert.deepEqual((await receiver.receive(b.body, b.headers)).body, {
    error: 'STORE_UNAVAILABLE',
    message: 'the duplicate guard is unavailable; retry later',
  });
  assert.equal((await receiver.receive(a.body, a.headers)).status, 409);
  hold[0]();
  assert.equal((await first).status, 200);
  assert.equal(runs, 1);
});

/** A body stream of `total` bytes in `chunk`-byte chunks, counting what was pulled. */
function lyingRequest(url, total, chunk = 64 * 1024) {
  const counter = { pulled: 0 };
  const d = delivery();
  const body = new ReadableStream({
    pull(controller) {
      if (counter.pulled >= total) return controller.close();
      controller.enqueue(new Uint8Array(chunk));
      counter.pulled += chunk;
    },
  });
  const request = new Request(url, { method: 'POST', body, duplex: 'half', headers: { 'content-length': '5', 'x-elenik-signature': d.headers['x-elenik-signature'] } });
  return { request, counter };
}

test('item 7: a Request whose content-length understates its body is read only up to the limit', async () => {
  const MIB = 1024 * 1024;
  const limit = 64 * 1024;
  const receiver = createReceiver({ secret, maxBodyBytes: limit, logger: false });
  const rssBefore = process.memoryUsage().rss;
  const viaFetch = lyingRequest('http://localhost/', 64 * MIB);
  const response = await receiver.fetch(viaFetch.request);
  assert.equal(response.status, 413);
  assert.equal((await response.json()).error, 'PAYLOAD_TOO_LARGE');
  assert.ok(viaFetch.counter.pulled <= limit + 2 * 64 * 1024, `receiver.fetch pulled ${viaFetch.counter.pulled} bytes`);

  const viaVerify = lyingRequest('http://localhost/', 64 * MIB);
  await assert.rejects(verifyRequest(viaVerify.request, secret, { maxBodyBytes: limit }), (error) => error.code === 'PAYLOAD_TOO_LARGE');
  assert.ok(viaVerify.counter.pulled <= limit + 2 * 64 * 1024, `verifyRequest pulled ${viaVerify.counter.pulled} bytes`);

  // The default limit, and the memory a 64 MiB body would take if read in full.
  const big = lyingRequest('http://localhost/', 64 * MIB);
  assert.equal((await createReceiver({ secret, logger: false }).fetch(big.request)).status, 413);
  assert.ok(big.counter.pulled <= MIB + 2 * 64 * 1024);
  assert.ok(process.memoryUsage().rss - rssBefore < 32 * MIB, 'RSS did not grow with the lying body');

  // An honest body within the limit still verifies, however it is chunked.
  const d = delivery();
  const ok = await receiver.fetch(new Request('http://localhost/', { method: 'POST', body: d.body, headers: d.headers }));
  assert.equal(ok.status, 200);
});

test('no shared mutable state: answers, bodies, headers and errors are new for every request', async () => {
  const receiver = createReceiver({ secret, logger: false });
  const forged = { body: delivery().body, headers: { 'x-elenik-signature': sign('other', secret) } };
  const first = await receiver.receive(forged.body, forged.headers);
  first.body.error = 'MUTATED';
  first.body.message = 'x'.repeat(300);
  first.status = 200;
  const second = await receiver.receive(forged.body, forged.headers);
  assert.equal(second.status, 401);
  assert.equal(second.body.error, 'SIGNATURE_MISMATCH');

  // fetch: a framework that writes into a Response's headers touches that Response only.
  const r1 = await receiver.fetch(new Request('http://localhost/', { method: 'POST', body: forged.body, headers: forged.headers }));
  r1.headers.set('content-length', '211');
  r1.headers.set('x-leak', '1');
  const d = delivery();
  const r2 = await receiver.fetch(new Request('http://localhost/', { method: 'POST', body: d.body, headers: d.headers }));
  assert.equal(r2.headers.get('x-leak'), null);
  assert.equal(r2.headers.get('content-length'), null);
  const r3 = await receiver.fetch(new Request('http://localhost/', { method: 'GET' }));
  r3.headers.set('allow', 'GET');
  const r4 = await receiver.fetch(new Request('http://localhost/', { method: 'PUT' }));
  assert.equal(r4.headers.get('allow'), 'POST');

  // node: every writeHead gets its own object.
  const written = [];
  const res = () => ({ headersSent: false, writeHead: (status, headers) => written.push(headers), end() {} });
  const req = (body, headers) => ({ method: 'POST', headers, rawBody: Buffer.from(body), readableEnded: false, on() {}, off() {}, pause() {} });
  await receiver.node(req(forged.body, forged.headers), res());
  written[0]['content-length'] = 999;
  written[0].connection = 'close';
  const e = delivery();
  await receiver.node(req(e.body, e.headers), res());
  assert.notEqual(written[0], written[1]);
  assert.equal(written[1].connection, undefined);
  assert.equal(written[1]['content-length'], Buffer.byteLength(JSON.stringify({ received: true, event: 'user_signup' })));

  // Default options: two receivers built without options share no state (one's store, the other's).
  const a = createReceiver({ secret, logger: false });
  const b = createReceiver({ secret, logger: false });
  const x = delivery();
  assert.equal((await a.receive(x.body, x.headers)).body.duplicate, undefined);
  assert.equal((await b.receive(x.body, x.headers)).body.duplicate, undefined, 'each default memoryStore is its own');
  // An error a caller mutates is not the next request's error.
  const tooBig = createReceiver({ secret, maxBodyBytes: 4, logger: false });
  const e1 = await tooBig.receive('12345', {});
  e1.body.message = 'changed';
  assert.notEqual((await tooBig.receive('12345', {})).body.message, 'changed');
});

test('node(): a response that throws on writeHead, and a request whose getters throw, never reject', async () => {
  const receiver = createReceiver({ secret, logger: false });
  const d = delivery();
  const res = { headersSent: false, writeHead: thrower, end() {} };
  const req = { method: 'POST', headers: d.headers, rawBody: Buffer.from(d.body), readableEnded: false, on() {}, off() {}, pause() {} };
  await receiver.node(req, res); // resolves
  const hostile = new Proxy({}, { get: thrower });
  const sent = [];
  await receiver.node(hostile, { headersSent: false, writeHead: (status) => sent.push(status), end() {} });
  assert.deepEqual(sent, [500]);
  const response = await receiver.fetch(new Proxy({}, { get: thrower }));
  assert.equal(response.status, 500);
});
