// `make bench` (scripts/bench-http.sh): the receiver over HTTP with the server as the bottleneck.
// Four node:http servers answer the same signed 1 KiB body side by side in one run: a bare server,
// `http.createServer(receiver.node)` with `dedupe: false`, a hand-rolled createHmac +
// timingSafeEqual + JSON.parse handler, and Octokit's createNodeMiddleware. The load generator
// (autocannon, this process) sends one pre-signed request over and over, so it computes no HMAC of
// its own; with two or more CPUs it runs on CPU 1 and the server on CPU 0 (taskset), 50
// connections with 10 requests pipelined each keep the server busy. The kinds alternate over
// ROUNDS rounds of SECONDS each (after a warm-up) and the median round counts. Writes the
// "server-bound" section of BENCHMARKS.md between its markers, nothing else. Never a test: no
// assertion on time.
import autocannon from 'autocannon';
import { execFileSync, spawn } from 'node:child_process';
import { createHmac, randomBytes } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';

const ROUNDS = Number(process.env.HTTP_BENCH_ROUNDS ?? 5);
const SECONDS = Number(process.env.HTTP_BENCH_SECONDS ?? 5);
const CONNECTIONS = 50;
const PIPELINING = 10;
const BODY_BYTES = 1024;
const root = process.env.ELENIK_ROOT;
if (!root) throw new Error('run through scripts/bench-http.sh (ELENIK_ROOT is not set)');
const { cpuMeter } = await import(new URL('bench/process-cpu.mjs', `file://${root}/`).href);
const { writeSection } = await import(new URL('bench/benchmarks-md.mjs', `file://${root}/`).href);
const server = new URL('./server.mjs', import.meta.url).pathname;
const secret = `bench_${randomBytes(16).toString('hex')}`;
const pinned = cpus().length >= 2 && existsSync('/usr/bin/taskset');

const KINDS = [
  { kind: 'bare', name: 'node:http, bare (reads the body, answers 200)' },
  { kind: 'receiver', name: 'http.createServer(receiver.node), dedupe: false' },
  { kind: 'hand', name: 'hand-rolled: createHmac + timingSafeEqual + JSON.parse' },
  { kind: 'octokit', name: "Octokit's createNodeMiddleware (@octokit/webhooks)" },
];

const head = `{"event":"payment_verified","data":{"user_id":"u_1","amount":49.99,"currency":"USD","note":"`;
const body = `${head}${'x'.repeat(BODY_BYTES - head.length - 3)}"}}`;
if (Buffer.byteLength(body) !== BODY_BYTES) throw new Error('bench body is not 1 KiB');
const signature = `sha256=${createHmac('sha256', secret).update(body).digest('hex')}`;
const headers = {
  'content-type': 'application/json',
  'x-elenik-signature': signature,
  // Octokit reads the same scheme under GitHub's names.
  'x-hub-signature-256': signature,
  'x-github-event': 'payment_verified',
  'x-github-delivery': '72d3162e-cc78-11e3-81ab-4c9367dc0958',
};

function start(kind) {
  const [command, args] = pinned ? ['taskset', ['-c', '0', process.execPath, server, kind]] : [process.execPath, [server, kind]];
  const child = spawn(command, args, { env: { ...process.env, BENCH_SECRET: secret }, stdio: ['ignore', 'pipe', 'inherit'] });
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`${kind}: not listening`)), 20_000);
    child.stdout.once('data', (chunk) => {
      clearTimeout(timer);
      const url = String(chunk).match(/http:\/\/127\.0\.0\.1:\d+\//)?.[0];
      url ? resolve({ url, pid: child.pid, stop: () => child.kill('SIGKILL') }) : reject(new Error(String(chunk)));
    });
    child.once('error', reject);
  });
}


async function measure(kind) {
  const { url, pid, stop } = await start(kind);
  try {
    const run = (duration) =>
      autocannon({ url, method: 'POST', connections: CONNECTIONS, pipelining: PIPELINING, duration, body, headers });
    await run(2); // warm-up: JIT
    const meter = cpuMeter({ server: pid });
    const result = await run(SECONDS);
    const { server: cpu } = meter(result.requests.total);
    if (result.non2xx > 0 || result.errors > 0) throw new Error(`${kind}: ${result.non2xx} non-2xx answers, ${result.errors} errors`);
    return { rps: result.requests.total / SECONDS, cpu };
  } finally {
    stop();
  }
}

