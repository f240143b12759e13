// createReceiver(): verified, typed, deduplicated webhook handling. The request path is a sequence
// of named steps (steps.js) over this receiver's state; `fetch` and `node` (adapters.js) only move
// bytes and statuses. core/api.js re-exports it. It imports the glue (which loads the Wasm)
// directly, not api.js: an import cycle made webpack inline the Node.js loader out of Next.js's
// file trace.
import { checkBodyLimit, DEFAULT_MAX_BODY_BYTES } from '../core/body.js';
import { WebhookVerificationError } from '../core/error.js';
import { Verifier } from '../core/glue.js';
import { fetchAdapter, nodeAdapter } from './adapters.js';
import { checkMs, TIMED_OUT, within } from './deadline.js';
import { checkFunction, createGuard, DEFAULT_STORE_TIMEOUT_MS } from './guard.js';
import { receive as runSteps } from './steps.js';

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
    logger = console,
    handlerTimeoutMs = DEFAULT_HANDLER_TIMEOUT_MS,
    storeTimeoutMs = DEFAULT_STORE_TIMEOUT_MS,
  } = options ?? {};
  checkBodyLimit(maxBodyBytes, 'createReceiver: ');
  checkMs(handlerTimeoutMs, 'handlerTimeoutMs');
  checkMs(storeTimeoutMs, 'storeTimeoutMs');
  const handlers = { typed: new Map(), any: [], errors: [] }; // typed: event type -> handlers, in order
  const state = {
    maxBodyBytes,
    handlerTimeoutMs,
    verifier: verifierFor(secret, storeTimeoutMs, (...args) => state.log(...args)),
    guard: createGuard(dedupe, storeTimeoutMs),
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
  const receive = (payload, headers) => runSteps(state, payload, headers);
  // fetch also hands over the platform's waitUntil (Workers' ctx), for handlers past their deadline.
  const receiveWithin = (payload, headers, waitUntil) => runSteps(state, payload, headers, waitUntil);

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
    fetch: fetchAdapter(state, receiveWithin),
    node: nodeAdapter(state, receive),
  };
  return receiver;
}

/**
 * The Verifier for `secret`, as a function. Built at once: the HMAC key state is computed here,
 * and a missing secret fails at start-up. A function is called on the first request instead
 * (where a build step such as `next build` loads the module without the runtime's secrets), and
 * may be async: its Promise is awaited (within storeTimeoutMs) by every request until it settles,
 * and its Verifier kept. Until it gives a valid secret, every request is answered 500
 * INVALID_SECRET. The function returned gives a Verifier, a Promise of one, or throws
 * INVALID_SECRET, also for a Verifier that has since been freed.
 */
function verifierFor(secret, timeoutMs, log) {
  if (typeof secret !== 'function') {
    const verifier = toVerifier(secret, 'the Verifier given as secret has been freed');
    return () => live(verifier, 'the Verifier given as secret has been freed');
  }
  let verifier = null;
  let pending = null;
  const fail = (why, cause) => {
    log('error', `elenik-webhooks: ${why}; answered 500 INVALID_SECRET`, ...(cause === undefined ? [] : [cause]));
    return invalidSecret(why);
  };
  const keep = (value) => {
    try {
      return (verifier = toVerifier(value, 'the secret function gave a freed Verifier'));
    } catch (error) {
      if (error instanceof WebhookVerificationError) throw error;
      throw fail('the secret function gave no valid secret', error);
    }
  };
  return () => {
    if (verifier !== null && isLive(verifier)) return verifier;
    verifier = null;
    if (pending !== null) return pending;
    let value;
    try {
      value = secret();
      if (!isThenable(value)) return keep(value);
    } catch (error) {
      if (error instanceof WebhookVerificationError && error.code === 'INVALID_SECRET') throw error;
      throw fail('the secret function threw', error);
    }
    const settle = (settled) => {
      if (settled === TIMED_OUT) throw fail(`the secret function's Promise did not settle within storeTimeoutMs (${timeoutMs} ms)`);
      return keep(settled);
    };
    pending = within(Promise.resolve(value), timeoutMs).then(settle, (error) => {
      throw fail("the secret function's Promise rejected", error);
    });
    const done = () => (pending = null);
    pending.then(done, done);
    return pending;
  };
}

const toVerifier = (value, freedWhy) => (value instanceof Verifier ? live(value, freedWhy) : new Verifier(value));

function isLive(verifier) {
  try {
    return verifier.secretCount > 0;
  } catch {
    return false;
  }
}

function live(verifier, why) {
  if (!isLive(verifier)) throw invalidSecret(why);
  return verifier;
}

/** Whether `value` is a Promise or another thenable (reading `then` may throw: the caller catches). */
const isThenable = (value) => value !== null && (typeof value === 'object' || typeof value === 'function') && typeof value.then === 'function';

/** 500 INVALID_SECRET saying why; a cause (which may quote a secret) goes to the server's log only. */
const invalidSecret = (why) => new WebhookVerificationError('INVALID_SECRET', `invalid secret: ${why}`);
