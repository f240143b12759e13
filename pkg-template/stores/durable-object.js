// durableObjectStore(namespace, options) and the Durable Object class ElenikDedupe: the delivery
// guard's store on Cloudflare Workers. KV is not offered: it is eventually consistent (a claim
// written in one location is seen elsewhere up to a minute later) and has no atomic
// compare-and-set, so two instances could both claim one delivery.
//
// One object per delivery key (idFromName(prefix + key)). A Durable Object is one single-threaded
// instance in the world, with strongly consistent storage, so a claim is atomic without any lock
// service. One object per key, rather than a few shards by key prefix: deliveries never queue
// behind each other in one object, there is no hot shard to size, and each object's alarm deletes
// its one record when it expires, so storage does not grow.
//
// ElenikDedupe is a plain class with constructor(state, env), fetch(request) and alarm(), as
// workerd calls it; it imports nothing from `cloudflare:workers`, so every entry of the package
// (Node.js, Deno, Bun, browsers) loads this module as it is.

import { checkKeyAndToken, milliseconds } from './check.js';

const RECORD = 'record';

/** What the object holds: { token, until } while claimed, { done: true, until } once completed. */
export class ElenikDedupe {
  constructor(state, env) {
    this.state = state;
    this.env = env;
    // Operations on this object run one after another. workerd's input gates already keep a
    // storage read and the write after it together; this keeps that true whatever a runtime does.
    this.queue = Promise.resolve();
  }

  async fetch(request) {
    let message;
    try {
      message = await request.json();
    } catch {
      return Response.json({ error: 'expected a JSON operation' }, { status: 400 });
    }
    const run = this.queue.then(() => this.apply(message));
    this.queue = run.catch(() => {});
    try {
      return Response.json({ result: await run });
    } catch (error) {
      return Response.json({ error: String(error?.message ?? error) }, { status: 400 });
    }
  }

  async apply({ op, token, seconds, now = Date.now() }) {
    checkKeyAndToken('-', token); // the object knows no key; its name was derived from it
    if (!Number.isFinite(now)) throw new TypeError('now must be a number of milliseconds');
    const storage = this.state.storage;
    const record = await storage.get(RECORD);
    const live = record && record.until > now ? record : undefined;
    const holds = live && !live.done && live.token === token;
    switch (op) {
      case 'claim': {
        if (live) return live.done ? 'done' : 'processing';
        const until = now + milliseconds(seconds, 'leaseSeconds');
        await storage.put(RECORD, { token, until });
        await storage.setAlarm(until);
        return 'claimed';
      }
      case 'complete': {
        if (!holds) return false;
        const until = now + milliseconds(seconds, 'ttlSeconds');
        await storage.put(RECORD, { done: true, until });
        await storage.setAlarm(until);
        return true;
      }
      case 'release': {
        if (!holds) return false;
        await storage.delete(RECORD);
        await storage.deleteAlarm();
        return true;
      }
      default:
        throw new TypeError(`unknown operation ${op}`);
    }
  }

  // The record's lease or TTL ran out: drop it (a claim would ignore it anyway).
  async alarm() {
    const run = this.queue.then(async () => {
      const record = await this.state.storage.get(RECORD);
      if (record && record.until <= Date.now()) await this.state.storage.delete(RECORD);
      else if (record) await this.state.storage.setAlarm(record.until);
    });
    this.queue = run.catch(() => {});
    await run;
  }
}

/**
 * @param {DurableObjectNamespace} namespace the binding of an ElenikDedupe class (env.ELENIK_DEDUPE)
 * @param {{ prefix?: string, now?: () => number }} [options] `now` (milliseconds) replaces the
 *   object's clock, for tests; without it each object uses its own.
 */
export function durableObjectStore(namespace, options) {
  if (typeof namespace?.idFromName !== 'function' || typeof namespace?.get !== 'function') {
    throw new TypeError('durableObjectStore: takes a Durable Object namespace binding (env.ELENIK_DEDUPE)');
  }
  const { prefix = '', now } = options ?? {};
  if (typeof prefix !== 'string') throw new TypeError('durableObjectStore: prefix must be a string');
  if (now !== undefined && typeof now !== 'function') throw new TypeError('durableObjectStore: now must be a function returning milliseconds');
  const call = async (op, key, token, seconds) => {
    checkKeyAndToken(key, token);
    const stub = namespace.get(namespace.idFromName(prefix + key));
    const response = await stub.fetch('https://elenik-dedupe.internal/', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ op, token, seconds, ...(now ? { now: now() } : {}) }),
    });
    const reply = await response.json();
    if (!response.ok) throw new Error(`ElenikDedupe: ${reply.error}`);
    return reply.result;
  };
  return {
    claim: (key, token, leaseSeconds) => call('claim', key, token, leaseSeconds),
    complete: (key, token, ttlSeconds) => call('complete', key, token, ttlSeconds),
    release: (key, token) => call('release', key, token),
  };
}
