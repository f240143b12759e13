// receiver.consume(message): runs one queue message's handlers (message.js), at most once per
// delivery however often the queue delivers it; receiver.queue(batch) is the same for a
// Cloudflare Queues consumer. The queue is not trusted: the body and signature are verified again
// with the receiver's secret before anything touches the store, and the delivery key is taken
// from the verified body, never from the message.
//
// consume resolves when the message is settled, and rejects when the queue should try it again:
//   'ran'        the handlers ran and succeeded; the delivery is done in the store.
//   'duplicate'  an earlier copy already ran: nothing runs.
//   'rejected'   not a message, or it does not verify (forged or altered): nothing runs, nothing
//                is stored, it is logged; settling it keeps the queue from retrying it forever.
//   rejects      a handler threw (its error, after onError; the claim is released), another run
//                holds the claim (DELIVERY_IN_PROGRESS), the store failed (STORE_UNAVAILABLE),
//                the key function failed (DEDUPE_KEY_FAILED), or a newer version's message.
import { deliveryKey } from '../core/glue.js';
import { isVerificationError, RECEIVER_ERRORS } from './answers.js';
import { fromMessage, MESSAGE_VERSION } from './message.js';
import { handlerFailed, runHandlers } from './steps.js';
import { SIGNATURE_HEADER } from '../core/constants.js';

/** The consumer's claims live apart from the request path's: `run:<delivery key>`. */
export const RUN_PREFIX = 'run:';

/** An Error the queue records, with the receiver's code (answers.js). */
function refused(code, cause, extra) {
  const error = new Error(`elenik-webhooks: ${RECEIVER_ERRORS[code].message}`, cause ? { cause } : undefined);
  error.name = 'ElenikQueueError';
  error.code = code;
  return Object.assign(error, extra);
}

/** consume(message) over the receiver's state (index.js). */
export function consumer(receiver) {
  const { guard } = receiver;
  return async function consume(message) {
    const read = fromMessage(message);
    if (read.unsupported !== undefined) {
      throw new Error(`elenik-webhooks: a version ${read.unsupported} queue message; this consumer reads version ${MESSAGE_VERSION}: upgrade it`);
    }
    if (read.malformed !== undefined) {
      receiver.log('error', `elenik-webhooks: dropped a queue message that is not one (${read.malformed}); nothing ran`);
      return 'rejected';
    }
    const { payload, signature } = read;
    let event;
    try {
      event = receiver.verifier().constructEvent(payload, signature);
    } catch (error) {
      // The receiver's own secret failing is not the message's fault: let the queue retry.
      if (!isVerificationError(error) || error.code === 'INVALID_SECRET') throw error;
      receiver.log('error', `elenik-webhooks: dropped a queue message that does not verify (${error.code}); nothing ran`);
      return 'rejected';
    }
    let key;
    try {
      key = (await guard.key(event, payload)) ?? deliveryKey(payload);
    } catch (error) {
      throw refused('DEDUPE_KEY_FAILED', error);
    }
    const delivery = {
      event,
      type: String(event.event),
      key: RUN_PREFIX + key,
      token: guard.token(),
      context: { deliveryKey: key, event, headers: { [SIGNATURE_HEADER]: signature } },
    };
    let state;
    try {
      state = await guard.claim(delivery.key, delivery.token);
    } catch (error) {
      throw refused('STORE_UNAVAILABLE', error);
    }
    if (state === 'done') return 'duplicate';
    if (state === 'processing') throw refused('DELIVERY_IN_PROGRESS', undefined, { retryAfterSeconds: guard.leaseSeconds });
    try {
      await runHandlers(delivery, receiver);
    } catch (error) {
      await handlerFailed(error, delivery, receiver, 'the queue retries it');
      await settle(receiver, 'release', delivery);
      throw error;
    }
    await settle(receiver, 'complete', delivery);
    return 'ran';
  };
}

/** complete or release the consumer's claim; a store that fails is logged (the lease then lapses). */
async function settle(receiver, what, { key, token }) {
  let ok = false;
  let failed;
  try {
    ok = (await receiver.guard[what](key, token)) === true;
  } catch (error) {
    failed = error;
  }
  if (!ok) {
    receiver.log(
      'warn',
      what === 'complete'
        ? 'elenik-webhooks: ran a queued delivery, but the dedupe store did not record it as done; a redelivery would run again'
        : 'elenik-webhooks: could not release a failed queued delivery; its retry waits for the lease to lapse',
      ...(failed ? [failed] : []),
    );
  }
}

/**
 * receiver.queue(batch): a Cloudflare Queues consumer (`export default { fetch, queue }`). Each
 * message is acked once consume settles it and retried when consume rejects; one in progress
 * elsewhere is retried after the lease, so that it does not use up its attempts meanwhile.
 */
export function batchConsumer(receiver, consume) {
  return async function queue(batch) {
    await Promise.all(
      Array.from(batch.messages, async (message) => {
        let settle;
        try {
          await consume(message.body);
          settle = () => message.ack();
        } catch (error) {
          const delaySeconds = error?.retryAfterSeconds;
          if (error?.code === 'STORE_UNAVAILABLE') receiver.log('error', 'elenik-webhooks: the dedupe store failed; the message is retried', error);
          settle = () => message.retry(Number.isFinite(delaySeconds) ? { delaySeconds: Math.ceil(delaySeconds) } : undefined);
        }
        try {
          settle();
        } catch (error) {
          // The runtime redelivers a message left unsettled; the others in the batch are unaffected.
          receiver.log('error', 'elenik-webhooks: acking or retrying a queue message failed', error);
        }
      }),
    );
  };
}
