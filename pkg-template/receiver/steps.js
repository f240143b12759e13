// The request path of createReceiver, as named steps: verify → key → claim → run → complete, or
// with the `queue` option verify → key → claim → enqueue → complete.
// Each step takes the delivery (this request's own state) and the receiver's state, and returns
// undefined to go on, or an answer (answers.js) that ends the request. A step may be async;
// receive() awaits only the ones that return a Promise.
import { tooLarge } from '../core/body.js';
import { deliveryKey, verifyDelivery } from '../core/glue.js';
import { duplicate, failure, isVerificationError, queued, received, rejected } from './answers.js';
import { call, isThenable, monotonicNow, TIMED_OUT, within } from './deadline.js';
import { byteLength } from './inputs.js';
import { toMessage } from './message.js';

/**
 * verify: size, secret, signature and event. Nothing unverified reaches the store or a handler.
 * Sets `delivery.event` and `delivery.type`; when the guard's key is the body's SHA-256, also
 * `delivery.key`, from the same call into Wasm (the body is copied there once).
 */
export function verify(delivery, receiver) {
  const { payload, headers } = delivery;
  let verifier;
  try {
    // A Verifier, a Promise of one (an async secret function, on its first requests), or a throw
    // of INVALID_SECRET (index.js's verifierFor).
    verifier = receiver.verifier();
  } catch (error) {
    return rejected(error);
  }
  if (verifier instanceof Promise) return verifier.then(() => verify(delivery, receiver), rejected);
  try {
    if (byteLength(payload, receiver.maxBodyBytes) > receiver.maxBodyBytes) throw tooLarge(receiver.maxBodyBytes);
    const verified = verifyDelivery(verifier, payload, headers, receiver.guard.hashesBody);
    delivery.event = verified.event;
    if (verified.key !== null) delivery.key = verified.key;
  } catch (error) {
    if (!isVerificationError(error)) throw error;
    return rejected(error);
  }
  delivery.type = String(delivery.event.event);
}

/**
 * key: the delivery key the guard claims, and the handlers' context. The default key came with the
 * event (verify); the user's `dedupe.key` runs here, and only it may make this step async. Without
 * a guard the key is hashed only if a handler reads `context.deliveryKey`.
 */
export function key(delivery, receiver) {
  if (delivery.key !== undefined) return setContext(delivery);
  return settle(() => receiver.guard.key(delivery.event, delivery.payload), keyed, keyFailed, delivery, receiver);
}

/** The key step with the key in hand (checked by the guard): the handlers' context. */
function keyed(value, delivery) {
  delivery.key = value;
  setContext(delivery);
}

function keyFailed(error, delivery, receiver) {
  receiver.log('error', 'elenik-webhooks: dedupe.key failed; answered 500', error);
  return failure('DEDUPE_KEY_FAILED', delivery.event);
}

function setContext(delivery) {
  const { event, headers } = delivery;
  delivery.context = delivery.key !== null ? { deliveryKey: delivery.key, event, headers } : new LazyKeyContext(delivery);
}

/**
 * The handlers' context without a guard: `deliveryKey` is hashed on first read. A class, so that
 * each request makes no getter closure of its own.
 */
class LazyKeyContext {
  #delivery;

  constructor(delivery) {
    this.#delivery = delivery;
    this.event = delivery.event;
    this.headers = delivery.headers;
  }

  get deliveryKey() {
    const delivery = this.#delivery;
    return (delivery.key ??= deliveryKey(delivery.payload));
  }
}

/**
 * claim: the delivery for this request, or the answer for a duplicate or one in progress. Async
 * only when the store answers with a Promise (the memory store answers at once).
 */
export function claim(delivery, receiver) {
  const { guard } = receiver;
  delivery.token = guard.token();
  return settle(() => guard.claim(delivery.key, delivery.token), claimed, claimFailed, delivery, receiver);
}

function claimed(state, delivery) {
  if (state === 'done') return duplicate(delivery.event);
  if (state === 'processing') return failure('DELIVERY_IN_PROGRESS', delivery.event);
  delivery.claimed = true;
}

function claimFailed(error, delivery, receiver) {
  receiver.log('error', 'elenik-webhooks: the dedupe store failed to claim a delivery; answered 503', error);
  return failure('STORE_UNAVAILABLE', delivery.event);
}

