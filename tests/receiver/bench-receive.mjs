// The receiver's own work, in one process (part of `make bench`, through tests/receiver/bench.mjs):
// `receive()` with the default memory store against `Verifier.constructEvent` on the same distinct
// signed 1 KiB bodies, and `receive()` with `dedupe: false`. Batches of each alternate, round after
// round; the median round counts. Each batch is timed in this process's CPU time
// (process.cpuUsage), which other work on a shared machine disturbs much less than the clock. Bodies cycle through a pool four times the store's size, so every
// delivery is new to the store (it claims, completes and evicts as in production).
// Standalone: node tests/receiver/bench-receive.mjs [path to a package entry, default elenik-webhooks]

const BODY_BYTES = 1024;
const BATCH = 2_000;

/** A distinct 1 KiB payment_verified body for serial number n. */
export function body(n) {
  const head = `{"event":"payment_verified","data":{"user_id":"u_${n}","amount":49.99,"currency":"USD","note":"`;
  return `${head}${'x'.repeat(BODY_BYTES - head.length - 3)}"}}`;
}

const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];

/**
 * µs per call (median round) of `constructEvent`, `receive()` with the memory store and with
 * `dedupe: false`, and the ratio of the memory store's to constructEvent's.
 */
export async function measureReceive(api, { rounds = 15 } = {}) {
  const { createReceiver, memoryStore, Verifier, sign } = api;
  const secret = 'bench-receive-secret';
  const store = memoryStore();
  const pool = 4 * store.maxEntries;
  const deliveries = Array.from({ length: pool }, (_, n) => {
    const text = Buffer.from(body(n));
    return { text, signature: sign(text, secret), headers: { 'x-elenik-signature': sign(text, secret) } };
  });
  const verifier = new Verifier(secret);
  const guarded = createReceiver({ secret: verifier, dedupe: { store } }).on('payment_verified', () => {});
  const open = createReceiver({ secret: verifier, dedupe: false }).on('payment_verified', () => {});
  let next = 0;
  const take = () => deliveries[next++ % pool];
  const cases = {
    constructEvent: async () => {
      for (let i = 0; i < BATCH; i += 1) {
        const d = take();
        verifier.constructEvent(d.text, d.signature);
      }
    },
    'receive(), memory store': async () => {
      for (let i = 0; i < BATCH; i += 1) {
        const d = take();
        if ((await guarded.receive(d.text, d.headers)).status !== 200) throw new Error('not 200');
      }
    },
    'receive(), dedupe: false': async () => {
      for (let i = 0; i < BATCH; i += 1) {
        const d = take();
        if ((await open.receive(d.text, d.headers)).status !== 200) throw new Error('not 200');
      }
    },
  };
  const samples = Object.fromEntries(Object.keys(cases).map((name) => [name, []]));
  for (let round = 0; round < rounds + 2; round += 1) {
    for (const [name, run] of Object.entries(cases)) {
      const started = process.cpuUsage();
      await run();
      const { user, system } = process.cpuUsage(started);
      const us = (user + system) / BATCH;
      if (round >= 2) samples[name].push(us); // two warm-up rounds
    }
  }
  const us = Object.fromEntries(Object.entries(samples).map(([name, values]) => [name, median(values)]));
  return { us, ratio: us['receive(), memory store'] / us.constructEvent, rounds };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const api = await import(process.argv[2] ?? 'elenik-webhooks');
  const { us, ratio } = await measureReceive(api);
  for (const [name, value] of Object.entries(us)) console.log(`${name}: ${value.toFixed(2)} µs`);
  console.log(`receive() with the memory store / constructEvent: ${ratio.toFixed(2)}×`);
}
