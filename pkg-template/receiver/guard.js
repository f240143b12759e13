// The duplicate guard: the delivery key, and a claim on it in a store for as long as the handlers
// run (claim, then complete or release). With `dedupe: false` the receiver gets NO_GUARD, which
// claims nothing and always lets the delivery through, so the request path has one shape.
import { deliveryKey } from '../core/glue.js';
import { memoryStore, SETTLES_AT_ONCE } from '../stores/memory.js';
import { bounded, call, TIMED_OUT, within } from './deadline.js';

const DEFAULT_LEASE_SECONDS = 60;
const DEFAULT_TTL_SECONDS = 7 * 24 * 60 * 60;
export const DEFAULT_STORE_TIMEOUT_MS = 5000;

/**
 * The guard for createReceiver's `dedupe` option: false, a store, or { store, key, leaseSeconds,
 * ttlSeconds }. Throws on a malformed option, at start-up. Every call into the store and into
 * `key` is bounded by `timeoutMs` (createReceiver's storeTimeoutMs): one that never settles fails.
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
  // The in-process store never hangs: no timer for it (within() sets none for undefined).
  const storeMs = store[SETTLES_AT_ONCE] === true ? undefined : timeoutMs;
  return {
    store,
    leaseSeconds,
    ttlSeconds,
    /** The delivery key: the user's `key(event, body)`, else the hex SHA-256 of the body. */
    async key(event, payload) {
      const value = key ? await bounded('dedupe.key', timeoutMs, () => key(event, payload)) : deliveryKey(payload);
      if (typeof value !== 'string' || value.length === 0) throw new TypeError('dedupe.key must return a non-empty string');
      return value;
    },
    /** 'claimed', 'processing' or 'done'; anything else the store answers, or none in time, is a failure. */
    async claim(deliveryKey, token) {
      const pending = call(() => store.claim(deliveryKey, token, leaseSeconds));
      const state = await within(pending, storeMs);
      if (state === TIMED_OUT) {
        // Should it claim after all, free the claim: nobody runs or completes this delivery.
        pending.then(
          (late) => late === 'claimed' && call(() => store.release(deliveryKey, token)).catch(() => {}),
          () => {},
        );
        throw new Error(`elenik-webhooks: store.claim did not settle within storeTimeoutMs (${timeoutMs} ms)`);
      }
      if (state !== 'claimed' && state !== 'processing' && state !== 'done') {
        // It may hold a claim all the same: free it (release compares the token, so this is safe).
        call(() => store.release(deliveryKey, token)).catch(() => {});
        throw new TypeError(`store.claim returned ${describe(state)}, not 'claimed', 'processing' or 'done'`);
      }
      return state;
    },
    /** A new claim's owner token. */
    token: () => crypto.randomUUID(),
    complete: (deliveryKey, token) => bounded('store.complete', storeMs, () => store.complete(deliveryKey, token, ttlSeconds)),
    release: (deliveryKey, token) => bounded('store.release', storeMs, () => store.release(deliveryKey, token)),
  };
}

/** A store's junk answer, for the log: never throws (JSON.stringify may, on a BigInt or a cycle). */
function describe(value) {
  try {
    return typeof value === 'string' ? JSON.stringify(value) : typeof value === 'object' && value !== null ? 'an object' : String(value);
  } catch {
    return typeof value;
  }
}

/**
 * No store: every delivery is new. Its key is computed only if a handler reads
 * `context.deliveryKey` (key() answers null).
 */
export const NO_GUARD = Object.freeze({
  store: null,
  key: () => null,
  token: () => '',
  claim: () => 'claimed',
  complete: () => true,
  release: () => true,
});

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
