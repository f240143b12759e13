// The `queue` option and receiver.consume / receiver.queue on the packed package, with queues and
// stores made of plain objects: what 200, 503 QUEUE_UNAVAILABLE and each consume outcome mean.
// The real engines (BullMQ on redis-server, Cloudflare Queues in wrangler dev, Deno KV) are in
// tests/queue/.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { bullmqQueue, cloudflareQueue, createReceiver, deliveryKey, denoKvQueue, memoryStore, sign } from 'elenik-webhooks';

const secret = 'whsec_queue_unit';
const body = JSON.stringify({ event: 'user_signup', data: { user_id: 'u_1', email: 'a@example.com' } });
const headers = (payload = body, key = secret) => ({ 'x-elenik-signature': sign(payload, key) });
const quiet = () => {
  const logged = [];
  return { logged, logger: { warn: (...a) => logged.push(['warn', ...a]), error: (...a) => logged.push(['error', ...a]) } };
};
/** A queue that keeps what it is sent, or refuses/hangs as told. */
const fakeQueue = (mode = 'accept', timeoutMs) => {
  const sent = [];
  return {
    sent,
    timeoutMs,
    send: (message) => {
      if (mode === 'refuse') return Promise.reject(new Error('queue down'));
      if (mode === 'hang') return new Promise(() => {});
      sent.push(structuredClone(message));
      return Promise.resolve();
    },
  };
};

test('with a queue: 200 queued once the queue holds the message; handlers do not run in the request', async () => {
  const queue = fakeQueue();
  const runs = [];
  const receiver = createReceiver({ secret, queue }).onAny(() => runs.push('ran'));
  const answer = await receiver.receive(body, headers());
  assert.equal(answer.status, 200);
  assert.deepEqual(answer.body, { received: true, event: 'user_signup', queued: true });
  assert.deepEqual(runs, []);
  assert.equal(queue.sent.length, 1);
  const [message] = queue.sent;
  assert.deepEqual(Object.keys(message).sort(), ['body', 'encoding', 'event', 'key', 'receivedAt', 'signature', 'v']);
  assert.equal(message.v, 1);
  assert.equal(message.body, body);
  assert.equal(message.encoding, 'utf8');
  assert.equal(message.signature, headers()['x-elenik-signature']);
  assert.equal(message.key, deliveryKey(body));
  assert.equal(message.event, 'user_signup');
  assert.equal(typeof message.receivedAt, 'number');
  // A second copy is a duplicate, and is not enqueued again.
  assert.deepEqual((await receiver.receive(body, headers())).body, { received: true, duplicate: true });
  assert.equal(queue.sent.length, 1);
  // The consumer runs it once.
  assert.equal(await receiver.consume(message), 'ran');
  assert.equal(await receiver.consume(message), 'duplicate');
  assert.deepEqual(runs, ['ran']);
});

test('a queue that refuses, or does not settle within timeoutMs, is 503 QUEUE_UNAVAILABLE and the claim is released', async () => {
  for (const mode of ['refuse', 'hang']) {
    const store = memoryStore();
    const { logged, logger } = quiet();
    const receiver = createReceiver({ secret, dedupe: store, queue: fakeQueue(mode, 50), logger });
    const answer = await receiver.receive(body, headers());
    assert.equal(answer.status, 503, mode);
    assert.equal(answer.body.error, 'QUEUE_UNAVAILABLE', mode);
    assert.equal(store.size, 0, `${mode}: no claim left behind`);
    assert.match(logged[0][1], /queue refused/);
  }
  // Once the queue is back, the retry is accepted.
  const store = memoryStore();
  let mode = 'refuse';
  const queue = { timeoutMs: 50, send: (m) => (mode === 'refuse' ? Promise.reject(new Error('down')) : Promise.resolve(m)) };
  const receiver = createReceiver({ secret, dedupe: store, queue, logger: false });
  assert.equal((await receiver.receive(body, headers())).status, 503);
  mode = 'accept';
  assert.deepEqual((await receiver.receive(body, headers())).body, { received: true, event: 'user_signup', queued: true });
  // A send that throws synchronously is a refusal too.
  const throwing = createReceiver({ secret, queue: { send() { throw new Error('sync'); } }, logger: false });
  assert.equal((await throwing.receive(body, headers())).body.error, 'QUEUE_UNAVAILABLE');
});

test('the queue option is checked at creation', () => {
  assert.throws(() => createReceiver({ secret, queue: {} }), /^TypeError: createReceiver: queue must have a send/);
  assert.throws(() => createReceiver({ secret, queue: { send() {}, timeoutMs: 0 } }), /^RangeError: createReceiver: queue.timeoutMs/);
  assert.equal(createReceiver({ secret, queue: false }).receive.length, 2);
});

