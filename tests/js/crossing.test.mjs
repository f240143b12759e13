// One crossing per request, on the unbundled sources (target/pkg-src): the receiver's verify step
// gets the event and the default delivery key from one call into Wasm, and the steps wait only
// for what answers with a Promise.
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { test } from 'node:test';
import { pathToFileURL } from 'node:url';

const src = process.env.ELENIK_PKG_SRC;
const load = (path) => import(pathToFileURL(join(src, path)).href);
const secret = 'whsec_crossing';
const body = JSON.stringify({ event: 'user_signup', data: { user_id: 'u_1', email: 'a@example.com' } });

test('verifyDelivery: the event and, when asked, the delivery key from the same call', async () => {
  const { verifyDelivery, deliveryKey, Verifier, sign } = await load('core/glue.js');
  const verifier = new Verifier(secret);
  const header = sign(body, secret);
  for (const payload of [body, new TextEncoder().encode(body)]) {
    const keyed = verifyDelivery(verifier, payload, header, true);
    assert.deepEqual(keyed.event, JSON.parse(body));
    assert.equal(keyed.key, deliveryKey(payload));
    assert.deepEqual(verifyDelivery(verifier, payload, header, false), { event: JSON.parse(body), key: null });
  }
  // A forged signature or an invalid event: the error, as constructEvent throws it.
  assert.throws(() => verifyDelivery(verifier, body, sign(body, 'other'), true), { code: 'SIGNATURE_MISMATCH' });
  const bad = '{"event":"user_signup","data":{}}';
  assert.throws(() => verifyDelivery(verifier, bad, sign(bad, secret), true), { code: 'INVALID_EVENT' });
  assert.throws(() => verifyDelivery(verifier, body, undefined, true), { code: 'MISSING_SIGNATURE' });
});

test('the verify step sets the default key; a dedupe.key function runs in the key step instead', async () => {
  const steps = await load('receiver/steps.js');
  const { createGuard, NO_GUARD } = await load('receiver/guard.js');
  const { Verifier, sign, deliveryKey } = await load('index.js');
  const state = (guard) => ({ maxBodyBytes: 1024, verifier: () => new Verifier(secret), guard, handlers: { typed: new Map(), any: [], errors: [] }, log() {} });
  const delivery = () => ({ payload: body, headers: { 'x-elenik-signature': sign(body, secret) } });

  const guarded = state(createGuard(undefined)); // the default memory store
  const d = delivery();
  assert.equal(steps.verify(d, guarded), undefined);
  assert.equal(d.key, deliveryKey(body), 'the key came with the event');

  const custom = state(createGuard({ key: (event) => `custom:${event.data.user_id}` }));
  const e = delivery();
  steps.verify(e, custom);
  assert.equal(e.key, undefined, 'no SHA-256 of the body for a custom key');
  assert.equal(steps.key(e, custom), undefined);
  assert.equal(e.key, 'custom:u_1');

  const open = delivery();
  steps.verify(open, state(NO_GUARD));
  assert.equal(open.key, undefined);
});

test('steps return a Promise only when the store or the key function answers with one', async () => {
  const steps = await load('receiver/steps.js');
  const { createGuard } = await load('receiver/guard.js');
  const { Verifier, sign } = await load('index.js');
  const logged = [];
  const state = (guard) => ({ maxBodyBytes: 1024, verifier: () => new Verifier(secret), guard, handlers: { typed: new Map(), any: [], errors: [] }, log: (level) => logged.push(level) });
  const verified = (receiver) => {
    const d = { payload: body, headers: { 'x-elenik-signature': sign(body, secret) } };
    steps.verify(d, receiver);
    steps.key(d, receiver);
    return d;
  };

  const memory = state(createGuard(undefined));
  const m = verified(memory);
  assert.equal(steps.claim(m, memory), undefined, 'the memory store claims at once');
  assert.deepEqual(steps.complete(m, memory).body, { received: true, event: 'user_signup' });

  const remote = state(createGuard({ claim: async () => 'claimed', complete: async () => true, release: async () => true }));
  const r = verified(remote);
  const claiming = steps.claim(r, remote);
  assert.ok(claiming instanceof Promise);
  assert.equal(await claiming, undefined);
  assert.deepEqual((await steps.complete(r, remote)).body, { received: true, event: 'user_signup' });

  const asyncKey = state(createGuard({ key: async () => 'k' }));
  const a = { payload: body, headers: { 'x-elenik-signature': sign(body, secret) } };
  steps.verify(a, asyncKey);
  const keying = steps.key(a, asyncKey);
  assert.ok(keying instanceof Promise);
  assert.equal(await keying, undefined);
  assert.equal(a.key, 'k');

  // A store answering with a thenable whose `then` getter throws: 503, not an escape.
  const hostile = { get then() { throw new Error('boom'); } };
  const lying = state(createGuard({ claim: () => hostile, complete: () => hostile, release: async () => true }));
  const h = verified(lying);
  assert.equal((await steps.claim(h, lying)).status, 503);
  assert.equal((await steps.complete(h, lying)).status, 200, 'handled all the same, with a warning');
  assert.equal(logged.at(-1), 'warn');
});
