// The duplicate guard: the delivery key, and a claim on it in a store for as long as the handlers
// run (claim, then complete or release). With `dedupe: false` the receiver gets NO_GUARD, which
// claims nothing and always lets the delivery through, so the request path has one shape.
import { deliveryKey } from '../core/glue.js';
import { memoryStore, SYNC } from '../stores/memory.js';
import { bounded, call, isThenable, TIMED_OUT, within } from './deadline.js';

const DEFAULT_LEASE_SECONDS = 60;
const DEFAULT_TTL_SECONDS = 7 * 24 * 60 * 60;
export const DEFAULT_STORE_TIMEOUT_MS = 5000;

/**
 * The guard for createReceiver's `dedupe` option: false, a store, or { store, key, leaseSeconds,
 * ttlSeconds }. Throws on a malformed option, at start-up. Every call into a store other than the
 * memory store, and into `key`, is bounded by `timeoutMs` (createReceiver's storeTimeoutMs): one
 * that never settles fails.
 */
export function createGuard(dedupe, timeoutMs = DEFAULT_STORE_TIMEOUT_MS) {
  if (dedupe === false) return NO_GUARD;
  const options = dedupe === undefined || dedupe === true ? {} : isStore(dedupe) ? { store: dedupe } : dedupe;
  if (options === null || typeof options !== 'object') {
    throw new TypeError('createReceiver: dedupe must be a store, { store, key?, leaseSeconds?, ttlSeconds? }, or false');
  }
  const { store = memoryStore(), key, leaseSeconds = DEFAULT_LEASE_SECONDS, ttlSeconds = DEFAULT_TTL_SECONDS } = options;
  if (!isStore(store)) throw new TypeError('createReceiver: dedupe.store must have claim, complete and release methods');
  if (key !== undefined) checkFunction('createReceiver: dedupe.key', key);
  for (const [name, value] of [['leaseSeconds', leaseSeconds], ['ttlSeconds', ttlSeconds]]) {
    if (!(typeof value === 'number' && Number.isFinite(value) && value > 0)) {
      throw new RangeError(`createReceiver: dedupe.${name} must be a positive number of seconds`);
    }
  }
  // The memory store's operations without their Promise (stores/memory.js SYNC), when it is one.
  const now = store[SYNC];
  return {
    store,
    leaseSeconds,
    ttlSeconds,
    /**
     * The key is the hex SHA-256 of the body: the verify step gets it with the event, in the same
     * call into Wasm (receiver/steps.js), and `key` is not called.
     */
    hashesBody: key === undefined,
    /**
     * The delivery key: the user's `key(event, body)`, checked (a Promise when it returned a
     * thenable), else the hex SHA-256 of the body.
     */
    key(event, payload) {
      if (!key) return deliveryKey(payload);
      const value = key(event, payload);
      if (!isThenable(value)) return checkKey(value);
      return within(Promise.resolve(value), timeoutMs).then((settled) => {
        if (settled === TIMED_OUT) throw new Error(`elenik-webhooks: dedupe.key did not settle within storeTimeoutMs (${timeoutMs} ms)`);
        return checkKey(settled);
      });
    },
    /**
     * 'claimed', 'processing' or 'done' (a Promise of it when the store answers with one); anything
     * else the store answers is a failure.
     */
    claim(deliveryKey, token) {
      if (now) return checkState(now.claim(deliveryKey, token, leaseSeconds));
      return claimWithin(store, deliveryKey, token, leaseSeconds, timeoutMs);
    },
    /**
     * A new claim's owner token: a UUID. The memory store's own operations (SYNC) only compare it
     * within this process, so there it is a counter, which allocates nothing.
     */
    token: now ? () => (claims += 1) : () => crypto.randomUUID(),
    complete: now
      ? (deliveryKey, token) => now.complete(deliveryKey, token, ttlSeconds)
      : (deliveryKey, token) => bounded('store.complete', timeoutMs, () => store.complete(deliveryKey, token, ttlSeconds)),
    release: now
      ? (deliveryKey, token) => now.release(deliveryKey, token)
      : (deliveryKey, token) => bounded('store.release', timeoutMs, () => store.release(deliveryKey, token)),
  };
}

/**
 * No store: every delivery is new. Its key is computed only if a handler reads
 * `context.deliveryKey` (key() answers null).
 */
export const NO_GUARD = Object.freeze({
  store: null,
  hashesBody: false,
  key: () => null,
  token: () => '',
  claim: () => 'claimed',
  complete: () => true,
  release: () => true,
});

let claims = 0; // the memory store's tokens

function checkState(state) {
  if (state !== 'claimed' && state !== 'processing' && state !== 'done') {
    throw new TypeError(`store.claim returned ${describe(state)}, not 'claimed', 'processing' or 'done'`);
  }
  return state;
}

/**
 * A store's claim within `timeoutMs`. A claim granted after the deadline, or an answer that is not
 * one of the three words (the store may hold a claim all the same), is released: nobody runs or
 * completes this delivery (release compares the token, so this is safe).
 */
async function claimWithin(store, deliveryKey, token, leaseSeconds, timeoutMs) {
  const free = () => call(() => store.release(deliveryKey, token)).catch(() => {});
  const pending = call(() => store.claim(deliveryKey, token, leaseSeconds));
  const state = await within(pending, timeoutMs);
  if (state === TIMED_OUT) {
    pending.then((late) => late === 'claimed' && free(), () => {});
    throw new Error(`elenik-webhooks: store.claim did not settle within storeTimeoutMs (${timeoutMs} ms)`);
  }
  if (state !== 'claimed' && state !== 'processing' && state !== 'done') free();
  return checkState(state);
}

/** A store's junk answer, for the log: never throws (JSON.stringify may, on a BigInt or a cycle). */
function describe(value) {
  try {
    return typeof value === 'string' ? JSON.stringify(value) : typeof value === 'object' && value !== null ? 'an object' : String(value);
  } catch {
    return typeof value;
  }
}

function checkKey(value) {
  if (typeof value !== 'string' || value.length === 0) throw new TypeError('dedupe.key must return a non-empty string');
  return value;
}

export const isStore = (value) =>
  value !== null &&
  typeof value === 'object' &&
  typeof value.claim === 'function' &&
  typeof value.complete === 'function' &&
  typeof value.release === 'function';

export function checkFunction(where, value) {
  if (typeof value !== 'function') throw new TypeError(`${where}: expected a function`);
  return value;
}
