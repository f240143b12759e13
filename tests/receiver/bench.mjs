// `make bench` (scripts/bench-receiver.sh): requests per second of the receiver's adapters against
// bare servers on loopback, with autocannon: 1 KiB signed deliveries, each one distinct (so the
// memory store claims, completes and evicts as in production), 50 connections. Each server runs in
// its own process; the variants alternate over ROUNDS rounds of SECONDS each and the median counts.
// Writes the "Receiver over HTTP" section of BENCHMARKS.md between its markers, nothing else.
import autocannon from 'autocannon';
import { spawn, execFileSync } from 'node:child_process';
import { createHmac, randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import * as api from 'elenik-webhooks';
import { measureReceive } from './bench-receive.mjs';

const ROUNDS = Number(process.env.RECEIVER_BENCH_ROUNDS ?? 3);
const SECONDS = Number(process.env.RECEIVER_BENCH_SECONDS ?? 5);
const CONNECTIONS = 50;
const BODY_BYTES = 1024;
const secret = `bench_${randomBytes(16).toString('hex')}`;
const server = new URL('./bench-server.mjs', import.meta.url).pathname;
const root = process.env.ELENIK_ROOT;
if (!root) throw new Error('run through scripts/bench-receiver.sh (ELENIK_ROOT is not set)');
const { cpuMeter } = await import(new URL('bench/process-cpu.mjs', `file://${root}/`).href);
const { writeSection } = await import(new URL('bench/benchmarks-md.mjs', `file://${root}/`).href);
const bun = process.env.BUN;

const variants = [
  { runtime: 'node', name: 'node:http, bare (reads the body, answers 200)', kind: 'bare' },
  { runtime: 'node', name: 'http.createServer(receiver.node), dedupe: false', kind: 'receiver', dedupe: 'off', budget: 0.9 },
  { runtime: 'node', name: 'http.createServer(receiver.node), default memory store', kind: 'receiver', budget: 0.85 },
  { runtime: 'bun', name: 'Bun.serve, bare (reads the body, answers 200)', kind: 'bare' },
  { runtime: 'bun', name: 'Bun.serve({ fetch: receiver.fetch }), dedupe: false', kind: 'receiver', dedupe: 'off', budget: 0.9 },
  { runtime: 'bun', name: 'Bun.serve({ fetch: receiver.fetch }), default memory store', kind: 'receiver', budget: 0.85 },
];

/** A distinct 1 KiB payment_verified delivery for request n. */
let serial = 0;
function delivery() {
  const n = ++serial;
  const head = `{"event":"payment_verified","data":{"user_id":"u_${n}","amount":49.99,"currency":"USD","note":"`;
  const body = `${head}${'x'.repeat(BODY_BYTES - head.length - 3)}"}}`;
  return { body, signature: `sha256=${createHmac('sha256', secret).update(body).digest('hex')}` };
}
if (Buffer.byteLength(delivery().body) !== BODY_BYTES) throw new Error('bench body is not 1 KiB');

function start(variant) {
  const command = variant.runtime === 'bun' ? bun : process.execPath;
  const child = spawn(command, [server, variant.kind], {
    env: { ...process.env, ELENIK_WEBHOOK_SECRET: secret, DEDUPE: variant.dedupe ?? 'on' },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`${variant.name}: not listening`)), 20_000);
    child.stdout.once('data', (chunk) => {
      clearTimeout(timer);
      const url = String(chunk).match(/http:\/\/127\.0\.0\.1:\d+\//)?.[0];
      url ? resolve({ url, pid: child.pid, stop: () => child.kill('SIGKILL') }) : reject(new Error(String(chunk)));
    });
    child.once('error', reject);
  });
}


async function measure(variant) {
  const { url, pid, stop } = await start(variant);
  try {
    const run = (duration) =>
      autocannon({
        url,
        method: 'POST',
        connections: CONNECTIONS,
        duration,
        headers: { 'content-type': 'application/json' },
        requests: [
          {
            setupRequest(request) {
              const { body, signature } = delivery();
              return { ...request, body, headers: { ...request.headers, 'x-elenik-signature': signature } };
            },
          },
        ],
      });
    await run(1); // warm-up: JIT, the store filling up
    const meter = cpuMeter({ server: pid });
    const result = await run(SECONDS);
    const { server: cpu } = meter(result.requests.total);
    if (result.non2xx > 0 || result.errors > 0) {
      throw new Error(`${variant.name}: ${result.non2xx} non-2xx answers, ${result.errors} errors`);
    }
    // CPU per request (above): what the server itself spent, whoever else shares the machine.
    return { rps: result.requests.average, p50: result.latency.p50, p99: result.latency.p99, cpu };
  } finally {
    stop();
  }
}

