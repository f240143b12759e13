// The duplicate guard: the delivery key, and a claim on it in a store for as long as the handlers
// run (claim, then complete or release). With `dedupe: false` the receiver gets NO_GUARD, which
// claims nothing and always lets the delivery through, so the request path has one shape.
import { deliveryKey } from '../core/glue.js';
import { memoryStore } from '../stores/memory.js';

const DEFAULT_LEASE_SECONDS = 60;
const DEFAULT_TTL_SECONDS = 7 * 24 * 60 * 60;

/**
 * The guard for createReceiver's `dedupe` option: false, a store, or { store, key, leaseSeconds,
 * ttlSeconds }. Throws on a malformed option, at start-up.
 */
export function createGuard(dedupe) {
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
  return {
    store,
    leaseSeconds,
    ttlSeconds,
    /** The delivery key: the user's `key(event, body)`, else the hex SHA-256 of the body. */
    async key(event, payload) {
      const value = key ? await key(event, payload) : deliveryKey(payload);
      if (typeof value !== 'string' || value.length === 0) throw new TypeError('dedupe.key must return a non-empty string');
      return value;
    },
    /** 'claimed', 'processing' or 'done'; anything else the store answers is a failure. */
    async claim(deliveryKey, token) {
      const state = await store.claim(deliveryKey, token, leaseSeconds);
      if (state !== 'claimed' && state !== 'processing' && state !== 'done') {
        throw new TypeError(`store.claim returned ${JSON.stringify(state)}, not 'claimed', 'processing' or 'done'`);
      }
      return state;
    },
    /** A new claim's owner token. */
    token: () => crypto.randomUUID(),
    complete: (deliveryKey, token) => store.complete(deliveryKey, token, ttlSeconds),
    release: (deliveryKey, token) => store.release(deliveryKey, token),
  };
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
