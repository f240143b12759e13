// One process of a BullMQ deployment, from the packed package: ROLE=receiver is
// http.createServer(receiver.node) with the Redis guard and `queue: bullmqQueue(...)`; ROLE=worker
// is `new Worker(name, (job) => receiver.consume(job.data), { connection })`. Their handler
// appends "<instance> start|run <deliveryKey>" to RUNS_FILE, so the test counts runs across
// processes. The event's data steers it: delay_ms (slow), fail_times (fails its first n starts),
// fail_until_fixed (fails while FIX_FILE is absent), hang_first (the first start hangs until SIGKILL).
import { appendFileSync, existsSync, readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { pkg, Queue, redis, Worker } from './package.mjs';

const env = process.env;
const { ROLE, INSTANCE, SECRET, STORE_URL, QUEUE_URL, QUEUE_NAME, RUNS_FILE, FIX_FILE } = env;
const LEASE_SECONDS = Number(env.LEASE_SECONDS ?? 60);
const record = (what, key) => appendFileSync(RUNS_FILE, `${INSTANCE} ${what} ${key}\n`);
const starts = (key) => readFileSync(RUNS_FILE, 'utf8').split('\n').filter((line) => line.endsWith(` start ${key}`)).length;

const queue = ROLE === 'receiver' ? new Queue(QUEUE_NAME, { connection: redis(QUEUE_URL) }) : undefined;
// This client fails fast while it is not connected (package.mjs): ready before the process says it
// is, so that a test's first delivery does not meet a store that is still connecting (503
// STORE_UNAVAILABLE, right as an answer, wrong for a test that means to stop only the queue's Redis).
const storeClient = redis(STORE_URL);
await new Promise((resolve) => (storeClient.status === 'ready' ? resolve() : storeClient.once('ready', resolve)));
await queue?.waitUntilReady();
const receiver = pkg
  .createReceiver({
    secret: SECRET,
    dedupe: { store: pkg.redisStore(storeClient, { timeoutMs: 2000 }), leaseSeconds: LEASE_SECONDS },
    queue: queue && pkg.bullmqQueue(queue, { attempts: Number(env.ATTEMPTS ?? 8), backoff: { type: 'fixed', delay: Number(env.BACKOFF_MS ?? 500) } }, { timeoutMs: 2000 }),
  })
  .onAny(async (event, { deliveryKey }) => {
    const data = event.data ?? {};
    const previous = starts(deliveryKey);
    record('start', deliveryKey);
    if (data.hang_first && previous === 0) await new Promise(() => {});
    if (previous < (data.fail_times ?? 0)) throw new Error(`failing on purpose (start ${previous + 1})`);
    if (data.fail_until_fixed && !existsSync(FIX_FILE)) throw new Error('failing until fixed');
    await new Promise((resolve) => setTimeout(resolve, data.delay_ms ?? 0));
    record('run', deliveryKey);
  });

if (ROLE === 'receiver') {
  const server = createServer(receiver.node).listen(0, '127.0.0.1', () => {
    console.log(`listening on http://127.0.0.1:${server.address().port}`);
  });
} else {
  const worker = new Worker(QUEUE_NAME, (job) => receiver.consume(job.data), {
    connection: redis(QUEUE_URL, { blocking: true }),
    concurrency: 8,
    // Short, so that a killed worker's job is found stalled within seconds in the test.
    lockDuration: Number(env.LOCK_MS ?? 30_000),
    stalledInterval: Number(env.STALLED_MS ?? 30_000),
  });
  worker.on('error', () => {}); // Redis down: the worker reconnects by itself
  await worker.waitUntilReady();
  console.log("worker ready");
}
