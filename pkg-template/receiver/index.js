// createReceiver(): verified, typed, deduplicated webhook handling. The request path is a sequence
// of named steps (steps.js) over this receiver's state; `fetch` and `node` (adapters.js) only move
// bytes and statuses. core/api.js re-exports it. It imports the glue (which loads the Wasm)
// directly, not api.js: an import cycle made webpack inline the Node.js loader out of Next.js's
// file trace.
import { checkBodyLimit, DEFAULT_MAX_BODY_BYTES } from '../core/body.js';
import { Verifier } from '../core/glue.js';
import { fetchAdapter, nodeAdapter } from './adapters.js';
import { checkFunction, createGuard } from './guard.js';
import { batchConsumer, consumer } from './consume.js';
import { QUEUE_STEPS, receive as runSteps, STEPS } from './steps.js';

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

export function createReceiver(options = {}) {
  const { secret, maxBodyBytes = DEFAULT_MAX_BODY_BYTES, dedupe, queue, logger = console } = options ?? {};
  checkBodyLimit(maxBodyBytes, 'createReceiver: ');
  const handlers = { typed: new Map(), any: [], errors: [] }; // typed: event type -> handlers, in order
  const state = {
    maxBodyBytes,
    verifier: verifierFor(secret),
    guard: createGuard(dedupe),
    queue: checkQueue(queue),
    steps: STEPS,
    handlers,
    // A logger that throws is a logger that failed: the request is answered all the same.
    log(level, ...args) {
      try {
        if (logger && typeof logger[level] === 'function') logger[level](...args);
      } catch {
        // Nowhere left to report it.
      }
    },
  };
  // With a queue, the request path enqueues instead of running the handlers (steps.js).
  if (state.queue) state.steps = QUEUE_STEPS;
  const receive = (payload, headers) => runSteps(state, payload, headers);
  const consume = consumer(state);

  const receiver = {
    on(type, handler) {
      const types = Array.isArray(type) ? type : [type];
      if (types.length === 0 || !types.every((t) => typeof t === 'string' && t.length > 0)) {
        throw new TypeError('receiver.on: type must be an event type or a non-empty array of them');
      }
      checkFunction('receiver.on', handler);
      for (const t of types) {
        if (!handlers.typed.has(t)) handlers.typed.set(t, []);
        handlers.typed.get(t).push(handler);
      }
      return receiver;
    },
    onAny(handler) {
      handlers.any.push(checkFunction('receiver.onAny', handler));
      return receiver;
    },
    onError(handler) {
      handlers.errors.push(checkFunction('receiver.onError', handler));
      return receiver;
    },
    receive,
    consume,
    queue: batchConsumer(state, consume),
    fetch: fetchAdapter(state, receive),
    node: nodeAdapter(state, receive),
  };
  return receiver;
}

/**
 * The Verifier for `secret`, as a function. Built at once: the HMAC key state is computed here,
 * and a missing secret fails at start-up. A function is called on the first request instead
 * (where a build step such as `next build` loads the module without the runtime's secrets);
 * until it gives a valid secret, every request is answered 500 INVALID_SECRET.
 */
function verifierFor(secret) {
  const toVerifier = (value) => (value instanceof Verifier ? value : new Verifier(value));
  if (typeof secret !== 'function') {
    const verifier = toVerifier(secret);
    return () => verifier;
  }
  let verifier = null;
  return () => (verifier ??= toVerifier(secret()));
}
