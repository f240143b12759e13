// The request path of createReceiver, as named steps: verify → key → claim → run → complete, or
// with the `queue` option verify → key → claim → enqueue → complete.
// Each step takes the delivery (this request's own state) and the receiver's state, and returns
// undefined to go on, or an answer (answers.js) that ends the request. A step may be async;
// receive() awaits only the ones that return a Promise.
import { tooLarge } from '../core/body.js';
import { deliveryKey } from '../core/glue.js';
import { duplicate, failure, isVerificationError, queued, received, rejected } from './answers.js';
import { byteLength, signatureOf } from './inputs.js';
import { toMessage } from './message.js';

/**
 * verify: size, secret, signature and event. Nothing unverified reaches the store or a handler.
 * Sets `delivery.event` and `delivery.type`.
 */
export function verify(delivery, receiver) {
  const { payload, headers } = delivery;
  try {
    if (byteLength(payload, receiver.maxBodyBytes) > receiver.maxBodyBytes) throw tooLarge(receiver.maxBodyBytes);
    delivery.event = receiver.verifier().constructEvent(payload, signatureOf(headers));
  } catch (error) {
    if (!isVerificationError(error)) throw error;
    return rejected(error);
  }
  delivery.type = String(delivery.event.event);
}

/**
 * key: the delivery key the guard claims, and the handlers' context. Without a guard the key is
 * hashed only if a handler reads `context.deliveryKey`.
 */
export async function key(delivery, receiver) {
  const { event, payload, headers } = delivery;
  try {
    delivery.key = await receiver.guard.key(event, payload);
  } catch (error) {
    receiver.log('error', 'elenik-webhooks: dedupe.key failed; answered 500', error);
    return failure('DEDUPE_KEY_FAILED', event);
  }
  delivery.context =
    delivery.key !== null
      ? { deliveryKey: delivery.key, event, headers }
      : {
          get deliveryKey() {
            return (delivery.key ??= deliveryKey(payload));
          },
          event,
          headers,
        };
}

/** claim: the delivery for this request, or the answer for a duplicate or one in progress. */
export async function claim(delivery, receiver) {
  const { guard } = receiver;
  delivery.token = guard.token();
  let state;
  try {
    state = await guard.claim(delivery.key, delivery.token);
  } catch (error) {
    receiver.log('error', 'elenik-webhooks: the dedupe store failed to claim a delivery; answered 503', error);
    return failure('STORE_UNAVAILABLE', delivery.event);
  }
  if (state === 'done') return duplicate(delivery.event);
  if (state === 'processing') return failure('DELIVERY_IN_PROGRESS', delivery.event);
}

/**
 * run: the typed handlers, then onAny, one by one. When one throws: onError (or the log), then the
 * claim is released so that Elenik's retry runs the delivery again.
 */
export async function run(delivery, receiver) {
  try {
    await runHandlers(delivery, receiver);
  } catch (error) {
    await handlerFailed(error, delivery, receiver, 'answered 500');
    await release(delivery, receiver);
    return failure('HANDLER_FAILED', delivery.event);
  }
}

/**
 * enqueue (with the `queue` option, instead of run): the verified delivery goes to the queue as a
 * message (message.js), and its handlers run from there (receiver.consume). A send that rejects
 * or does not settle within the queue's timeoutMs counts as refused: the claim is released and
 * the answer is 503, so Elenik retries. (A send that timed out may still land: the consumer's own
 * claim then runs the delivery once however many copies arrive.)
 */
export async function enqueue(delivery, receiver) {
  const { queue } = receiver;
  let timer;
  try {
    const sent = Promise.resolve().then(() => queue.send(toMessage(delivery, Date.now())));
    const timeout = new Promise((_, reject) => {
      timer = setTimeout(() => reject(new Error(`the queue did not accept the message within ${queue.timeoutMs} ms`)), queue.timeoutMs);
    });
    await Promise.race([sent, timeout]);
  } catch (error) {
    receiver.log('error', 'elenik-webhooks: the queue refused a delivery; answered 503', error);
    await release(delivery, receiver);
    return failure('QUEUE_UNAVAILABLE', delivery.event);
  } finally {
    clearTimeout(timer);
  }
  delivery.queued = true;
}

/** The typed handlers, then onAny, one by one; the first that throws stops them. */
export async function runHandlers({ event, type, context }, { handlers }) {
  const typed = handlers.typed.get(type);
  if (typed) for (const handler of typed) await handler(event, context);
  for (const handler of handlers.any) await handler(event, context);
}

/** A handler threw: onError handlers (each may throw too), or the log when there are none. */
export async function handlerFailed(error, { type, context }, receiver, outcome) {
  const { handlers } = receiver;
  if (handlers.errors.length === 0) receiver.log('error', `elenik-webhooks: a handler failed for ${type}; ${outcome}`, error);
  for (const handler of handlers.errors) {
    try {
      await handler(error, context);
    } catch (inner) {
      receiver.log('error', 'elenik-webhooks: an onError handler threw', inner);
    }
  }
}

/** complete: the delivery is remembered as done. The work is done even when that fails. */
export async function complete(delivery, receiver) {
  let completed = false;
  let failed;
  try {
    completed = await receiver.guard.complete(delivery.key, delivery.token);
  } catch (error) {
    failed = error;
  }
  if (completed !== true) {
    receiver.log(
      'warn',
      'elenik-webhooks: handled, but the dedupe store did not record it as done ' +
        '(its lease ran out, or the store failed); a retry of this delivery would run again',
      ...(failed ? [failed] : []),
    );
  }
  return delivery.queued ? queued(delivery.event, delivery.type) : received(delivery.event, delivery.type);
}

/** Frees a claim whose handlers failed (or the queue refused), so that a retry runs them again. */
async function release(delivery, receiver) {
  try {
    if (!(await receiver.guard.release(delivery.key, delivery.token))) {
      receiver.log('warn', "elenik-webhooks: the delivery's claim was already lost when releasing it");
    }
  } catch (error) {
    receiver.log('warn', 'elenik-webhooks: releasing a failed delivery failed; it can run again once its lease lapses', error);
  }
}

/** The request path, in order. */
export const STEPS = Object.freeze([verify, key, claim, run, complete]);

/** The request path with the `queue` option: the handlers run from the queue (consume.js). */
export const QUEUE_STEPS = Object.freeze([verify, key, claim, enqueue, complete]);

/** Runs the receiver's steps (STEPS or QUEUE_STEPS, chosen by createReceiver) until one answers. */
export async function receive(receiver, payload, headers) {
  const delivery = {
    payload, headers, event: undefined, type: undefined, key: undefined, token: undefined, context: undefined, queued: false,
  };
  for (const step of receiver.steps) {
    let answer = step(delivery, receiver);
    if (answer instanceof Promise) answer = await answer;
    if (answer !== undefined) return answer;
  }
  throw new Error('elenik-webhooks: the last step gave no answer');
}