test('a body that is not UTF-8 is refused before the queue; consume reads base64 bodies byte for byte', async () => {
  const bytes = new Uint8Array([...Buffer.from('{"event":"user_signup","data":{"user_id":"u_2","email":"b@example.com","x":"'), 0xff, ...Buffer.from('"}}')]);
  const queue = fakeQueue();
  const seen = [];
  const receiver = createReceiver({ secret, queue, logger: false }).onAny((event, ctx) => seen.push(ctx.deliveryKey));
  const answer = await receiver.receive(bytes, { 'x-elenik-signature': sign(bytes, secret) });
  assert.equal(answer.status, 400);
  assert.equal(queue.sent.length, 0, 'so every message the receiver sends is utf8');
  // A message whose body is base64 (the format allows it) verifies the decoded bytes.
  const utf8 = Buffer.from(body);
  const message = { v: 1, key: 'k', event: 'user_signup', signature: sign(utf8, secret), body: utf8.toString('base64'), encoding: 'base64', receivedAt: 1 };
  assert.equal(await receiver.consume(message), 'ran');
  assert.deepEqual(seen, [deliveryKey(body)]);
  assert.equal(await receiver.consume({ ...message, body: '%%%not base64' }), 'rejected');
});

test('consume: a forged or altered message runs nothing, touches no store, never blocks the real delivery', async () => {
  const store = memoryStore();
  const { logged, logger } = quiet();
  const runs = [];
  const receiver = createReceiver({ secret, dedupe: store, logger }).onAny(() => runs.push('ran'));
  const genuine = { v: 1, key: deliveryKey(body), event: 'user_signup', signature: headers()['x-elenik-signature'], body, encoding: 'utf8', receivedAt: 1 };
  const forged = { ...genuine, signature: sign(body, 'whsec_attacker') };
  const altered = { ...genuine, body: body.replace('u_1', 'u_9') };
  for (const message of [forged, altered, null, 'text', { ...genuine, encoding: 'rot13' }, { ...genuine, v: 0 }]) {
    assert.equal(await receiver.consume(message), 'rejected');
  }
  assert.equal(store.size, 0);
  assert.deepEqual(runs, []);
  assert.ok(logged.every(([level, text]) => level === 'error' && /dropped a queue message/.test(text)));
  // A message naming another delivery's key cannot claim it: the key comes from the verified body.
  const other = JSON.stringify({ event: 'user_signup', data: { user_id: 'u_3', email: 'c@example.com' } });
  assert.equal(await receiver.consume({ ...genuine, key: deliveryKey(other) }), 'ran');
  assert.equal(await receiver.consume({ ...genuine, body: other, signature: headers(other)['x-elenik-signature'] }), 'ran');
  assert.deepEqual(runs, ['ran', 'ran']);
  // A newer version's message is left to the queue (rejects), not dropped.
  await assert.rejects(receiver.consume({ ...genuine, v: 2 }), /version 2 queue message/);
});

test('consume: a failing handler releases and rejects (the queue retries); in progress rejects; store down rejects', async () => {
  const store = memoryStore();
  let fail = 2;
  const errors = [];
  const receiver = createReceiver({ secret, dedupe: store, logger: false })
    .onAny(() => {
      if (fail-- > 0) throw new Error('downstream');
    })
    .onError((error) => errors.push(error.message));
  const message = { v: 1, key: 'x', event: 'user_signup', signature: headers()['x-elenik-signature'], body, encoding: 'utf8', receivedAt: 1 };
  await assert.rejects(receiver.consume(message), /downstream/);
  await assert.rejects(receiver.consume(message), /downstream/);
  assert.equal(await receiver.consume(message), 'ran');
  assert.deepEqual(errors, ['downstream', 'downstream']);

  // Its claim lives apart from the request path's: the request path's claim does not block it.
  const both = memoryStore();
  const r2 = createReceiver({ secret, dedupe: both, queue: fakeQueue(), logger: false });
  assert.equal((await r2.receive(body, headers())).status, 200);
  assert.equal(await r2.consume(message), 'ran');

  // Another run holds the claim: reject with DELIVERY_IN_PROGRESS and the lease to wait.
  let release;
  const slow = createReceiver({ secret, dedupe: { store: memoryStore(), leaseSeconds: 7 }, logger: false }).onAny(
    () => new Promise((resolve) => (release = resolve)),
  );
  const first = slow.consume(message);
  await new Promise((resolve) => setImmediate(resolve));
  await assert.rejects(slow.consume(message), (error) => error.code === 'DELIVERY_IN_PROGRESS' && error.retryAfterSeconds === 7);
  release();
  assert.equal(await first, 'ran');

  const down = { claim: () => Promise.reject(new Error('redis down')), complete: async () => true, release: async () => true };
  const r3 = createReceiver({ secret, dedupe: down, logger: false });
  await assert.rejects(r3.consume(message), (error) => error.code === 'STORE_UNAVAILABLE' && /redis down/.test(error.cause.message));
});

