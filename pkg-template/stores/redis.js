// redisStore(client, options): the delivery guard's store on Redis, shared by every receiver
// instance that talks to the same server. No dependency: the user passes their own connected
// client, node-redis 4/5 (`createClient`) or ioredis, told apart by shape.
//
// One key per delivery, holding either the claiming token (with a PX lease) or DONE (with a PX
// of ttlSeconds). Each operation is one atomic command, so one round trip:
//   claim:    SET key token NX PX lease GET: sets it only if absent and returns what was there,
//             so 'done' or 'processing' comes in the same reply (Redis 7+; on older servers the
//             same in a Lua script). An expired lease has vanished (PX): the key is claimable.
//   complete: compare-and-set in Lua: only if the key still holds token, SET key DONE PX ttl.
//   release:  compare-and-delete in Lua: only if the key still holds token, DEL key.
// Leases and TTLs run on the Redis server's clock, the same for every receiver.

import { checkKeyAndToken, milliseconds } from './check.js';

const DONE = '!done'; // a receiver's token is a UUID, never this

const CLAIM = `if redis.call('SET', KEYS[1], ARGV[1], 'NX', 'PX', ARGV[2]) then return 1 end
if redis.call('GET', KEYS[1]) == ARGV[3] then return 3 end
return 2`;
const COMPLETE = `if redis.call('GET', KEYS[1]) == ARGV[1] then
  redis.call('SET', KEYS[1], ARGV[2], 'PX', ARGV[3])
  return 1
end
return 0`;
const RELEASE = `if redis.call('GET', KEYS[1]) == ARGV[1] then
  redis.call('DEL', KEYS[1])
  return 1
end
return 0`;

const CLAIMED = [undefined, 'claimed', 'processing', 'done'];
// SET's reply to NX + GET: nil when it set the key, else the value it found.
const claimed = (previous) => (previous === null ? 'claimed' : String(previous) === DONE ? 'done' : 'processing');

/** Milliseconds for PX: whole, at least 1 (Redis refuses PX 0). */
const px = (seconds, name) => String(Math.max(1, Math.ceil(milliseconds(seconds, name))));

/** The one way this store sends a command, whichever client it was given. */
function commandSender(client) {
  // ioredis (and its Cluster): call(name, ...args). Its sendCommand takes a Command object.
  if (typeof client?.call === 'function') return corking(client, (args) => client.call(...args));
  // node-redis 4 and 5: sendCommand([name, ...args]).
  if (typeof client?.sendCommand === 'function') return (args) => client.sendCommand(args);
  throw new TypeError(
    'redisStore: takes a connected Redis client, node-redis (createClient from "redis") or ioredis',
  );
}

/**
 * ioredis writes each command to its socket as it is sent, one system call each; node-redis 5
 * gathers the commands of one turn of the event loop and writes them at once (setImmediate). For
 * ioredis the same: the first command corks the client's socket (`client.stream`; a Cluster has
 * none) and setImmediate uncorks it, so the commands of every delivery that reached this point in
 * the turn (each request's callback is one of the turn's I/O callbacks) leave in one write. Each
 * cork has its one uncork.
 */
function corking(client, send) {
  const later = globalThis.setImmediate;
  if (typeof later !== 'function') return send;
  let corked = false;
  return (args) => {
    const stream = client.stream;
    if (!corked && typeof stream?.cork === 'function' && typeof stream.uncork === 'function') {
      corked = true;
      stream.cork();
      later(() => {
        corked = false;
        stream.uncork();
      });
    }
    return send(args);
  };
}

const hex = (buffer) => Array.from(new Uint8Array(buffer), (b) => b.toString(16).padStart(2, '0')).join('');

/**
 * `bounded(promise, what)`: the promise, or a rejection once `timeoutMs` passed without an answer.
 * One timer for all the commands in flight instead of one each (a timer, a race and a `finally`
 * per command were a good part of this store's own cost): they all wait `timeoutMs`, so they reach
 * their deadlines in the order they were sent, and the timer waits for the oldest unanswered one.
 */
