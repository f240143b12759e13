// src/event/events.json is the one table of event types and their fields: the Rust validation
// (build.rs), the .d.ts and the samples (scripts/gen-events.mjs) follow it. Here, from the
// packed package: its EVENT_TYPES are the table's, every sample has exactly the table's fields
// and passes the validation, and the validation requires exactly the table's `required` fields.
// Also the receiver's typo guard: on() warns for a type this version does not document.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { test } from 'node:test';
import { EVENT_TYPES, WebhookVerificationError, createReceiver, parseEvent, sign } from 'elenik-webhooks';
import { sampleEvent } from 'elenik-webhooks/testing';

// scripts/test-js.sh sets ELENIK_PKG_SRC to <repo>/target/pkg-src.
const root = dirname(dirname(process.env.ELENIK_PKG_SRC));
const { types } = JSON.parse(readFileSync(join(root, 'src/event/events.json'), 'utf8'));
const WRONG = { id: 7, string: 7, timestamp: 'soon', number: '1', currency: 'usd' };

test('the package lists the event types of events.json, in its order', () => {
  assert.deepEqual([...EVENT_TYPES], types.map((t) => t.name));
});

test("each type's sample has the table's fields, in order, and passes the validation", () => {
  for (const type of types) {
    const sample = sampleEvent(type.name);
    assert.deepEqual(Object.keys(sample.data), type.fields.map((f) => f.name), type.name);
    assert.deepEqual(parseEvent(JSON.stringify(sample)), sample);
  }
});

test('the validation requires exactly the required fields, each with its type', () => {
  for (const type of types) {
    for (const field of type.fields) {
      const { [field.name]: _, ...without } = sampleEvent(type.name).data;
      const missing = () => parseEvent(JSON.stringify({ event: type.name, data: without }));
      const wrong = () => parseEvent(JSON.stringify({ event: type.name, data: { ...without, [field.name]: WRONG[field.type] } }));
      const where = `${type.name}.${field.name}`;
      if (field.required) {
        assert.throws(missing, { code: 'INVALID_EVENT', message: new RegExp(`data\\.${field.name}\` is missing`) }, where);
        assert.throws(wrong, { code: 'INVALID_EVENT', message: new RegExp(`data\\.${field.name}`) }, where);
      } else {
        assert.doesNotThrow(missing, where);
        assert.doesNotThrow(wrong, where);
      }
    }
  }
});

/** A logger that records what it was given. */
function recorder() {
  const lines = [];
  return { lines, warn: (...args) => lines.push(['warn', ...args]), error: (...args) => lines.push(['error', ...args]) };
}

test('on() with a type this version does not document warns, naming the closest documented type', async () => {
  const logger = recorder();
  const receiver = createReceiver({ secret: 'whsec_t', logger })
    .on('payment_verified', () => {})
    .on('payment_verifed', () => {})
    .on(['user_signup', 'usr_signup'], () => {});
  assert.equal(logger.lines.length, 2);
  assert.equal(logger.lines[0][0], 'warn');
  assert.match(logger.lines[0][1], /receiver\.on\("payment_verifed"\).*the closest is "payment_verified".*receiver\.onUnknown\("payment_verifed"/);
  assert.match(logger.lines[1][1], /receiver\.on\("usr_signup"\).*the closest is "user_signup"/);
  // Still registered, as before: the handler runs if Elenik sends exactly that type.
  const body = JSON.stringify({ event: 'payment_verifed', data: {} });
  assert.deepEqual((await receiver.receive(body, { 'x-elenik-signature': sign(body, 'whsec_t') })).body, { received: true, event: 'payment_verifed' });
});

test('onUnknown() is the opt-in for a newer type: no warning, and its handler gets the event', async () => {
  const logger = recorder();
  const seen = [];
  const receiver = createReceiver({ secret: 'whsec_t', logger })
    .onUnknown('invoice_created', (event, context) => seen.push([event.data.invoice_id, context.event === event]))
    .onUnknown(['a_type', 'b_type'], () => {});
  assert.deepEqual(logger.lines, []);
  const body = JSON.stringify({ event: 'invoice_created', data: { invoice_id: 'inv_1' } });
  assert.equal((await receiver.receive(body, { 'x-elenik-signature': sign(body, 'whsec_t') })).status, 200);
  assert.deepEqual(seen, [['inv_1', true]]);
  assert.throws(() => receiver.onUnknown('', () => {}), /receiver\.onUnknown: type must be/);
  assert.throws(() => receiver.onUnknown('x_type'), /receiver\.onUnknown: expected a function/);
});

test('a missing secret throws INVALID_SECRET at once, naming ELENIK_WEBHOOK_SECRET and what it got', async () => {
  for (const [secret, got] of [[undefined, 'undefined'], [null, 'null'], ['', 'an empty string']]) {
    assert.throws(
      () => createReceiver({ secret }),
      (error) =>
        error instanceof WebhookVerificationError &&
        error.code === 'INVALID_SECRET' &&
        error.status === 500 &&
        error.message.includes(`the secret is ${got}`) &&
        error.message.includes('ELENIK_WEBHOOK_SECRET'),
      String(secret),
    );
  }
  // A function is read on the first request: until it gives a secret, 500 with the same hint.
  const later = createReceiver({ secret: () => undefined, logger: false });
  const { status, body } = await later.receive('{}', {});
  assert.equal(status, 500);
  assert.equal(body.error, 'INVALID_SECRET');
  assert.match(body.message, /the secret function returned undefined.*ELENIK_WEBHOOK_SECRET/);
});