test('receiver.queue(batch) acks each settled message and retries each rejected one', async () => {
  const receiver = createReceiver({ secret, dedupe: { store: memoryStore(), leaseSeconds: 30 }, logger: false }).onAny((event) => {
    if (event.data.user_id === 'bad') throw new Error('no');
  });
  const msg = (userId, signWith = secret) => {
    const b = JSON.stringify({ event: 'user_signup', data: { user_id: userId, email: 'a@example.com' } });
    return { v: 1, key: 'k', event: 'user_signup', signature: sign(b, signWith), body: b, encoding: 'utf8', receivedAt: 1 };
  };
  const settled = [];
  const wrap = (name, body) => ({ body, ack: () => settled.push([name, 'ack']), retry: (o) => settled.push([name, 'retry', o]) });
  const { queue } = receiver; // works unbound
  await queue({ messages: [wrap('good', msg('u_1')), wrap('bad', msg('bad')), wrap('forged', msg('u_2', 'other')), wrap('again', msg('u_1'))] });
  // 'again' is a copy of 'good' in the same batch: it found good's claim held, so it is retried
  // after the lease rather than using up its attempts meanwhile.
  assert.deepEqual(settled.sort(), [['again', 'retry', { delaySeconds: 30 }], ['bad', 'retry', undefined], ['forged', 'ack'], ['good', 'ack']].sort());
  // An ack that throws is logged; the batch still settles every other message.
  const { logged, logger } = quiet();
  const r2 = createReceiver({ secret, logger });
  const acks = [];
  await r2.queue({ messages: [
    { body: msg('u_5'), ack: () => { throw new Error('ack failed'); }, retry: () => acks.push('retry 5') },
    { body: msg('u_6'), ack: () => acks.push('ack 6'), retry: () => acks.push('retry 6') },
  ] });
  assert.deepEqual(acks, ['ack 6']);
  assert.match(logged[0][1], /acking or retrying a queue message failed/);
});

test('the adapters: BullMQ defaults keep failed jobs and the caller overrides them; each sends the message as is', async () => {
  const added = [];
  const adapter = bullmqQueue({ add: async (...a) => added.push(a) }, { attempts: 3 });
  assert.equal(adapter.timeoutMs, 5000);
  await adapter.send({ event: 'user_signup', v: 1 });
  assert.equal(added[0][0], 'user_signup');
  assert.deepEqual(added[0][1], { event: 'user_signup', v: 1 });
  assert.equal(added[0][2].attempts, 3);
  assert.equal(added[0][2].removeOnFail, false);
  assert.equal(added[0][2].backoff.type, 'exponential');
  assert.equal(bullmqQueue({ add() {} }, { removeOnFail: 100 }, { timeoutMs: 250 }).timeoutMs, 250);

  const sent = [];
  await cloudflareQueue({ send: async (...a) => sent.push(a) }).send({ v: 1 });
  assert.deepEqual(sent[0], [{ v: 1 }, { contentType: 'json' }]);

  const enqueued = [];
  await denoKvQueue({ enqueue: async (...a) => (enqueued.push(a), { ok: true }) }).send({ v: 1, key: 'abc' });
  assert.deepEqual(enqueued[0][1].keysIfUndelivered, [['elenik-webhooks', 'undelivered', 'abc']]);
  assert.ok(enqueued[0][1].backoffSchedule.reduce((a, b) => a + b) > 60_000, 'the retries outlast the default lease');
  await assert.rejects(denoKvQueue({ enqueue: async () => ({ ok: false }) }).send({ key: 'a' }), /did not commit/);
  for (const [make, name] of [[bullmqQueue, 'bullmqQueue'], [cloudflareQueue, 'cloudflareQueue'], [denoKvQueue, 'denoKvQueue']]) {
    assert.throws(() => make({}), new RegExp(`^TypeError: ${name}: `));
  }
});

test('a consumer with dedupe: false still runs each message (no once-only guarantee without a store)', async () => {
  let runs = 0;
  const receiver = createReceiver({ secret, dedupe: false, logger: false }).onAny(() => runs++);
  const message = { v: 1, key: 'k', event: 'user_signup', signature: headers()['x-elenik-signature'], body, encoding: 'utf8', receivedAt: 1 };
  assert.equal(await receiver.consume(message), 'ran');
  assert.equal(await receiver.consume(message), 'ran');
  assert.equal(runs, 2);
});
