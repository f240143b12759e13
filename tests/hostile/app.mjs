// The hostile-surroundings app: one receiver per scenario, each given a callback, store, secret or
// logger that misbehaves, routed by path (POST /<scenario>). Runtime-free (no node: imports), so
// the same module serves under node:http, Express, Fastify, @hono/node-server, Bun, Deno and
// workerd. Also: GET /__runs (handler runs per scenario and user id), GET /__finish?id= (lets a
// held handler settle), GET /__memory (heap after a GC, where the runtime exposes one).
export const SECRET = 'whsec_hostile_surroundings_secret';
export const SHORT_MS = 300; // the short deadlines of the timeout scenarios

const never = () => new Promise(() => {});
const thrower = () => {
  throw new Error('the logger failed');
};
/** A logger whose every method throws. */
const badLogger = { warn: thrower, error: thrower, info: thrower };
const store = (overrides = {}) => ({
  claim: async () => 'claimed',
  complete: async () => true,
  release: async () => true,
  ...overrides,
});

export function createApp(pkg) {
  const { createReceiver, memoryStore, Verifier } = pkg;
  const runs = {}; // "scenario:user_id" -> handler runs
  const gates = new Map(); // user_id -> false while held, true once let go
  const count = (scenario, event) => {
    const id = `${scenario}:${event.data.user_id}`;
    runs[id] = (runs[id] ?? 0) + 1;
    return runs[id];
  };
  // A held handler polls on a timer until /__finish lets it go (at most a minute): a Promise only
  // another request resolves would look hung to workerd, which then cancels the request.
  const hold = async (event) => {
    const id = event.data.user_id;
    gates.set(id, false);
    for (let i = 0; i < 3000 && gates.get(id) === false; i += 1) await new Promise((resolve) => setTimeout(resolve, 20));
    gates.delete(id);
  };
  /** A receiver whose handler counts its runs and does what the event's data.act says. */
  const make = (scenario, options, extra) => {
    const receiver = createReceiver({ secret: SECRET, logger: false, ...options });
    receiver.on('payment_verified', async (event) => {
      const n = count(scenario, event);
      const act = event.data.act;
      if (act === 'throw-once' && n === 1) throw new Error('handler failed (its message stays on the server)');
      if (act === 'reject-junk' && n === 1) return Promise.reject(undefined);
      if (act === 'hold') await hold(event);
      if (act === 'thenable-throws' && n === 1) return { then: () => { throw new Error('junk thenable'); } };
      return act === 'junk' ? Symbol('junk') : undefined;
    });
    extra?.(receiver);
    return receiver;
  };

  const freed = new Verifier(SECRET); // freed once its receiver is built, below
  const receivers = {
    plain: make('plain', {}),
    // item 3: a logger that throws while a handler failure is reported (and everywhere else).
    'logger-throws': make('logger-throws', { logger: badLogger }),
    'logger-getter-throws': make('logger-getter-throws', {
      logger: new Proxy({}, { get: () => thrower() }),
    }),
    'onerror-throws': make('onerror-throws', { logger: badLogger }, (r) => r.onError(() => thrower())),
    'onerror-hangs': make('onerror-hangs', { handlerTimeoutMs: SHORT_MS }, (r) => r.onError(never)),
    'onany-throws': make('onany-throws', {}, (r) =>
      r.onAny((event) => {
        if (runs[`onany-throws:${event.data.user_id}`] === 1) throw new Error('onAny failed');
      }),
    ),
    // Handlers that hang: 503 HANDLER_TIMEOUT, the claim kept until they settle.
    'handler-hangs': make('handler-hangs', { handlerTimeoutMs: SHORT_MS, logger: badLogger }),
    // item 9: secrets.
    'secret-throws': make('secret-throws', { secret: () => thrower() }),
    'secret-async': make('secret-async', { secret: async () => SECRET }),
    'secret-rejects': make('secret-rejects', { secret: () => Promise.reject(new Error(`no ${SECRET}`)) }),
    'secret-hangs': make('secret-hangs', { secret: never, storeTimeoutMs: SHORT_MS }),
    'secret-freed': make('secret-freed', { secret: freed }, () => freed.free()),
    'secret-junk': make('secret-junk', { secret: () => 42 }),
    // dedupe.key
    'key-throws': make('key-throws', { dedupe: { key: () => thrower() } }),
    'key-hangs': make('key-hangs', { dedupe: { key: never }, storeTimeoutMs: SHORT_MS }),
    'key-junk': make('key-junk', { dedupe: { key: () => ({ not: 'a string' }) } }),
    // Stores.
    'claim-throws': make('claim-throws', { dedupe: store({ claim: () => thrower() }) }),
    'claim-rejects': make('claim-rejects', { dedupe: store({ claim: () => Promise.reject(new Error('down')) }) }),
    'claim-hangs': make('claim-hangs', { dedupe: store({ claim: never }), storeTimeoutMs: SHORT_MS }),
    'claim-junk': make('claim-junk', { dedupe: store({ claim: async () => 'CLAIMED' }) }),
    'claim-junk-object': make('claim-junk-object', { dedupe: store({ claim: () => ({ then: 5 }) }) }),
    'complete-throws': make('complete-throws', { dedupe: store({ complete: () => thrower() }), logger: badLogger }),
    'complete-hangs': make('complete-hangs', { dedupe: store({ complete: never }), storeTimeoutMs: SHORT_MS }),
    'release-hangs': make('release-hangs', { dedupe: store({ release: never }), storeTimeoutMs: SHORT_MS }),
    'release-throws': make('release-throws', { dedupe: store({ release: () => thrower() }), logger: badLogger }),
    // item 4: a bounded memory store never evicts a live claim.
    'memory-full': make('memory-full', { dedupe: memoryStore({ maxEntries: 2 }), handlerTimeoutMs: SHORT_MS }),
  };

  const json = (value, status = 200) =>
    new Response(JSON.stringify(value), { status, headers: { 'content-type': 'application/json' } });

  /** GET routes, shared by every adapter: [status, body]. */
  const get = (path, search) => {
    if (path === '/__runs') return [200, runs];
    if (path === '/__finish') {
      const id = new URLSearchParams(search).get('id');
      const held = gates.get(id) === false;
      if (held) gates.set(id, true);
      return [200, { finished: held }];
    }
    if (path === '/__memory') return [200, memory()];
    return [404, { error: 'not found' }];
  };

  return {
    receivers,
    get,
    receiverFor: (path) => receivers[path.slice(1)],
    /** A fetch handler for Bun, Deno, workerd and Hono. */
    async fetch(request, env, ctx) {
      const url = new URL(request.url);
      if (request.method === 'GET') return json(...get(url.pathname, url.search).reverse());
      const receiver = receivers[url.pathname.slice(1)];
      return receiver ? receiver.fetch(request, env, ctx) : json({ error: 'no such scenario' }, 404);
    },
  };
}

/** The heap in use after a full GC, where the runtime can collect on demand; else null. */
function memory() {
  const g = globalThis;
  if (typeof g.Bun !== 'undefined') {
    g.Bun.gc(true);
    return { heapUsed: g.process.memoryUsage().heapUsed };
  }
  if (typeof g.gc === 'function') g.gc();
  else return { heapUsed: null };
  if (typeof g.Deno !== 'undefined') return { heapUsed: g.Deno.memoryUsage().heapUsed };
  return { heapUsed: g.process.memoryUsage().heapUsed };
}