const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];
const samples = Object.fromEntries(KINDS.map(({ kind }) => [kind, []]));
const load = [loadavg()[0]];
for (let round = 1; round <= ROUNDS; round += 1) {
  // Each round in a different order, so that no kind always follows the same one.
  const order = KINDS.map((_, i) => KINDS[(i + round - 1) % KINDS.length]);
  for (const { kind, name } of order) {
    const sample = await measure(kind);
    samples[kind].push(sample);
    console.log(`round ${round}: ${name}: ${Math.round(sample.rps)} req/s, ${sample.cpu?.toFixed(1)} µs server CPU per request`);
  }
  load.push(loadavg()[0]);
}

const rps = Object.fromEntries(KINDS.map(({ kind }) => [kind, median(samples[kind].map((s) => s.rps))]));
const cpu = (kind) => (samples[kind].every((s) => s.cpu !== null) ? median(samples[kind].map((s) => s.cpu)).toFixed(1) : 'n/a');
// Ratios per round (each kind against the others of the same round), then their median.
const roundRatio = (a, b) => median(samples[a].map((s, i) => s.rps / samples[b][i].rps));
const targets = [
  ['receiver', 'hand', 0.97],
  ['receiver', 'octokit', 1.1],
];
const rows = KINDS.map(
  ({ kind, name }) =>
    `| ${name} | ${Math.round(rps[kind]).toLocaleString('en-US')} | ${samples[kind].map((s) => Math.round(s.rps)).join(', ')} | ${(rps[kind] / rps.bare).toFixed(2)}× | ${cpu(kind)} |`,
);
const ratios = targets.map(([a, b, target]) => {
  const ratio = roundRatio(a, b);
  return { a, b, target, ratio, line: `| receiver / ${b === 'hand' ? 'hand-rolled' : 'Octokit'} | ${ratio.toFixed(2)}× | ≥ ${target.toFixed(2)}× | ${ratio >= target ? 'met' : '**missed**'} |` };
});
const version = (name) => JSON.parse(readFileSync(new URL(`./node_modules/${name}/package.json`, import.meta.url), 'utf8')).version;

const section = `<!-- http-bench:start: written by scripts/bench-http.sh (bench/http/bench.mjs); the rest of this file is others' -->
## The receiver over HTTP, server-bound

The same signed ${BODY_BYTES}-byte \`payment_verified\` body, over and over, to four node:http servers on
loopback, side by side in one run. The load generator (autocannon ${version('autocannon')}, ${CONNECTIONS} connections,
${PIPELINING} requests pipelined each) sends one pre-signed request, so it computes no HMAC per request,
and ${pinned ? 'runs on CPU 1 with the server on CPU 0 (taskset)' : 'shares the CPUs with the server (no taskset here)'}: the server is the bottleneck.
The kinds alternate over ${ROUNDS} rounds of ${SECONDS} s (after a 2 s warm-up each); medians. Node.js ${process.version},
@octokit/webhooks ${version('@octokit/webhooks')}, ${cpus().length} CPUs (${cpus()[0]?.model ?? 'unknown'}), load average ${load.map((l) => l.toFixed(1)).join(' → ')}
over the run (the machine is shared: compare within a round, as the ratios below do).

| server | req/s (median) | each round | ratio to bare | server CPU per request (µs) |
|---|---|---|---|---|
${rows.join('\n')}

| ratio (median of the rounds' ratios) | measured | target | |
|---|---|---|---|
${ratios.map((r) => r.line).join('\n')}
<!-- http-bench:end -->`;

writeSection(`${root}/BENCHMARKS.md`, 'http-bench', section);
writeFileSync(`${root}/target/http-bench.json`, JSON.stringify({ load, samples }, null, 1));
console.log(`\n${section}\n`);