/**
 * run: the typed handlers, then onAny, one by one, within handlerTimeoutMs. When one throws:
 * onError (or the log), then the claim is released so that Elenik's retry runs the delivery again.
 * When they have not settled in time: 503 HANDLER_TIMEOUT at once, and the claim is kept until
 * they do (a retry meanwhile gets 409), then completed or released as it would have been.
 * Handlers that return no Promise run here and now: the step is async, and the deadline's timer
 * set, only from the first handler that returns a thenable (or throws).
 */
export function run(delivery, receiver) {
  const { handlers } = receiver;
  const typed = handlers.typed.get(delivery.type) ?? NONE;
  const count = typed.length + handlers.any.length;
  if (count === 0) return; // nothing to run, nothing to time
  const started = monotonicNow();
  // Each handler as `invoke(handler)`: timed (and traced) when an onDelivery hook or telemetry reads it.
  const invoke = receiver.observer?.caller(delivery, delivery.record) ?? ((handler) => handler(delivery.event, delivery.context));
  const at = (i) => (i < typed.length ? typed[i] : handlers.any[i - typed.length]);
  for (let i = 0; i < count; i += 1) {
    let pending;
    try {
      const result = invoke(at(i));
      // Reading a hostile `then` may throw: that is this handler failing, as `await` would have it.
      if (isThenable(result)) pending = result;
    } catch (error) {
      return deadline(failed(error, delivery, receiver), delivery, receiver, started);
    }
    if (pending !== undefined) return deadline(rest(pending, i + 1, count, at, invoke, delivery, receiver), delivery, receiver, started);
  }
}

const NONE = Object.freeze([]);

/** The handlers from the one that returned `pending` on; undefined when all succeeded, else the HANDLER_FAILED answer. Never rejects. */
async function rest(pending, next, count, at, invoke, delivery, receiver) {
  try {
    await pending;
    for (let i = next; i < count; i += 1) await invoke(at(i));
  } catch (error) {
    return failed(error, delivery, receiver);
  }
}

/** A handler threw: onError handlers, then the claim is released; the HANDLER_FAILED answer. */
async function failed(error, delivery, receiver) {
  await handlerFailed(error, delivery, receiver, 'answered 500');
  await release(delivery, receiver);
  return failure('HANDLER_FAILED', delivery.event);
}

/**
 * The answer of `work` (the handlers still running) if it settles within what is left of
 * handlerTimeoutMs since `started`, else HANDLER_TIMEOUT; the late work then completes or
 * releases the claim itself.
 */