// First the receiver's own work, in this process, before any server starts.
// Issue 16: ≤ 0.9× the ratio before its one crossing per request (2.39–2.62× by this measure,
// bench/NOTES.md; the lower end is used), which the issue estimated as ≤ about 1.64× from a
// measure of its own. Both are reported.
const RECEIVE_BEFORE = 2.39;
const RECEIVE_BUDGET = 1.64;
const inProcess = await measureReceive(api);
console.log(`receive() with the memory store / constructEvent: ${inProcess.ratio.toFixed(2)}× (${JSON.stringify(inProcess.us)})`);

const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];
const samples = new Map(variants.map((v) => [v, []]));
const load = [loadavg()[0]];
for (let round = 1; round <= ROUNDS; round += 1) {
  for (const variant of variants) {
    const sample = await measure(variant);
    samples.get(variant).push(sample);
    console.log(`round ${round}: ${variant.name}: ${Math.round(sample.rps)} req/s, p50 ${sample.p50} ms, p99 ${sample.p99} ms, ${sample.cpu?.toFixed(1)} µs CPU per request`);
  }
  load.push(loadavg()[0]);
}

const rows = [];
const budgets = [];
for (const variant of variants) {
  const runs = samples.get(variant);
  const rps = median(runs.map((s) => s.rps));
  const bare = median(samples.get(variants.find((v) => v.runtime === variant.runtime && v.kind === 'bare')).map((s) => s.rps));
  const ratio = rps / bare;
  const verdict = variant.budget ? `${ratio >= variant.budget ? 'met' : 'missed'} (≥ ${variant.budget.toFixed(2)}×)` : '(reference)';
  const cpu = runs.every((s) => s.cpu !== null) ? median(runs.map((s) => s.cpu)).toFixed(1) : 'n/a';
  rows.push(`| ${variant.name} | ${Math.round(rps).toLocaleString('en-US')} | ${runs.map((s) => Math.round(s.rps)).join(', ')} | ${ratio.toFixed(2)}× | ${verdict} | ${cpu} | ${median(runs.map((s) => s.p50))} / ${median(runs.map((s) => s.p99))} |`);
  if (variant.budget) budgets.push({ name: variant.name, ratio, budget: variant.budget });
}

const version = (command, args) => {
  try {
    return execFileSync(command, args, { encoding: 'utf8' }).trim();
  } catch {
    return 'unknown';
  }
};
const section = `<!-- receiver-bench:start: written by scripts/bench-receiver.sh (tests/receiver/bench.mjs); the rest of this file is bench/run.mjs's -->
## The receiver over HTTP

Requests per second on loopback, measured with autocannon ${JSON.parse(readFileSync(new URL(import.meta.resolve('autocannon/package.json')), 'utf8')).version}: ${CONNECTIONS} connections, ${BODY_BYTES}-byte signed
\`payment_verified\` deliveries, each one distinct (the memory store claims, completes and evicts
as it would in production), one no-op handler. Each server is its own process; the six variants
alternate over ${ROUNDS} rounds of ${SECONDS} s (after a 1 s warm-up each) and the median round counts. Node.js
${process.version}, Bun ${version(bun, ['--version'])}, ${cpus().length} CPUs (${cpus()[0]?.model ?? 'unknown'}) shared by server and
load generator, load average ${load.map((l) => l.toFixed(1)).join(' → ')} over the run. Requests per second depend
on what else runs (autocannon itself signs every request); the server's own CPU time per request
(from /proc, median round) does much less, and says what the receiver adds: verifying and
parsing the 1 KiB body in Wasm, and with the guard its SHA-256 key and the store.

| server | req/s (median) | each round | ratio to bare | budget | server CPU per request (µs) | latency p50 / p99 (ms) |
|---|---|---|---|---|---|---|
${rows.join('\n')}

The receiver's own work, in one process (tests/receiver/bench-receive.mjs): distinct signed 1 KiB
bodies (Buffers, node:http's headers object) through \`receive()\` and through
\`Verifier.constructEvent\`, batches of each alternating over ${inProcess.rounds} rounds, in the process's CPU
time; medians.

| call | µs per call |
|---|---|
${Object.entries(inProcess.us).map(([name, us]) => `| ${name} | ${us.toFixed(2)} |`).join('\n')}
| **receive() with the memory store / constructEvent** | **${inProcess.ratio.toFixed(2)}×**: ${(inProcess.ratio / RECEIVE_BEFORE).toFixed(2)}× the ${RECEIVE_BEFORE}× before issue 16's one crossing (budget ≤ 0.9×: ${inProcess.ratio <= 0.9 * RECEIVE_BEFORE ? 'met' : 'missed'}); the issue's estimate ≤ ${RECEIVE_BUDGET}×: ${inProcess.ratio <= RECEIVE_BUDGET ? 'met' : 'missed'} |
<!-- receiver-bench:end -->`;

writeSection(`${root}/BENCHMARKS.md`, 'receiver-bench', section);
console.log(`\n${section}\n`);
for (const { name, ratio, budget } of budgets) {
  console.log(`${ratio >= budget ? 'met   ' : 'MISSED'} ${name}: ${ratio.toFixed(2)}× (budget ≥ ${budget.toFixed(2)}×)`);
}
