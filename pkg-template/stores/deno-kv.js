// denoKvStore(kv, options): the delivery guard's store on Deno KV (`await Deno.openKv()`), local
// (SQLite) or Deno Deploy's. Every write is an atomic operation checked on the versionstamp of
// the entry it read, so two receivers can never both claim one key: the second commit fails, and
// it reads again.
//
// The entry holds { token, until } while claimed and { done: true, until } once completed. KV's
// expireIn deletes an entry only some time after it expires, so `until` is what counts; expireIn
// just keeps the database from growing.

import { checkKeyAndToken, milliseconds } from './check.js';

/**
 * @param {Deno.Kv} kv
 * @param {{ prefix?: Deno.KvKey, now?: () => number }} [options] `now` (milliseconds), for tests
 */
export function denoKvStore(kv, options) {
  if (typeof kv?.get !== 'function' || typeof kv?.atomic !== 'function') {
    throw new TypeError('denoKvStore: takes a Deno.Kv (await Deno.openKv())');
  }
  const { prefix = ['elenik-dedupe'], now = Date.now } = options ?? {};
  if (!Array.isArray(prefix)) throw new TypeError('denoKvStore: prefix must be a Deno KV key (an array)');
  if (typeof now !== 'function') throw new TypeError('denoKvStore: now must be a function returning milliseconds');

  const read = async (key, token) => {
    checkKeyAndToken(key, token);
    const entry = await kv.get([...prefix, key]);
    const at = now();
    const live = entry.value && entry.value.until > at ? entry.value : undefined;
    return { entry, at, live, holds: Boolean(live && !live.done && live.token === token) };
  };
  // Writes `value` (or deletes, with undefined) only if the entry is still the one read.
  const commit = async (entry, value, ms) => {
    const op = kv.atomic().check(entry);
    if (value === undefined) op.delete(entry.key);
    else op.set(entry.key, value, { expireIn: Math.ceil(ms) });
    return (await op.commit()).ok;
  };

  return {
    async claim(key, token, leaseSeconds) {
      const ms = milliseconds(leaseSeconds, 'leaseSeconds');
      // A failed check means another writer changed the entry between read and commit: read again.
      for (let attempt = 0; attempt < 100; attempt++) {
        const { entry, at, live } = await read(key, token);
        if (live) return live.done ? 'done' : 'processing';
        if (await commit(entry, { token, until: at + ms }, ms)) return 'claimed';
      }
      throw new Error('denoKvStore: claim kept conflicting');
    },
    async complete(key, token, ttlSeconds) {
      const ms = milliseconds(ttlSeconds, 'ttlSeconds');
      const { entry, at, holds } = await read(key, token);
      // Only the holder writes; if the check fails, someone else's write came in between.
      return holds && (await commit(entry, { done: true, until: at + ms }, ms));
    },
    async release(key, token) {
      const { entry, holds } = await read(key, token);
      return holds && (await commit(entry, undefined));
    },
  };
}
