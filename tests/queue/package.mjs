// The packed package, as installed into the test project by scripts/test-queue.sh (never the
// sources), and the BullMQ / ioredis the queue tests run it with (tests/queue's own lockfile).
import { createRequire } from 'node:module';
import { pathToFileURL } from 'node:url';

export const consumer = process.env.ELENIK_QUEUE_CONSUMER;
if (!consumer) throw new Error('run through scripts/test-queue.sh (ELENIK_QUEUE_CONSUMER is not set)');
/** `export * from 'elenik-webhooks'`, resolved from the test project like a user's import. */
export const pkg = await import(pathToFileURL(`${consumer}/entry.mjs`).href);

const require = createRequire(import.meta.url);
export const { Queue, Worker, Job } = require('bullmq');
const Redis = require('ioredis');

/**
 * An ioredis client that fails fast while Redis is down (the receiver answers 503 instead of
 * waiting) and reconnects by itself. `blocking`: a BullMQ Worker's connection, which BullMQ
 * requires to retry forever (maxRetriesPerRequest: null).
 */
export function redis(url, { blocking = false } = {}) {
  const client = new Redis(url, blocking
    ? { maxRetriesPerRequest: null, retryStrategy: () => 100 }
    : { enableOfflineQueue: false, maxRetriesPerRequest: 0, retryStrategy: () => 100 });
  client.on('error', () => {}); // reconnects by itself; commands report their own failure
  return client;
}
