// The Vitest example of elenik-webhooks/testing in docs/api.md (run by scripts/test-receiver.sh).
import { describe, expect, it, vi } from 'vitest';
import { createReceiver } from 'elenik-webhooks';
import { createTestDelivery, createTestRequest, sampleEvent } from 'elenik-webhooks/testing';

const secret = 'whsec_test_secret';

describe('payment webhook', () => {
  it('credits a verified payment once', async () => {
    const credit = vi.fn();
    const receiver = createReceiver({ secret }).on('payment_verified', (e) => credit(e.data.user_id, e.data.amount));
    const event = sampleEvent('payment_verified', { amount: 10 });
    const response = await receiver.fetch(createTestRequest({ event, secret }));
    expect(response.status).toBe(200);
    expect(credit).toHaveBeenCalledWith(event.data.user_id, 10);
    const retry = await receiver.fetch(createTestRequest({ event, secret }));
    expect(await retry.json()).toEqual({ received: true, duplicate: true });
    expect(credit).toHaveBeenCalledTimes(1);
  });

  it('refuses a tampered delivery', async () => {
    const credit = vi.fn();
    const receiver = createReceiver({ secret }).on('payment_verified', credit);
    const { body, headers } = createTestDelivery({ type: 'payment_verified', secret, tamper: true });
    const result = await receiver.receive(body, headers);
    expect(result.status).toBe(401);
    expect(credit).not.toHaveBeenCalled();
  });
});
