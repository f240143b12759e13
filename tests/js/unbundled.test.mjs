// The package's sources as they run unbundled (target/pkg-src: pkg-template/ with the generated
// constants and the .wasm, `#wasm` resolved by package.json `imports`), and the receiver's request
// path step by step. The bundled package is what every other suite tests.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { pathToFileURL } from 'node:url';
import * as bundled from 'elenik-webhooks';

const src = process.env.ELENIK_PKG_SRC;
const load = (path) => import(pathToFileURL(join(src, path)).href);
const secret = 'whsec_unbundled';
const body = JSON.stringify({ event: 'user_signup', data: { user_id: 'u_1', email: 'a@example.com' } });

test('the unbundled sources compute what the bundled package computes', async () => {
  assert.ok(src, 'scripts/test-js.sh sets ELENIK_PKG_SRC');
  const api = await load('index.js');
  assert.deepEqual(Object.keys(api).sort(), Object.keys(bundled).sort());
  assert.equal(api.sign(body, secret), bundled.sign(body, secret));
  const headers = { 'x-elenik-signature': api.sign(body, secret) };
  const seen = [];
  const receiver = api.createReceiver({ secret }).on('user_signup', (event) => seen.push(event.data.user_id));
  assert.deepEqual((await receiver.receive(body, headers)).body, { received: true, event: 'user_signup' });
  assert.deepEqual((await receiver.receive(body, headers)).body, { received: true, duplicate: true });
  assert.deepEqual(seen, ['u_1']);
});

test('the request path is the named steps, in order', async () => {
  const { STEPS } = await load('receiver/steps.js');
  assert.deepEqual(
    STEPS.map((step) => step.name),
    ['verify', 'key', 'claim', 'run', 'complete'],
  );
  const { QUEUE_STEPS } = await load('receiver/steps.js');
  assert.deepEqual(
    QUEUE_STEPS.map((step) => step.name),
    ['verify', 'key', 'claim', 'enqueue', 'complete'],
  );
});

test('each step answers or goes on by itself', async () => {
  const steps = await load('receiver/steps.js');
  const { createGuard, NO_GUARD } = await load('receiver/guard.js');
  const { Verifier, sign } = await load('index.js');
  const logged = [];
  const state = (guard, handlers = { typed: new Map(), any: [], errors: [] }) => ({
    maxBodyBytes: 1024,
    verifier: () => new Verifier(secret),
    guard,
    handlers,
    log: (level, message) => logged.push([level, message]),
  });
  const delivery = (headers = { 'x-elenik-signature': sign(body, secret) }) => ({ payload: body, headers });

  // verify: a forged signature ends the request with the core's 401; a good one sets the event.
  const forged = delivery({ 'x-elenik-signature': sign(body, 'other') });
  assert.equal(steps.verify(forged, state(NO_GUARD)).status, 401);
  const good = delivery();
  assert.equal(steps.verify(good, state(NO_GUARD)), undefined);
  assert.equal(good.type, 'user_signup');

  // key: without a guard, no key is hashed until a handler reads it.
  assert.equal(await steps.key(good, state(NO_GUARD)), undefined);
  assert.equal(good.key, null);
  assert.match(good.context.deliveryKey, /^[0-9a-f]{64}$/);

  // claim: a store answering 'done' ends it as a duplicate, 'processing' as 409, a throw as 503.
  const store = (answer) => ({
    claim: async () => (answer instanceof Error ? Promise.reject(answer) : answer),
    complete: async () => true,
    release: async () => true,
  });
  for (const [answer, status, code] of [
    ['done', 200, undefined],
    ['processing', 409, 'DELIVERY_IN_PROGRESS'],
    [new Error('down'), 503, 'STORE_UNAVAILABLE'],
    ['maybe', 503, 'STORE_UNAVAILABLE'],
  ]) {
    const guarded = state(createGuard(store(answer)));
    const d = delivery();
    steps.verify(d, guarded);
    await steps.key(d, guarded);
    const result = await steps.claim(d, guarded);
    assert.equal(result.status, status);
    assert.equal(result.body.error, code);
  }

  // run: a throwing handler is answered 500 HANDLER_FAILED, and its claim released.
  const released = [];
  const handlers = { typed: new Map([['user_signup', [() => { throw new Error('boom'); }]]]), any: [], errors: [] };
  const guard = createGuard({ claim: async () => 'claimed', complete: async () => true, release: async (key) => released.push(key) });
  const failing = state(guard, handlers);
  const d = delivery();
  steps.verify(d, failing);
  await steps.key(d, failing);
  assert.equal(await steps.claim(d, failing), undefined);
  assert.deepEqual((await steps.run(d, failing)).body, { error: 'HANDLER_FAILED' });
  assert.deepEqual(released, [d.key]);

  // complete: answers 200 even when the store cannot record it, and says so in the log.
  const unrecorded = state(createGuard({ claim: async () => 'claimed', complete: async () => false, release: async () => true }));
  const e = delivery();
  steps.verify(e, unrecorded);
  assert.deepEqual((await steps.complete(e, unrecorded)).body, { received: true, event: 'user_signup' });
  assert.equal(logged.at(-1)[0], 'warn');
});

