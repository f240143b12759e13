// memoryStore(): the receiver's default duplicate guard, one Map in this process. It guards one
// process only: several instances need a store they share (Redis, a Durable Object).
//
// Each key holds an entry { key, token, done, expires } in a Map, and the entries form a doubly
// linked list from the oldest to the newest: past maxEntries the oldest goes first, and
// `complete` makes its entry the newest. (A Map's own order would do, but taking its first key
// after many deletions walks over their holes: slow exactly when the store is full.)

const DEFAULT_MAX_ENTRIES = 10_000;

/**
 * The store's operations answering at once instead of through a Promise, for the receiver's guard
 * (receiver/guard.js): a delivery then waits on no promise for a store that has nothing to wait for.
 */
export const SYNC = Symbol('elenik-webhooks.memoryStore.sync');

export function memoryStore(options = {}) {
  const { maxEntries = DEFAULT_MAX_ENTRIES, now = Date.now } = options ?? {};
  if (!(Number.isSafeInteger(maxEntries) && maxEntries >= 1)) {
    throw new RangeError('memoryStore: maxEntries must be a positive integer');
  }
  if (typeof now !== 'function') throw new TypeError('memoryStore: now must be a function returning milliseconds');
  const entries = new Map();
  let oldest = null;
  let newest = null;

  const unlink = (entry) => {
    if (entry.prev) entry.prev.next = entry.next;
    else oldest = entry.next;
    if (entry.next) entry.next.prev = entry.prev;
    else newest = entry.prev;
    entry.prev = entry.next = null;
  };
  const append = (entry) => {
    entry.prev = newest;
    if (newest) newest.next = entry;
    else oldest = entry;
    newest = entry;
  };
  const remove = (entry) => {
    unlink(entry);
    entries.delete(entry.key);
  };

  // The entry for key while its lease or TTL runs; an expired one is dropped.
  const live = (key, at) => {
    const entry = entries.get(key);
    if (entry === undefined) return undefined;
    if (entry.expires > at) return entry;
    remove(entry);
    return undefined;
  };

  const claim = (key, token, leaseSeconds) => {
    const at = now();
    const entry = live(key, at);
    if (entry) return entry.done ? 'done' : 'processing';
    const added = { key, token, done: false, expires: at + leaseSeconds * 1000, prev: null, next: null };
    entries.set(key, added);
    append(added);
    if (entries.size > maxEntries) remove(oldest);
    return 'claimed';
  };
  const complete = (key, token, ttlSeconds) => {
    const at = now();
    const entry = live(key, at);
    if (!entry || entry.done || entry.token !== token) return false;
    entry.done = true;
    entry.expires = at + ttlSeconds * 1000;
    unlink(entry);
    append(entry);
    return true;
  };
  const release = (key, token) => {
    const entry = live(key, now());
    if (!entry || entry.done || entry.token !== token) return false;
    remove(entry);
    return true;
  };

  return {
    claim: async (key, token, leaseSeconds) => claim(key, token, leaseSeconds),
    complete: async (key, token, ttlSeconds) => complete(key, token, ttlSeconds),
    release: async (key, token) => release(key, token),
    [SYNC]: { claim, complete, release },
    /** How many keys are held (claimed or done), expired ones included until touched or evicted. */
    get size() {
      return entries.size;
    },
    maxEntries,
  };
}