function deadlines(timeoutMs) {
  const queue = []; // { deadline, what, reject, done }, oldest first; answered ones leave from the front
  let head = 0;
  let timer = null;
  const drain = (now) => {
    while (head < queue.length && (queue[head].done || queue[head].deadline <= now)) {
      const entry = queue[head];
      queue[head++] = undefined;
      if (!entry.done) {
        entry.done = true;
        entry.reject(new Error(`redisStore: ${entry.what} got no answer from Redis in ${timeoutMs} ms`));
      }
    }
    if (head === queue.length) {
      queue.length = head = 0;
      if (timer !== null) clearTimeout(timer);
      timer = null;
    } else if (head > 1024 && head * 2 > queue.length) {
      queue.splice(0, head);
      head = 0;
    }
  };
  const expire = () => {
    timer = null;
    const now = Date.now();
    drain(now);
    if (head < queue.length) timer = setTimeout(expire, Math.max(1, queue[head].deadline - now));
  };
  return (promise, what) =>
    new Promise((resolve, reject) => {
      const entry = { deadline: Date.now() + timeoutMs, what, reject, done: false };
      queue.push(entry);
      if (timer === null) timer = setTimeout(expire, timeoutMs);
      const settle = (fn, value) => {
        if (entry.done) return;
        entry.done = true;
        fn(value);
        drain(-Infinity);
      };
      promise.then(
        (value) => settle(resolve, value),
        (error) => settle(reject, error),
      );
    });
}

/**
 * @param {object} client a connected node-redis 4/5 or ioredis client
 * @param {{ prefix?: string, timeoutMs?: number, claimWithScript?: boolean }} [options]
 *   claimWithScript: claim with the Lua script instead of SET NX GET (Redis before 7.0; found out
 *   by itself on the first claim, so only tests need it)
 */
export function redisStore(client, options) {
  const send = commandSender(client);
  const { prefix = 'elenik:dedupe:', timeoutMs = 5000, claimWithScript = false } = options ?? {};
  if (typeof prefix !== 'string') throw new TypeError('redisStore: prefix must be a string');
  if (!(Number.isFinite(timeoutMs) && timeoutMs > 0)) throw new RangeError('redisStore: timeoutMs must be a positive number');

  // EVALSHA sends 40 bytes instead of the script; NOSCRIPT (first use, or a restarted server)
  // falls back to EVAL, which also caches the script on the server.
  // Each script's SHA-1 (WebCrypto, so no import of node:crypto): a promise until it is known.
  const shas = new Map();
  const sha1 = (script) => {
    if (!shas.has(script)) {
      const digest = crypto.subtle.digest('SHA-1', new TextEncoder().encode(script)).then(hex);
      shas.set(script, digest);
      digest.then((sha) => shas.set(script, sha), () => {}); // a failure reaches the caller through `digest`
    }
    return shas.get(script);
  };
  const run = async (script, key, args) => {
    const tail = ['1', prefix + key, ...args];
    const sha = sha1(script);
    try {
      return await send(['EVALSHA', typeof sha === 'string' ? sha : await sha, ...tail]);
    } catch (error) {
      if (!String(error?.message).startsWith('NOSCRIPT')) throw error;
      return await send(['EVAL', script, ...tail]);
    }
  };
  // A client with an offline queue waits for a server that is down; the receiver must answer 503
  // instead. A command that timed out may still have run: a claim then holds its key until the
  // lease ends (the delivery is retried after it), a complete or release counts as failed.
  const bounded = deadlines(timeoutMs);
  const check = (key, token) => {
    checkKeyAndToken(key, token);
    if (token === DONE) throw new TypeError(`token must not be ${DONE}`);
  };

  let setGet = !claimWithScript;
  return {
    async claim(key, token, leaseSeconds) {
      check(key, token);
      const lease = px(leaseSeconds, 'leaseSeconds');
      if (setGet) {
        try {
          return claimed(await bounded(send(['SET', prefix + key, token, 'NX', 'PX', lease, 'GET']), 'claim'));
        } catch (error) {
          // Redis before 7.0 refuses NX with GET: use the script from now on.
          if (!/syntax error/i.test(String(error?.message))) throw error;
          setGet = false;
        }
      }
      const reply = await bounded(run(CLAIM, key, [token, lease, DONE]), 'claim');
      const outcome = CLAIMED[Number(reply)];
      if (!outcome) throw new Error(`redisStore: unexpected reply to claim: ${reply}`);
      return outcome;
    },
    async complete(key, token, ttlSeconds) {
      check(key, token);
      return Number(await bounded(run(COMPLETE, key, [token, DONE, px(ttlSeconds, 'ttlSeconds')]), 'complete')) === 1;
    },
    async release(key, token) {
      check(key, token);
      return Number(await bounded(run(RELEASE, key, [token]), 'release')) === 1;
    },
  };
}