test('run: handlers that return no Promise run at once, with no timer; a Promise hands the rest to the deadline', async () => {
  const steps = await load('receiver/steps.js');
  const { NO_GUARD } = await load('receiver/guard.js');
  const { Verifier, sign } = await load('index.js');
  const order = [];
  const state = (typed, any = []) => ({
    maxBodyBytes: 1024,
    handlerTimeoutMs: 1000,
    verifier: () => new Verifier(secret),
    guard: NO_GUARD,
    handlers: { typed: new Map([['user_signup', typed]]), any, errors: [] },
    log: (...args) => order.push(['log', ...args]),
  });
  const ready = (receiver) => {
    const d = { payload: body, headers: { 'x-elenik-signature': sign(body, secret) } };
    steps.verify(d, receiver);
    steps.key(d, receiver);
    return d;
  };
  const { setTimeout: realSetTimeout } = globalThis;
  let timers = 0;
  globalThis.setTimeout = (...args) => {
    timers += 1;
    return realSetTimeout(...args);
  };
  try {
    // Synchronous handlers, typed then onAny: the step answers undefined at once (no Promise), sets no timer.
    const sync = state([() => order.push('typed 1'), () => order.push('typed 2')], [() => order.push('any')]);
    assert.equal(steps.run(ready(sync), sync), undefined);
    assert.deepEqual(order, ['typed 1', 'typed 2', 'any']);
    assert.equal(timers, 0);

    // A handler that returns a Promise: the rest wait for it, in order, under the deadline.
    order.length = 0;
    const mixed = state([() => order.push('sync'), async () => order.push('async')], [() => order.push('any')]);
    const pending = steps.run(ready(mixed), mixed);
    assert.ok(pending instanceof Promise);
    assert.deepEqual(order, ['sync', 'async']);
    assert.equal(await pending, undefined);
    assert.deepEqual(order, ['sync', 'async', 'any']);
    assert.equal(timers, 1);

    // A synchronous throw, and a `then` getter that throws, are the handler failing: 500 HANDLER_FAILED.
    const hostile = {
      get then() {
        throw new Error('then');
      },
    };
    for (const handler of [() => { throw new Error('boom'); }, () => hostile]) {
      const failing = state([handler, () => order.push('never')]);
      assert.deepEqual((await steps.run(ready(failing), failing)).body, { error: 'HANDLER_FAILED' });
    }
    assert.ok(!order.includes('never'));
  } finally {
    globalThis.setTimeout = realSetTimeout;
  }
});

test('one table of receiver answers: the .d.ts union and the README name exactly its codes', async () => {
  const { RECEIVER_ERRORS } = await load('receiver/answers.js');
  const codes = Object.keys(RECEIVER_ERRORS).sort();
  const types = readFileSync(join(src, 'index.d.ts'), 'utf8');
  const union = types.match(/export type ReceiverErrorCode =([^;]+);/)[1];
  assert.deepEqual([...union.matchAll(/'([A-Z_]+)'/g)].map((m) => m[1]).sort(), codes);
  const readme = readFileSync(new URL('../node_modules/elenik-webhooks/README.md', import.meta.url), 'utf8');
  const table = readme.slice(readme.indexOf('**What it answers**'), readme.indexOf('### Frameworks'));
  const named = new Set([...table.matchAll(/"error":"([A-Z_]+)"/g)].map((m) => m[1]));
  for (const code of codes) {
    assert.ok(named.has(code), `README's "What it answers" table has a row for ${code}`);
    assert.equal(table.includes(`| ${RECEIVER_ERRORS[code].status} | \`{"error":"${code}"`), true, `${code} is answered ${RECEIVER_ERRORS[code].status}`);
  }
});
