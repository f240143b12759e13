// `elenik-webhooks init express-queue | worker-queue`: the "Acknowledge fast" variants of the
// express and worker templates (README "Acknowledge fast"). The receiver answers once the queue
// holds a delivery; the handlers run from the queue: a BullMQ Worker process on Redis, or the
// Worker's own `queue` handler on Cloudflare Queues. init.js adds these to its templates.
import { SECRET_ENV } from './common.js';

// The same port and path as init.js's templates.
const PORT = 8787;
const PATH = '/webhooks/elenik';

const HANDLERS = `  // Handlers run from the queue, once per delivery, after the message was verified again. Throw
  // to have the queue retry with its backoff; after the last attempt the message stays in the
  // queue's dead letters (README "Acknowledge fast": list and replay them). Replace these.
  .on('payment_verified', async (event, { deliveryKey }) => {
    console.log(\`payment of \${event.data.amount} \${event.data.currency} by \${event.data.user_id} (\${deliveryKey})\`);
  })
  .onAny((event) => console.log(\`received \${event.event}\`));`;

const EXPRESS_QUEUE = {
  'webhooks.mjs': `// The receiver and its BullMQ queue, shared by server.mjs (answers Elenik as soon as the queue
// holds a delivery) and worker.mjs (runs the handlers), written by \`elenik-webhooks init\`.
// REDIS_URL defaults to redis://127.0.0.1:6379 (BullMQ needs Redis 5 or later).
import { Queue } from 'bullmq';
import IORedis from 'ioredis';
import { bullmqQueue, createReceiver, redisStore } from 'elenik-webhooks';

const secret = process.env.${SECRET_ENV};
if (!secret) {
  console.error('Set ${SECRET_ENV} (see .env) to the endpoint secret shown in Elenik.');
  process.exit(2);
}

export const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
export const QUEUE_NAME = 'elenik-webhooks';

// Fails fast while Redis is down (the receiver answers 503 and Elenik retries) instead of waiting.
const redis = new IORedis(REDIS_URL, { enableOfflineQueue: false, maxRetriesPerRequest: 0 });
redis.on('error', (error) => console.error(\`redis: \${error.message}\`));
await new Promise((resolve) => redis.once('ready', resolve));

export const receiver = createReceiver({
  secret,
  // One Redis for the duplicate guard and the queue; they may be two.
  dedupe: redisStore(redis),
  // Failed jobs are kept (the dead letters); pass BullMQ job options as a second argument.
  queue: bullmqQueue(new Queue(QUEUE_NAME, { connection: redis })),
})
${HANDLERS};
`,
  'server.mjs': `// An Elenik webhook receiver on Express 5 that acknowledges fast, written by \`elenik-webhooks init\`.
//   npm start          this server: 200 once the queue holds the delivery
//   npm run worker     the worker that runs the handlers (run one or more)
import express from 'express';
import { receiver } from './webhooks.mjs';

const app = express();
// Before any body parser: the receiver reads the raw bytes Elenik signed.
app.post('${PATH}', receiver.node);
app.use(express.json()); // your other routes

const server = app.listen(Number(process.env.PORT ?? ${PORT}), '127.0.0.1', () =>
  console.log(\`listening on http://127.0.0.1:\${server.address().port}${PATH}\`),
);
`,
  'worker.mjs': `// Runs the handlers of the deliveries server.mjs queued, written by \`elenik-webhooks init\`.
//   npm run worker
import { Worker } from 'bullmq';
import IORedis from 'ioredis';
import { QUEUE_NAME, REDIS_URL, receiver } from './webhooks.mjs';

// BullMQ's workers need a connection that retries forever (maxRetriesPerRequest: null).
const worker = new Worker(QUEUE_NAME, (job) => receiver.consume(job.data), {
  connection: new IORedis(REDIS_URL, { maxRetriesPerRequest: null }),
});
worker.on('failed', (job, error) => console.error(\`job \${job?.id} failed (attempt \${job?.attemptsMade}): \${error.message}\`));
worker.on('error', (error) => console.error(\`worker: \${error.message}\`));
await worker.waitUntilReady();
console.log(\`worker consuming \${QUEUE_NAME} on \${REDIS_URL}\`);
`,
};

const WORKER_QUEUE = {
  'src/index.js': `// An Elenik webhook receiver as a Cloudflare Worker that acknowledges fast, written by
// \`elenik-webhooks init\`: fetch answers once Cloudflare Queues holds a delivery, and queue runs
// the handlers from it.
//   npm start     (wrangler dev, with local queues; reads ${SECRET_ENV} from .dev.vars)
//   deploy: npx wrangler queues create elenik-webhooks && npx wrangler queues create elenik-webhooks-dlq
//           npx wrangler secret put ${SECRET_ENV} && npx wrangler deploy
import { env } from 'cloudflare:workers';
import { cloudflareQueue, createReceiver, durableObjectStore } from 'elenik-webhooks';

// The duplicate guard's Durable Object class, bound as ELENIK_DEDUPE in wrangler.toml.
export { ElenikDedupe } from 'elenik-webhooks';

const receiver = createReceiver({
  secret: env.${SECRET_ENV},
  dedupe: durableObjectStore(env.ELENIK_DEDUPE),
  queue: cloudflareQueue(env.WEBHOOKS),
})
${HANDLERS};

// receiver.queue acks each message it ran (or found done) and retries each one that failed;
// after max_retries, a message goes to the dead-letter queue elenik-webhooks-dlq.
export default { fetch: receiver.fetch, queue: receiver.queue };
`,
  'wrangler.toml': `name = "elenik-webhooks-receiver"
main = "src/index.js"
compatibility_date = "2026-04-01"
# The secret is not in this file: .dev.vars for wrangler dev, \`wrangler secret put\` in production.

[[durable_objects.bindings]]
name = "ELENIK_DEDUPE"
class_name = "ElenikDedupe"

[[migrations]]
tag = "v1"
new_sqlite_classes = ["ElenikDedupe"]

[[queues.producers]]
binding = "WEBHOOKS"
queue = "elenik-webhooks"

[[queues.consumers]]
queue = "elenik-webhooks"
# Retries must outlast the guard's lease (60 s by default): README "Acknowledge fast".
max_retries = 10
retry_delay = 30
dead_letter_queue = "elenik-webhooks-dlq"
`,
};

/** Template entries in init.js's shape. */
export const QUEUE_TEMPLATES = {
  'express-queue': {
    framework: 'Express 5 with a BullMQ queue',
    deps: ['express', 'bullmq', 'ioredis'],
    files: EXPRESS_QUEUE,
    scripts: { start: 'node --env-file=.env server.mjs', worker: 'node --env-file=.env worker.mjs' },
    run: 'npm start   (and, in another terminal, npm run worker; both need Redis at REDIS_URL)',
  },
  'worker-queue': {
    framework: 'Cloudflare Workers with Cloudflare Queues',
    devDeps: ['wrangler'],
    envFile: '.dev.vars',
    files: WORKER_QUEUE,
    scripts: { start: `wrangler dev --ip 127.0.0.1 --port ${PORT}` },
  },
};

/** The versions these templates pin beyond init.js's: the ones tests/queue installs. */
export const QUEUE_VERSIONS = { bullmq: '6.7.6', ioredis: '5.11.1' };
