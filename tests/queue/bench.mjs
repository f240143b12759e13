// `make bench-queue`: what the `queue` option costs on the request path, side by side in one run,
// on a local redis-server started here. One receiver process per setting:
//   off         dedupe: false (handlers would run in the request; there are none)
//   guard       redisStore over ioredis
//   queue       redisStore + queue: bullmqQueue on the same Redis (no worker: the request path alone)
//   queue+slow  the same, while a worker process runs each job with a 5 s handler
// This process sends distinct signed 1 KiB deliveries over keep-alive connections, two ways:
// throughput (CONCURRENCY in flight, requests/s) and latency (open loop at RATE per second, each
// timed from when it was due). The settings take turns for ROUNDS rounds; each budget is the
// median over rounds of a setting against the run just before it. Writes its own section of
// BENCHMARKS.md (between the queue-bench markers), nothing else.
import { execFileSync, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { writeSection } from '../../bench/benchmarks-md.mjs';
import { cpuMeter } from '../../bench/process-cpu.mjs';
import { cpuCells, load, median, quantile } from '../dedupe/load.mjs';
import { startRedis } from '../dedupe/redis-server.mjs';
import { pkg, Queue, redis as connect } from './package.mjs';

const ROUNDS = Number(process.env.ROUNDS ?? 5);
const REQUESTS = Number(process.env.REQUESTS ?? 6_000);
// Below what every setting sustains on a shared 2-core machine: above it, latency is queueing.
const RATE = Number(process.env.RATE ?? 500);
const WARMUP = 2_000;
const CONCURRENCY = 100;
const HANDLER_MS = 5000; // the slow handler
const SETTINGS = ['off', 'guard', 'queue', 'queue+slow'];
const log = (...args) => console.error('[bench-queue]', ...args);
const secret = `whsec_${randomBytes(24).toString('base64url')}`;

const redis = await startRedis();
const redisVersion = execFileSync('redis-server', ['--version'], { encoding: 'utf8' }).trim().split(' ').slice(0, 3).join(' ');
const children = [];

function start(env) {
  const child = spawn(process.execPath, [new URL('./bench-server.mjs', import.meta.url).pathname], {
    env: { ...process.env, ...env, REDIS_URL: redis.url, SECRET: secret },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  children.push(child);
  process.once('exit', () => child.kill('SIGKILL'));
  return new Promise((resolve, reject) => {
    let output = '';
    child.stdout.on('data', (chunk) => {
      output += chunk;
      const found = output.match(/http:\/\/127\.0\.0\.1:(\d+)/);
      if (found) resolve({ port: Number(found[1]), pid: child.pid });
    });
    child.once('exit', (code) => reject(new Error(`bench process exited (${code})`)));
  });
}

const { delivery, throughput, latency } = load({ secret, concurrency: CONCURRENCY, rate: RATE });

const loadBefore = loadavg();
const runStarted = new Date();
const queueNames = { queue: 'bench-queue', 'queue+slow': 'bench-queue-slow' };
const probes = Object.fromEntries(Object.entries(queueNames).map(([s, name]) => [s, new Queue(name, { connection: connect(redis.url, { blocking: true }) })]));
try {
  const ports = {
    off: await start({ SETTING: 'off' }),
    guard: await start({ SETTING: 'guard' }),
    queue: await start({ SETTING: 'queue', QUEUE_NAME: queueNames.queue }),
    'queue+slow': await start({ SETTING: 'queue', QUEUE_NAME: queueNames['queue+slow'] }),
  };
  await start({ SETTING: 'queue', QUEUE_NAME: queueNames['queue+slow'], ROLE: 'worker', HANDLER_MS: String(HANDLER_MS) });
  const rounds = Object.fromEntries(SETTINGS.map((s) => [s, []]));
  for (let round = 0; round < ROUNDS; round++) {
    for (const setting of SETTINGS) {
      const { port, pid } = ports[setting];
      await throughput(port, WARMUP);
      const meter = cpuMeter({ receiver: pid, redis: redis.pid });
      const rps = await throughput(port, REQUESTS);
      const cpu = meter(REQUESTS);
      const latencies = await latency(port, REQUESTS);
      const result = { rps, cpu, p50: quantile(latencies, 0.5), p99: quantile(latencies, 0.99) };
      rounds[setting].push(result);
      log(`round ${round + 1} ${setting}: ${rps.toFixed(0)} req/s at ${CONCURRENCY} in flight; at ${RATE}/s p50 ${result.p50.toFixed(2)} ms, p99 ${result.p99.toFixed(2)} ms`);
      if (probes[setting]) {
        const jobs = await probes[setting].count();
        if (setting === 'queue' && jobs !== WARMUP + 2 * REQUESTS) throw new Error(`the queue holds ${jobs} jobs, not one per delivery`);
        // Empty it for the next round (the slow worker's active jobs finish on their own).
        if (setting === 'queue') await probes[setting].obliterate({ force: true });
        else await probes[setting].drain(true);
      }
    }
  }
  report(rounds, await alone());
} finally {
  for (const child of children) child.kill('SIGKILL');
  await Promise.all(Object.values(probes).map((q) => q.disconnect().catch(() => {})));
  await redis.kill();
}

/**
 * One delivery at a time, in this process: the guard's claim + complete, and the same with the
 * queue's add between them; milliseconds each. The request path's added cost, without HTTP.
 */
async function alone(count = 5000) {
  const client = connect(redis.url, { blocking: true });
  const store = pkg.redisStore(client, { prefix: 'bench:alone:' });
  const queue = new Queue('bench-alone', { connection: client });
  const adapter = pkg.bullmqQueue(queue, { removeOnComplete: true });
  const message = { v: 1, key: 'k', event: 'payment_verified', signature: 'sha256=00', body: delivery().body, encoding: 'utf8', receivedAt: 0 };
  const times = { guard: [], queue: [] };
  try {
    for (let i = 0; i < 2 * (count + 500); i++) {
      const which = i % 2 === 0 ? 'guard' : 'queue';
      const key = `k${i}`;
      const started = performance.now();
      if ((await store.claim(key, 't', 60)) !== 'claimed') throw new Error('claim failed');
      if (which === 'queue') await adapter.send({ ...message, key });
      if (!(await store.complete(key, 't', 60))) throw new Error('complete failed');
      if (i >= 1000) times[which].push(performance.now() - started);
    }
  } finally {
    await queue.obliterate({ force: true });
    await queue.close();
    client.disconnect(); // the Queue does not close a connection it was given: left open, it kept the bench from exiting
  }
  const result = Object.fromEntries(Object.entries(times).map(([k, t]) => [k, { p50: quantile(t, 0.5), p99: quantile(t, 0.99) }]));
  log(`one at a time: claim + complete p50 ${result.guard.p50.toFixed(3)} ms; claim + add + complete p50 ${result.queue.p50.toFixed(3)} ms`);
  return result;
}

function report(rounds, single) {
  const ms = (x) => `${x.toFixed(2)} ms`;
  const m = (s, field) => median(rounds[s].map((r) => r[field]));
  const paired = (a, b, f) => median(rounds[a].map((r, i) => f(r, rounds[b][i])));
  const names = { off: '`dedupe: false`', guard: '`redisStore` (ioredis)', queue: '`redisStore` + `queue: bullmqQueue`', 'queue+slow': `the same, a worker running ${HANDLER_MS} ms handlers` };
  const rows = SETTINGS.map(
    (s) => `| ${names[s]} | ${m(s, 'rps').toFixed(0)} | ${(m(s, 'rps') / m('off', 'rps')).toFixed(2)}x | ${ms(m(s, 'p50'))} | ${ms(m(s, 'p99'))} | ${cpuCells(rounds[s])} |`,
  );
  const dp50 = paired('queue', 'guard', (q, g) => q.p50 - g.p50);
  const ratio = paired('queue', 'off', (q, o) => q.rps / o.rps);
  const slow = paired('queue+slow', 'queue', (s, q) => s.p50 - q.p50);
  const added = single.queue.p50 - single.guard.p50;
  const budgets = [
    `| queue: one delivery at a time, claim + add + complete minus claim + complete, p50 | ${ms(added)} | ≤ 1 ms | ${added <= 1 ? 'yes' : '**no**'} |`,
    `| queue: latency p50 at ${RATE}/s minus the Redis guard alone's | ${ms(dp50)} | ≤ 1 ms | ${dp50 <= 1 ? 'yes' : '**no**'} |`,
    `| queue: requests/s at ${CONCURRENCY} in flight / \`dedupe: false\`'s | ${ratio.toFixed(2)}x | ≥ 0.6x | ${ratio >= 0.6 ? 'yes' : '**no**'} |`,
    `| answer p50 with ${HANDLER_MS} ms handlers running minus with none | ${ms(slow)} | ≤ 1 ms (independent of the handlers) | ${slow <= 1 ? 'yes' : '**no**'} |`,
    `| answer p99 at ${RATE}/s with ${HANDLER_MS} ms handlers running | ${ms(m('queue+slow', 'p99'))} | < 50 ms | ${m('queue+slow', 'p99') < 50 ? 'yes' : '**no**'} |`,
  ];
  const perRound = SETTINGS.map((s) => `${s} ${rounds[s].map((r) => r.rps.toFixed(0)).join(', ')}`).join('; ');
  const version = (name) => JSON.parse(readFileSync(new URL(`./node_modules/${name}/package.json`, import.meta.url))).version;
  const section = `<!-- queue-bench:start (written by tests/queue/bench.mjs, \`make bench-queue\`) -->
## Acknowledge fast: the queue path

Run ${runStarted.toISOString()} – ${new Date().toISOString()} on ${cpus()[0].model.trim()}, ${cpus().length} cores; load average
${loadBefore.map((x) => x.toFixed(2)).join(' / ')} before, ${loadavg().map((x) => x.toFixed(2)).join(' / ')} after. bullmq ${version('bullmq')}, ioredis ${version('ioredis')}; ${redisVersion}.

Method: \`http.createServer(receiver.node)\` from the packed package, one process per setting, one local
\`redis-server\` for the store and the queue. Distinct signed 1 KiB deliveries over ${CONCURRENCY} keep-alive
connections: **throughput** with ${CONCURRENCY} in flight, **latency** one due every 1/${RATE} s (open loop), each timed
from when it was due. ${WARMUP} warm-up, then ${REQUESTS} timed per setting, way and round; ${ROUNDS} rounds, the settings
taking turns; the queue is checked to hold one job per delivery, then emptied. The queue setting has no worker
(the request path alone); the last one has a worker process running each job with a ${HANDLER_MS} ms handler meanwhile.

| setting | requests/s | vs off | latency p50 at ${RATE}/s | p99 | CPU µs per request: receiver / Redis / load generator |
|---|---:|---:|---:|---:|---:|
${rows.join('\n')}

Requests/s per round: ${perRound}.

CPU per request is each process's user + system time over the throughput way (/proc), medians over the rounds:
the three processes share the machine's ${cpus().length} cores, so what one setting adds to their sum is what it costs
in requests/s. The queue's \`add\` is one BullMQ job: its JS in the receiver, its Lua script in Redis.

One delivery at a time, without HTTP (this process, 5000 each, interleaved): the guard's \`claim\` + \`complete\`
p50 ${ms(single.guard.p50)}, p99 ${ms(single.guard.p99)}; with the queue's \`add\` between them p50 ${ms(single.queue.p50)}, p99 ${ms(single.queue.p99)}.

| budget (median over rounds, paired) | measured | limit | met |
|---|---:|---:|:---:|
${budgets.join('\n')}
<!-- queue-bench:end -->
`;
  writeSection(new URL('../../BENCHMARKS.md', import.meta.url), 'queue-bench', section);
  log('wrote its section of BENCHMARKS.md');
  console.log(section);
}
