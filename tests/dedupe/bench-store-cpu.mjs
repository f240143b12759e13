// The Redis store's own CPU cost (a scratch measure kept for bench/NOTES.md, "Issue 16"): claim +
// complete of fresh keys through redisStore over each client, 200 in flight, timed in this
// process's CPU time (process.cpuUsage), which other load on a shared machine disturbs far less
// than requests per second. Compares the packages given (paths to their entry files), alternating.
// Usage: node tests/dedupe/bench-store-cpu.mjs REDIS_URL ENTRY... (run from tests/dedupe, whose
// node_modules has the clients)
import { createRequire } from 'node:module';

const [url, ...entries] = process.argv.slice(2);
const require = createRequire(import.meta.url);
const Redis = require('ioredis');
const { createClient } = require('redis');
const N = 20_000;
const IN_FLIGHT = 200;

async function clientFor(name) {
  if (name === 'ioredis') {
    const client = new Redis(url, { lazyConnect: true });
    await client.connect();
    return { client, close: () => client.disconnect() };
  }
  const client = createClient({ url });
  await client.connect();
  return { client, close: () => client.disconnect() };
}

async function cpuPerDelivery(pkg, client, tag) {
  const store = pkg.redisStore(client, { prefix: `cpu:${tag}:` });
  let next = 0;
  const started = process.cpuUsage();
  await Promise.all(
    Array.from({ length: IN_FLIGHT }, async () => {
      while (next < N) {
        const key = `k${next++}`;
        if ((await store.claim(key, 'token', 60)) !== 'claimed' || !(await store.complete(key, 'token', 60))) throw new Error('store failed');
      }
    }),
  );
  const { user, system } = process.cpuUsage(started);
  return (user + system) / N;
}

const pkgs = await Promise.all(entries.map((entry) => import(entry)));
const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];
for (const name of ['ioredis', 'node-redis']) {
  const { client, close } = await clientFor(name);
  const samples = pkgs.map(() => []);
  for (let round = 0; round < 7; round += 1) {
    for (const [i, pkg] of pkgs.entries()) samples[i].push(await cpuPerDelivery(pkg, client, `${name}:${round}:${i}`));
  }
  await client.flushAll?.();
  await client.flushall?.();
  await close();
  entries.forEach((entry, i) => console.log(`${name}: ${median(samples[i].slice(1)).toFixed(1)} µs client CPU per claim + complete (${entry})`));
}
