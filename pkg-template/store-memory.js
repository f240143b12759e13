// memoryStore(): the receiver's default duplicate guard, one Map in this process. It guards one
// process only: several instances need a store they share (Redis, a Durable Object).
//
// Each key holds { token, done, expires }. A Map keeps insertion order, so its first key is the
// oldest: past maxEntries the oldest entry goes first, and `complete` moves its key to the end.

const DEFAULT_MAX_ENTRIES = 10_000;

export function memoryStore(options = {}) {
  const { maxEntries = DEFAULT_MAX_ENTRIES, now = Date.now } = options ?? {};
  if (!(Number.isSafeInteger(maxEntries) && maxEntries >= 1)) {
    throw new RangeError('memoryStore: maxEntries must be a positive integer');
  }
  if (typeof now !== 'function') throw new TypeError('memoryStore: now must be a function returning milliseconds');
  const entries = new Map();

  // The entry for key while its lease or TTL runs; an expired one is dropped.
  const live = (key, at) => {
    const entry = entries.get(key);
    if (entry === undefined) return undefined;
    if (entry.expires > at) return entry;
    entries.delete(key);
    return undefined;
  };

  return {
    async claim(key, token, leaseSeconds) {
      const at = now();
      const entry = live(key, at);
      if (entry) return entry.done ? 'done' : 'processing';
      entries.set(key, { token, done: false, expires: at + leaseSeconds * 1000 });
      if (entries.size > maxEntries) entries.delete(entries.keys().next().value);
      return 'claimed';
    },
    async complete(key, token, ttlSeconds) {
      const at = now();
      const entry = live(key, at);
      if (!entry || entry.done || entry.token !== token) return false;
      entries.delete(key);
      entries.set(key, { token, done: true, expires: at + ttlSeconds * 1000 });
      return true;
    },
    async release(key, token) {
      const entry = live(key, now());
      if (!entry || entry.done || entry.token !== token) return false;
      entries.delete(key);
      return true;
    },
    /** How many keys are held (claimed or done), expired ones included until touched or evicted. */
    get size() {
      return entries.size;
    },
    maxEntries,
  };
}
