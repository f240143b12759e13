// The receiver under `make bench-queue` (tests/queue/bench.mjs): http.createServer(receiver.node)
// from the packed package with SETTING = off (dedupe: false) | guard (redisStore over ioredis) |
// queue (the same plus queue: bullmqQueue on the same Redis). ROLE=worker instead runs a BullMQ
// Worker over QUEUE_NAME whose handler takes HANDLER_MS.
import { createServer } from 'node:http';
import { pkg, Queue, redis, Worker } from './package.mjs';

const { SETTING, REDIS_URL, SECRET, QUEUE_NAME, ROLE, HANDLER_MS = '0' } = process.env;
const dedupe = SETTING === 'off' ? false : { store: pkg.redisStore(redis(REDIS_URL), { prefix: `bench:${QUEUE_NAME ?? SETTING}:` }) };
const queue = QUEUE_NAME ? pkg.bullmqQueue(new Queue(QUEUE_NAME, { connection: redis(REDIS_URL) }), { removeOnComplete: true }) : undefined;
const receiver = pkg.createReceiver({ secret: SECRET, dedupe, queue }).onAny(() => new Promise((resolve) => setTimeout(resolve, Number(HANDLER_MS))));

if (ROLE === 'worker') {
  const worker = new Worker(QUEUE_NAME, (job) => receiver.consume(job.data), { connection: redis(REDIS_URL, { blocking: true }), concurrency: 50 });
  worker.on('error', () => {});
  await worker.waitUntilReady();
  console.log('listening on http://127.0.0.1:0 (worker)');
} else {
  const server = createServer(receiver.node);
  server.keepAliveTimeout = 60_000;
  server.listen(0, '127.0.0.1', () => console.log(`listening on http://127.0.0.1:${server.address().port}`));
}
