// The README's node:test example of elenik-webhooks/testing: a handler unit-tested without a
// server (Vitest and Jest run the same checks from kit.vitest.mjs and kit.jest.mjs).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createReceiver } from 'elenik-webhooks';
import { createTestDelivery, createTestRequest, sampleEvent } from 'elenik-webhooks/testing';

const secret = 'whsec_test_secret';

test('a verified payment is credited once, its retry is a duplicate', async () => {
  const credited = [];
  const receiver = createReceiver({ secret }).on('payment_verified', (event) => {
    credited.push([event.data.user_id, event.data.amount]);
  });
  const event = sampleEvent('payment_verified', { amount: 10 });
  const response = await receiver.fetch(createTestRequest({ event, secret }));
  assert.equal(response.status, 200);
  assert.deepEqual(credited, [[event.data.user_id, 10]]);
  const retry = await receiver.fetch(createTestRequest({ event, secret }));
  assert.deepEqual(await retry.json(), { received: true, duplicate: true });
  assert.equal(credited.length, 1);
});

test('tampered and unsigned deliveries are refused before any handler runs', async () => {
  let runs = 0;
  const receiver = createReceiver({ secret }).onAny(() => runs++);
  const tampered = createTestDelivery({ type: 'payment_verified', secret, tamper: true });
  assert.deepEqual((await receiver.receive(tampered.body, tampered.headers)).body.error, 'SIGNATURE_MISMATCH');
  const unsigned = createTestDelivery({ type: 'task_complete', unsigned: true });
  assert.equal((await receiver.receive(unsigned.body, unsigned.headers)).status, 401);
  assert.equal(runs, 0);
});

test('the kit itself: plain objects, the shared samples, a Request to any URL', async () => {
  const delivery = createTestDelivery({ type: 'user_signup', secret });
  assert.equal(typeof delivery.body, 'string');
  assert.equal(Object.getPrototypeOf(delivery.headers), Object.prototype);
  assert.deepEqual(Object.keys(delivery.headers).sort(), ['content-type', 'x-elenik-signature']);
  const event = JSON.parse(delivery.body);
  assert.equal(event.event, 'user_signup');
  assert.match(event.data.user_id, /^u_[0-9a-z]{12}$/);
  assert.notEqual(sampleEvent('user_signup').data.user_id, sampleEvent('user_signup').data.user_id);
  assert.deepEqual(sampleEvent('invoice_created', { id: 'inv_1' }), { event: 'invoice_created', data: { id: 'inv_1' } });
  const overridden = sampleEvent('task_complete', { status: 'failed', ['__proto__']: 1 });
  assert.equal(overridden.data.status, 'failed');
  // A computed "__proto__" key is an own field: it stays one, and the prototype is untouched.
  assert.equal(Object.hasOwn(overridden.data, '__proto__'), true);
  assert.equal(Object.getPrototypeOf(overridden.data), Object.prototype);
  const tampered = createTestDelivery({ event, secret, tamper: true });
  assert.notEqual(tampered.body, delivery.body);
  assert.equal(tampered.headers['x-elenik-signature'], delivery.headers['x-elenik-signature']);
  const request = createTestRequest({ type: 'task_complete', secret, url: 'http://127.0.0.1:9/hook' });
  assert.equal(request.method, 'POST');
  assert.equal(request.url, 'http://127.0.0.1:9/hook');
  assert.equal(JSON.parse(await request.text()).event, 'task_complete');
  assert.throws(() => createTestDelivery({ type: 'user_signup' }), /secret/);
  assert.throws(() => createTestDelivery({ secret }), /type/);
  assert.throws(() => createTestDelivery({ type: 'user_signup', event, secret }), /either/);
  assert.throws(() => createTestDelivery({ type: 'user_signup', secret, tamper: true, unsigned: true }), /one of/);
});
