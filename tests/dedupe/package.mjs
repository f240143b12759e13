// The packed package, as installed into the test project by scripts/test-dedupe.sh (never the
// sources), plus what every dedupe test shares: Redis clients by name, a store served over HTTP.
import { pathToFileURL } from 'node:url';
import { createRequire } from 'node:module';

export const consumer = process.env.ELENIK_DEDUPE_CONSUMER;
if (!consumer) throw new Error('run through scripts/test-dedupe.sh (ELENIK_DEDUPE_CONSUMER is not set)');
/** `export * from 'elenik-webhooks'`, resolved from the test project like a user's import. */
export const pkg = await import(pathToFileURL(`${consumer}/entry.mjs`).href);

const require = createRequire(import.meta.url);
/** The Redis clients the store is proven with, connected to `url`; each fails fast while Redis is down. */
export const clients = {
  async 'node-redis 5'(url) {
    const { createClient } = require('redis');
    return connectNodeRedis(createClient, url);
  },
  async 'node-redis 4'(url) {
    const { createClient } = require('redis4');
    return connectNodeRedis(createClient, url);
  },
  async ioredis(url) {
    const Redis = require('ioredis');
    const client = new Redis(url, {
      enableOfflineQueue: false,
      maxRetriesPerRequest: 0,
      retryStrategy: () => 100,
      lazyConnect: true,
    });
    client.on('error', () => {}); // reconnects by itself; the store reports the failed command
    await client.connect();
    return { client, close: () => client.disconnect() };
  },
};

async function connectNodeRedis(createClient, url) {
  const client = createClient({ url, disableOfflineQueue: true, socket: { reconnectStrategy: () => 100 } });
  client.on('error', () => {});
  await client.connect();
  return { client, close: () => client.disconnect().catch(() => {}) };
}

/** A store whose operations run elsewhere (workerd, Deno), POSTed as { op, key, token, seconds, now }. */
export function remoteStore(url, clock) {
  const call = async (op, key, token, seconds) => {
    const response = await fetch(url, {
      method: 'POST',
      body: JSON.stringify({ op, key, token, seconds, now: clock.now() }),
      signal: AbortSignal.timeout(20_000),
    });
    const reply = await response.json();
    if (!response.ok) throw new Error(reply.error);
    return reply.result;
  };
  return {
    claim: (key, token, lease) => call('claim', key, token, lease),
    complete: (key, token, ttl) => call('complete', key, token, ttl),
    release: (key, token) => call('release', key, token),
  };
}
