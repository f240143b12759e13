// The Jest example of elenik-webhooks/testing in docs/api.md (run by scripts/test-receiver.sh with
// node --experimental-vm-modules, as Jest needs for ES modules).
import { jest } from '@jest/globals';
import { createReceiver } from 'elenik-webhooks';
import { createTestDelivery, sampleEvent } from 'elenik-webhooks/testing';

const secret = 'whsec_test_secret';

test('a handler failure answers 500 and the retry runs it again', async () => {
  const save = jest.fn().mockRejectedValueOnce(new Error('db down')).mockResolvedValue(undefined);
  const receiver = createReceiver({ secret, logger: false }).on('user_signup', (e) => save(e.data.user_id));
  const { body, headers } = createTestDelivery({ event: sampleEvent('user_signup'), secret });
  expect(await receiver.receive(body, headers)).toMatchObject({ status: 500, body: { error: 'HANDLER_FAILED' } });
  expect(await receiver.receive(body, headers)).toMatchObject({ status: 200, body: { received: true } });
  expect(save).toHaveBeenCalledTimes(2);
});