async function deadline(work, delivery, receiver, started) {
  const { handlerTimeoutMs } = receiver;
  const left = handlerTimeoutMs === undefined ? undefined : Math.max(0, handlerTimeoutMs - (monotonicNow() - started));
  const answer = await within(work, left);
  if (answer !== TIMED_OUT) return answer;
  receiver.log(
    'error',
    `elenik-webhooks: the handlers for ${delivery.type} did not settle within handlerTimeoutMs ` +
      `(${handlerTimeoutMs} ms); answered 503, and the delivery stays claimed until they do`,
  );
  delivery.late = work.then((late) => (late === undefined ? complete(delivery, receiver) : late));
  if (delivery.waitUntil) {
    try {
      delivery.waitUntil(delivery.late);
    } catch (error) {
      receiver.log('warn', 'elenik-webhooks: waitUntil refused the handlers still running', error);
    }
  }
  return failure('HANDLER_TIMEOUT', delivery.event);
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

/** The typed handlers, then onAny, one by one, each through `call`; the first that throws stops them. */
export async function runHandlers({ event, type, context }, { handlers }, call = (handler) => handler(event, context)) {
  const typed = handlers.typed.get(type);
  if (typed) for (const handler of typed) await call(handler);
  for (const handler of handlers.any) await call(handler);
}

/** A handler threw: onError handlers (each may throw too), or the log when there are none. */
export async function handlerFailed(error, { type, context }, receiver, outcome) {
  const { handlers } = receiver;
  if (handlers.errors.length === 0) receiver.log('error', `elenik-webhooks: a handler failed for ${type}; ${outcome}`, error);
  for (const handler of handlers.errors) {
    // Bounded too (handlerTimeoutMs): an onError that never settles must not keep the claim forever.
    const settled = await within(call(() => handler(error, context)), receiver.handlerTimeoutMs).catch((inner) => {
      receiver.log('error', 'elenik-webhooks: an onError handler threw', inner);
    });
    if (settled === TIMED_OUT) receiver.log('error', 'elenik-webhooks: an onError handler did not settle within handlerTimeoutMs');
  }
}

/**
 * complete: the delivery is remembered as done. The work is done even when that fails. Async only
 * when the store answers with a Promise.
 */
export function complete(delivery, receiver) {
  delivery.claimed = false;
  return settle(() => receiver.guard.complete(delivery.key, delivery.token), completed, notCompleted, delivery, receiver);
}

function completed(done, delivery, receiver) {
  return done === true ? answered(delivery) : notCompleted(undefined, delivery, receiver);
}

function notCompleted(failed, delivery, receiver) {
  receiver.log(
    'warn',
    'elenik-webhooks: handled, but the dedupe store did not record it as done ' +
      '(its lease ran out, or the store failed); a retry of this delivery would run again',
    ...(failed ? [failed] : []),
  );
  return answered(delivery);
}

/** 200: handled, or (with a queue) queued. */
const answered = (delivery) => (delivery.queued ? queued(delivery.event, delivery.type) : received(delivery.event, delivery.type));

/**
 * `onValue(value, delivery, receiver)` with what `call()` returns, at once, or once it resolves
 * when it is a thenable; `onError(error, …)` when it throws or rejects.
 */
function settle(call, onValue, onError, delivery, receiver) {
  let value;
  let thenable;
  try {
    value = call();
    thenable = isThenable(value); // a hostile `then` getter throws here, not later
  } catch (error) {
    return onError(error, delivery, receiver);
  }
  if (!thenable) return onValue(value, delivery, receiver);
  return Promise.resolve(value).then(
    (resolved) => onValue(resolved, delivery, receiver),
    (error) => onError(error, delivery, receiver),
  );
}

/** Frees a claim whose handlers failed (or the queue refused), so that a retry runs them again. */
async function release(delivery, receiver) {
  delivery.claimed = false;
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

/**
 * Runs the receiver's steps (STEPS or QUEUE_STEPS, chosen by createReceiver) until one answers.
 * Every answer passes through the observer's settle() (logs, onDelivery, telemetry: observe.js);
 * `record` is the adapter's, else a new one. The answer comes at once while every step answers at
 * once, else as a Promise from the first step that returns one; that Promise always resolves. A
 * step that throws (a bug, or something supplied that misbehaved where no step expected it)
 * answers 500 INTERNAL_ERROR, and a claim this delivery holds is released. `waitUntil`: the
 * platform's (Workers' ctx.waitUntil), for handlers that outrun their deadline.
 */
export function receive(receiver, payload, headers, record = receiver.observer.begin(), waitUntil = undefined) {
  const delivery = {
    payload, headers, event: undefined, type: undefined, key: undefined, token: undefined, context: undefined, queued: false, record,
    claimed: false, waitUntil,
  };
  return walk(delivery, receiver, 0);
}

/** The steps from the `from`th on, as receive() describes. */
function walk(delivery, receiver, from) {
  const { steps } = receiver;
  try {
    for (let i = from; i < steps.length; i += 1) {
      const answer = steps[i](delivery, receiver);
      if (answer instanceof Promise) {
        return answer.then(
          (value) => (value === undefined ? walk(delivery, receiver, i + 1) : receiver.observer.settle(delivery.record, value, delivery)),
          (error) => broken(error, delivery, receiver),
        );
      }
      if (answer !== undefined) return receiver.observer.settle(delivery.record, answer, delivery);
    }
    throw new Error('elenik-webhooks: the last step gave no answer');
  } catch (error) {
    return broken(error, delivery, receiver);
  }
}

/** A step threw: 500 INTERNAL_ERROR, once the claim this delivery holds is released. */
async function broken(error, delivery, receiver) {
  receiver.log('error', 'elenik-webhooks: the receiver failed; answered 500', error);
  if (delivery.claimed) await release(delivery, receiver);
  return receiver.observer.settle(delivery.record, failure('INTERNAL_ERROR', delivery.event), delivery);
}
