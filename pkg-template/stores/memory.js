// memoryStore(): the receiver's default duplicate guard, one Map in this process. It guards one
// process only: several instances need a store they share (Redis, a Durable Object).
//
// Each key holds an entry { key, token, done, expires } in a Map. The entries also sit in one of
// two doubly linked lists, oldest first: live claims (handlers running) and done markers. Past
// maxEntries a new claim makes room by dropping the oldest done marker, else an expired claim;
// a live claim is never dropped (that would let a copy of its delivery run at the same time), so a
// store full of live claims refuses new ones (claim throws STORE_FULL: the receiver answers 503).
// (A Map's own order would do for one list, but taking its first key after many deletions walks
// over their holes: slow exactly when the store is full.)

const DEFAULT_MAX_ENTRIES = 10_000;

/**
 * The store's operations answering at once instead of through a Promise, for the receiver's guard
 * (receiver/guard.js): a delivery then waits on no promise (and no storeTimeoutMs timer) for a
 * store that has nothing to wait for.
 */
export const SYNC = Symbol('elenik-webhooks.memoryStore.sync');

const newList = () => ({ oldest: null, newest: null });

function unlink(entry) {
  const list = entry.list;
  if (entry.prev) entry.prev.next = entry.next;
  else list.oldest = entry.next;
  if (entry.next) entry.next.prev = entry.prev;
  else list.newest = entry.prev;
  entry.prev = entry.next = entry.list = null;
}

function append(list, entry) {
  entry.list = list;
  entry.prev = list.newest;
  if (list.newest) list.newest.next = entry;
  else list.oldest = entry;
  list.newest = entry;
}

/** The error `claim` throws when every entry is a live claim: the receiver answers 503. */
function storeFull(maxEntries) {
  const error = new Error(
    `memoryStore: all ${maxEntries} entries are deliveries still being handled; none is dropped ` +
      'while its handlers run, so this delivery is refused (raise maxEntries if this is expected)',
  );
  error.code = 'STORE_FULL';
  return error;
}

export function memoryStore(options = {}) {
  const { maxEntries = DEFAULT_MAX_ENTRIES, now = Date.now } = options ?? {};
  if (!(Number.isSafeInteger(maxEntries) && maxEntries >= 1)) {
    throw new RangeError('memoryStore: maxEntries must be a positive integer');
  }
  if (typeof now !== 'function') throw new TypeError('memoryStore: now must be a function returning milliseconds');
  const entries = new Map();
  const claims = newList();
  const done = newList();

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

  // Room for one more entry: the oldest done marker goes, else the oldest claim if its lease ran out.
  const makeRoom = (at) => {
    if (entries.size < maxEntries) return true;
    const victim = done.oldest ?? (claims.oldest && claims.oldest.expires <= at ? claims.oldest : null);
    if (victim === null) return false;
    remove(victim);
    return true;
  };

  const claim = (key, token, leaseSeconds) => {
    const at = now();
    const entry = live(key, at);
    if (entry) return entry.done ? 'done' : 'processing';
    if (!makeRoom(at)) throw storeFull(maxEntries);
    const added = { key, token, done: false, expires: at + leaseSeconds * 1000, prev: null, next: null, list: null };
    entries.set(key, added);
    append(claims, added);
    return 'claimed';
  };
  const complete = (key, token, ttlSeconds) => {
    const at = now();
    const entry = live(key, at);
    if (!entry || entry.done || entry.token !== token) return false;
    entry.done = true;
    entry.expires = at + ttlSeconds * 1000;
    unlink(entry);
    append(done, entry);
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
