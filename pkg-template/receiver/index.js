// createReceiver(): verified, typed, deduplicated webhook handling. The request path is a sequence
// of named steps (steps.js) over this receiver's state; `fetch` and `node` (adapters.js) only move
// bytes and statuses. core/api.js re-exports it. It imports the glue (which loads the Wasm)
// directly, not api.js: an import cycle made webpack inline the Node.js loader out of Next.js's
// file trace.
import { checkBodyLimit, DEFAULT_MAX_BODY_BYTES } from '../core/body.js';
import { EVENT_TYPES } from '../core/constants.js';
import { fetchAdapter, nodeAdapter } from './adapters.js';
import { checkMs } from './deadline.js';
import { checkFunction, createGuard, DEFAULT_STORE_TIMEOUT_MS } from './guard.js';
import { createObserver } from './observe.js';
import { batchConsumer, consumer } from './consume.js';
import { verifierFor } from './secret.js';
import { QUEUE_STEPS, receive as runSteps, STEPS } from './steps.js';
import { unknownTypeWarning } from './typo.js';

const DEFAULT_QUEUE_TIMEOUT_MS = 10_000;

/**
 * The `queue` option: anything with send(message) → Promise (queues/ has BullMQ, Cloudflare
 * Queues and Deno KV). Its `timeoutMs`, if any, bounds each send.
 */
function checkQueue(queue) {
  if (queue === undefined || queue === null || queue === false) return null;
  if (queue === null || typeof queue !== 'object' || typeof queue.send !== 'function') {
    throw new TypeError('createReceiver: queue must have a send(message) method (bullmqQueue, cloudflareQueue, denoKvQueue)');
  }
  const { timeoutMs = DEFAULT_QUEUE_TIMEOUT_MS } = queue;
  if (!(typeof timeoutMs === 'number' && timeoutMs > 0 && timeoutMs <= 2 ** 31 - 1)) {
    throw new RangeError('createReceiver: queue.timeoutMs must be a positive number of milliseconds');
  }
  return { send: (message) => queue.send(message), timeoutMs };
}

/**
 * How long the handlers of one delivery may run before the answer is 503 HANDLER_TIMEOUT: below
 * the time webhook senders commonly wait for an answer (10 to 30 seconds), so the sender hears a
 * retryable status rather than timing out itself, and long enough for handlers that do real work.
 */
export const DEFAULT_HANDLER_TIMEOUT_MS = 10_000;

export function createReceiver(options = {}) {
  const {
    secret,
    maxBodyBytes = DEFAULT_MAX_BODY_BYTES,
    dedupe,
    queue,
    handlerTimeoutMs = DEFAULT_HANDLER_TIMEOUT_MS,
    storeTimeoutMs = DEFAULT_STORE_TIMEOUT_MS,
  } = options ?? {};
  checkBodyLimit(maxBodyBytes, 'createReceiver: ');
  checkMs(handlerTimeoutMs, 'handlerTimeoutMs');
  checkMs(storeTimeoutMs, 'storeTimeoutMs');
  const handlers = { typed: new Map(), any: [], errors: [] }; // typed: event type -> handlers, in order
  // The secret as configured (a function's last answer), for the log's explainMismatch findings.
  let secretValue = secret;
  const observer = createObserver(options, () => secretValue);
  const state = {
    maxBodyBytes,
    handlerTimeoutMs,
    verifier: verifierFor(secret, storeTimeoutMs, (...args) => state.log(...args), (value) => (secretValue = value)),
    guard: createGuard(dedupe, storeTimeoutMs),
    queue: checkQueue(queue),
    steps: STEPS,
    handlers,
    observer,
    // Rate-limited per message (observe.js); a logger that throws changes no answer.
    log: (level, ...args) => observer.log(level, String(args[0]), () => args),
  };
  // The adapters pass the record they began (observe.js), so that it times the body read too.
  // fetch also passes the platform's waitUntil (Workers' ctx), for handlers past their deadline.
  const steps = (payload, headers, record, waitUntil) => runSteps(state, payload, headers, record, waitUntil);
  // receiver.receive always answers with a Promise, as documented.
  const receive = (payload, headers) => Promise.resolve(steps(payload, headers));

  // on: documented types (another is most likely a typo: warned, naming the closest documented
  // one); onUnknown: the opt-in for a type newer than this package, without the warning.
  const register = (where, type, handler) => {
    const types = Array.isArray(type) ? type : [type];
    if (types.length === 0 || !types.every((t) => typeof t === 'string' && t.length > 0)) {
      throw new TypeError(`${where}: type must be an event type or a non-empty array of them`);
    }
    checkFunction(where, handler);
    for (const t of types) {
      if (where === 'receiver.on' && !EVENT_TYPES.includes(t)) state.log('warn', unknownTypeWarning(t));
      if (!handlers.typed.has(t)) handlers.typed.set(t, []);
      handlers.typed.get(t).push(handler);
    }
    return receiver;
  };
  // With a queue, the request path enqueues instead of running the handlers (steps.js).
  if (state.queue) state.steps = QUEUE_STEPS;
  const consume = consumer(state);

  const receiver = {
    on: (type, handler) => register('receiver.on', type, handler),
    onUnknown: (type, handler) => register('receiver.onUnknown', type, handler),
    onAny(handler) {
      handlers.any.push(checkFunction('receiver.onAny', handler));
      return receiver;
    },
    onError(handler) {
      handlers.errors.push(checkFunction('receiver.onError', handler));
      return receiver;
    },
    onDelivery(hook) {
      observer.hooks.push(checkFunction('receiver.onDelivery', hook));
      return receiver;
    },
    receive,
    consume,
    queue: batchConsumer(state, consume),
    fetch: fetchAdapter(state, steps),
    node: nodeAdapter(state, steps),
  };
  return receiver;
}
