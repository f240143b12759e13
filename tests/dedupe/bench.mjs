// `make bench-dedupe` (also run by `make bench`): what the duplicate guard costs, end to end through
// receiver.node, on a local redis-server started here. One receiver process per guard setting
// (off = dedupe: false, redisStore over node-redis, over ioredis); this process sends it distinct
// signed 1 KiB deliveries over 200 keep-alive connections and times each one, two ways:
//   throughput: 200 in flight at all times (closed loop), requests per second;
//   latency: deliveries sent at a fixed RATE (open loop, at most 200 in flight), each timed from
//     the moment it was due, so a stall counts for every delivery it delays.
// The settings take turns for ROUNDS rounds; budgets compare each guarded run with the
// `dedupe: false` run just before it, medians over the rounds. Then the store alone: claim +
// complete one after another, one in flight. Writes its own section of BENCHMARKS.md (between the
// dedupe-bench markers), nothing else.
import { execFileSync, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { clients, pkg } from './package.mjs';
import { writeSection } from '../../bench/benchmarks-md.mjs';
import { cpuMeter } from '../../bench/process-cpu.mjs';
import { cpuCells, load, median, quantile } from './load.mjs';
import { startRedis } from './redis-server.mjs';

const ROUNDS = Number(process.env.ROUNDS ?? 5);
const REQUESTS = Number(process.env.REQUESTS ?? 15_000); // timed, per setting, round and way
const RATE = Number(process.env.RATE ?? 3_000); // deliveries per second, for latency
const WARMUP = 3_000;
const CONCURRENCY = 200;
const SETTINGS = ['off', 'node-redis', 'ioredis'];
const log = (...args) => console.error('[bench-dedupe]', ...args);
const secret = `whsec_${randomBytes(24).toString('base64url')}`;

const redis = await startRedis();
const redisVersion = execFileSync('redis-server', ['--version'], { encoding: 'utf8' }).trim().split(' ').slice(0, 3).join(' ');
const servers = {};

function startServer(guard) {
  const child = spawn(process.execPath, [new URL('./bench-server.mjs', import.meta.url).pathname], {
    env: { ...process.env, GUARD: guard, REDIS_URL: redis.url, SECRET: secret },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  process.once('exit', () => child.kill('SIGKILL'));
  return new Promise((resolve, reject) => {
    let output = '';
    child.stdout.on('data', (chunk) => {
      output += chunk;
      const found = output.match(/http:\/\/127\.0\.0\.1:(\d+)/);
      if (found) resolve({ port: Number(found[1]), child });
    });
    child.once('exit', (code) => reject(new Error(`bench server ${guard} exited (${code})`)));
  });
}

const { throughput, latency } = load({ secret, concurrency: CONCURRENCY, rate: RATE });

/** How many delivery keys a setting's store holds: proof that every delivery went through it. */
async function keysUnder(client, prefix) {
  let count = 0;
  let cursor = '0';
  do {
    const [next, keys] = await client.call('SCAN', cursor, 'MATCH', `${prefix}*`, 'COUNT', '10000');
    cursor = next;
    count += keys.length;
  } while (cursor !== '0');
  return count;
}

/** The store alone: claim then complete of a fresh key, one after another; milliseconds each. */
async function roundTrips(name, count) {
  const { client, close } = await clients[name](redis.url);
  const store = pkg.redisStore(client, { prefix: 'bench:alone:' });
  const times = [];
  try {
    for (let i = 0; i < count + 1000; i++) {
      const key = `k${i}-${name}`;
      const started = performance.now();
      if ((await store.claim(key, 't', 60)) !== 'claimed' || !(await store.complete(key, 't', 60))) throw new Error('store failed');
      if (i >= 1000) times.push(performance.now() - started);
    }
  } finally {
    await close();
  }
  return { p50: quantile(times, 0.5), p99: quantile(times, 0.99) };
}

const loadBefore = loadavg();
const runStarted = new Date();
try {
  const { client: counter, close: closeCounter } = await clients.ioredis(redis.url);
  for (const guard of SETTINGS) servers[guard] = await startServer(guard);
  const rounds = Object.fromEntries(SETTINGS.map((s) => [s, []]));
  for (let round = 0; round < ROUNDS; round++) {
    for (const guard of SETTINGS) {
      const { port, child } = servers[guard];
      await throughput(port, WARMUP);
      const meter = cpuMeter({ receiver: child.pid, redis: redis.pid });
      const rps = await throughput(port, REQUESTS);
      const cpu = meter(REQUESTS);
      const latencies = await latency(port, REQUESTS);
      const result = { rps, cpu, p50: quantile(latencies, 0.5), p99: quantile(latencies, 0.99) };
      rounds[guard].push(result);
      log(`round ${round + 1} ${guard}: ${rps.toFixed(0)} req/s at ${CONCURRENCY} in flight; at ${RATE}/s p50 ${result.p50.toFixed(2)} ms, p99 ${result.p99.toFixed(2)} ms`);
    }
  }
  for (const guard of SETTINGS.filter((s) => s !== 'off')) {
    const held = await keysUnder(counter, `bench:${guard}:`);
    if (held !== ROUNDS * (WARMUP + 2 * REQUESTS)) throw new Error(`${guard}: Redis holds ${held} keys, not one per delivery`);
  }
  await closeCounter();
  const alone = {};
  for (const name of ['node-redis 5', 'ioredis']) {
    alone[name] = await roundTrips(name, 10_000);
    log(`store alone, ${name}: claim + complete p50 ${alone[name].p50.toFixed(3)} ms, p99 ${alone[name].p99.toFixed(3)} ms`);
  }
  report(rounds, alone);
} finally {
  for (const { child } of Object.values(servers)) child.kill('SIGKILL');
  await redis.kill();
}

function report(rounds, alone) {
  const m = (guard, field) => median(rounds[guard].map((r) => r[field]));
  const off = { rps: m('off', 'rps'), p50: m('off', 'p50'), p99: m('off', 'p99') };
  const ms = (x) => `${x.toFixed(2)} ms`;
  const rows = [];
  const budgets = [];
  // Budgets from paired rounds: each setting against the dedupe: false run just before it, so a
  // burst of load from other processes hits both sides of a ratio alike; medians over the rounds.
  const paired = (guard, f) => median(rounds[guard].map((r, i) => f(r, rounds.off[i])));
  for (const guard of SETTINGS) {
    const r = { rps: m(guard, 'rps'), p50: m(guard, 'p50'), p99: m(guard, 'p99') };
    const name = guard === 'off' ? '`dedupe: false`' : `\`redisStore\` (${guard})`;
    rows.push(`| ${name} | ${r.rps.toFixed(0)} | ${(r.rps / off.rps).toFixed(2)}x | ${ms(r.p50)} | ${ms(r.p99)} | ${cpuCells(rounds[guard])} |`);
    if (guard === 'off') continue;
    const dp50 = paired(guard, (g, o) => g.p50 - o.p50);
    const dp99 = paired(guard, (g, o) => g.p99 - o.p99);
    const ratio = paired(guard, (g, o) => g.rps / o.rps);
    budgets.push(
      `| ${guard}: latency p50 at ${RATE}/s minus \`dedupe: false\`'s | ${ms(dp50)} | ≤ 0.5 ms | ${dp50 <= 0.5 ? 'yes' : '**no**'} |`,
      `| ${guard}: latency p99 at ${RATE}/s minus \`dedupe: false\`'s | ${ms(dp99)} | ≤ 2 ms | ${dp99 <= 2 ? 'yes' : '**no**'} |`,
      `| ${guard}: requests/s at ${CONCURRENCY} in flight / \`dedupe: false\`'s | ${ratio.toFixed(2)}x | ≥ 0.7x | ${ratio >= 0.7 ? 'yes' : '**no**'} |`,
    );
  }
  const perRound = SETTINGS.map((guard) => `${guard} ${rounds[guard].map((r) => r.rps.toFixed(0)).join(', ')}`).join('; ');
  const versions = ['redis', 'ioredis'].map((name) => `${name} ${JSON.parse(readFileSync(new URL(`./node_modules/${name}/package.json`, import.meta.url))).version}`);
  const section = `<!-- dedupe-bench:start (written by tests/dedupe/bench.mjs, \`make bench-dedupe\`) -->
## Duplicate guard on Redis

Run ${runStarted.toISOString()} – ${new Date().toISOString()} on ${cpus()[0].model.trim()}, ${cpus().length} cores; load average
${loadBefore.map((x) => x.toFixed(2)).join(' / ')} before, ${loadavg().map((x) => x.toFixed(2)).join(' / ')} after. ${versions.join(', ')}; ${redisVersion}.

Method: \`http.createServer(receiver.node)\` from the packed package, one process per setting, with no handler work;
a local \`redis-server\` (127.0.0.1, nothing persisted). A client process sends distinct signed 1 KiB
\`payment_verified\` deliveries over ${CONCURRENCY} keep-alive connections, two ways: **throughput** with ${CONCURRENCY} in
flight at all times, and **latency** with one delivery due every 1/${RATE} s (open loop, at most ${CONCURRENCY} in flight),
each timed from when it was due, so a stall counts for every delivery it delays. ${WARMUP} warm-up, then
${REQUESTS} timed deliveries per setting, way and round; ${ROUNDS} rounds, the settings taking turns. Each guarded
delivery costs two Redis calls (\`claim\` before the handlers, one \`SET … NX PX … GET\`; \`complete\` after, one Lua script); afterwards
Redis is checked to hold one key per delivery sent. (With ${CONCURRENCY} always in flight, latency is queueing:
about ${CONCURRENCY} ÷ requests/s, so there it only restates throughput; the open loop shows what a delivery waits.)
The machine is shared and the guard adds a process (Redis) to the three already running: when other work
takes the cores, the throughput ratio and the p99 swing from round to round (per-round figures below).

| setting | requests/s, ${CONCURRENCY} in flight | vs off | latency p50 at ${RATE}/s | p99 | CPU µs per request: receiver / Redis / load generator |
|---|---:|---:|---:|---:|---:|
${rows.join('\n')}

The store alone, one delivery at a time (\`claim\` + \`complete\` of a fresh key, 10000 times, from one process):
${Object.entries(alone).map(([name, t]) => `${name} p50 ${ms(t.p50)}, p99 ${ms(t.p99)}`).join('; ')}.

Requests/s per round: ${perRound}.

CPU per request is each process's user + system time over the throughput way (/proc), medians over the rounds:
the three processes share the machine's ${cpus().length} cores, so what a store adds to their sum is what it costs in
requests/s.

| budget (median over rounds of each setting against the \`dedupe: false\` run just before it) | measured | limit | met |
|---|---:|---:|:---:|
${budgets.join('\n')}
<!-- dedupe-bench:end -->
`;
  writeSection(new URL('../../BENCHMARKS.md', import.meta.url), 'dedupe-bench', section);
  log('wrote its section of BENCHMARKS.md');
  console.log(section);
}
