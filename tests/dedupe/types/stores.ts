// Type-checks the stores' declarations (index.d.ts of the packed package) against the real client
// types users have: node-redis 5 and 4, ioredis. Run by tests/dedupe/types.test.mjs with tsc.
import { createClient } from 'redis';
import { createClient as createClient4 } from 'redis4';
import { Cluster, Redis } from 'ioredis';
import {
  createReceiver,
  denoKvStore,
  durableObjectStore,
  ElenikDedupe,
  memoryStore,
  redisStore,
  type DedupeStore,
} from 'elenik-webhooks';

const stores: DedupeStore[] = [
  redisStore(createClient()),
  redisStore(createClient4(), { prefix: 'app:' }),
  redisStore(new Redis(), { timeoutMs: 1000 }),
  redisStore(new Cluster([])),
  memoryStore(),
];
// @ts-expect-error not a Redis client
redisStore({ get() {} });
// @ts-expect-error the prefix is a string
redisStore(new Redis(), { prefix: 1 });

declare const namespace: {
  idFromName(name: string): { toString(): string };
  get(id: { toString(): string }): { fetch(input: string, init?: RequestInit): Promise<Response> };
};
stores.push(durableObjectStore(namespace, { prefix: 'd:', now: () => 0 }));
// @ts-expect-error a KV namespace is not a Durable Object namespace
durableObjectStore({ get: (key: string) => Promise.resolve(null), put: () => Promise.resolve() });
declare const state: unknown;
const object = new ElenikDedupe(state, {});
const answer: Promise<Response> = object.fetch(new Request('https://x/'));

declare const kv: {
  get(key: readonly unknown[]): Promise<{ key: readonly unknown[]; value: unknown; versionstamp: string | null }>;
  atomic(): unknown;
};
stores.push(denoKvStore(kv, { prefix: ['app', 'dedupe'] }));

const claimed: Promise<'claimed' | 'processing' | 'done'> = stores[0].claim('k', 't', 60);
createReceiver({ secret: 's', dedupe: { store: redisStore(createClient()), leaseSeconds: 30, ttlSeconds: 3600 } });
export { answer, claimed };
