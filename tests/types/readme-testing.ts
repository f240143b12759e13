// The README's testing-kit snippets (Vitest, node:test, Jest), type-checked under `strict`, each
// in its own block (see readme-receiver.ts).
import { expect as vitestExpect, it, vi } from 'vitest';
import { test as nodeTest } from 'node:test';
import assert from 'node:assert/strict';
import { jest } from '@jest/globals';
import { createReceiver } from 'elenik-webhooks';
import { createTestDelivery, createTestRequest, sampleEvent } from 'elenik-webhooks/testing';

// Vitest.
{
  const expect = vitestExpect;
  const secret = 'whsec_test_secret';

  it('credits a verified payment once', async () => {
    const credit = vi.fn();
    const receiver = createReceiver({ secret }).on('payment_verified', (e) => credit(e.data.user_id, e.data.amount));
    const event = sampleEvent('payment_verified', { amount: 10 });
    expect((await receiver.fetch(createTestRequest({ event, secret }))).status).toBe(200);
    const retry = await receiver.fetch(createTestRequest({ event, secret }));
    expect(await retry.json()).toEqual({ received: true, duplicate: true });
    expect(credit).toHaveBeenCalledTimes(1);
  });
}

// node:test.
{
  const test = nodeTest;
  test('a tampered delivery is refused before any handler runs', async () => {
    let runs = 0;
    const receiver = createReceiver({ secret: 'whsec_test_secret' }).onAny(() => runs++);
    const { body, headers } = createTestDelivery({ type: 'payment_verified', secret: 'whsec_test_secret', tamper: true });
    assert.equal((await receiver.receive(body, headers)).body.error, 'SIGNATURE_MISMATCH');
    assert.equal(runs, 0);
  });
}

// Jest (its `test` and `expect` globals: shims.d.ts).
test('a handler failure answers 500 and the retry runs it again', async () => {
  const save = jest.fn().mockRejectedValueOnce(new Error('db down')).mockResolvedValue(undefined);
  const receiver = createReceiver({ secret: 'whsec_test_secret', logger: false }).on('user_signup', (e) => save(e.data.user_id));
  const { body, headers } = createTestDelivery({ event: sampleEvent('user_signup'), secret: 'whsec_test_secret' });
  expect(await receiver.receive(body, headers)).toMatchObject({ status: 500, body: { error: 'HANDLER_FAILED' } });
  expect(await receiver.receive(body, headers)).toMatchObject({ status: 200 });
  expect(save).toHaveBeenCalledTimes(2);
});
