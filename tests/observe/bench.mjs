// The cost of the receiver's observability per delivery (issue 19), in process: receiver.receive()
// on distinct signed 1 KiB deliveries with the default memory store, one variant per child process
// (OpenTelemetry's AsyncLocalStorage context manager would otherwise slow every variant), the
// variants alternating over ROUNDS rounds; the median of each counts. It informs, never gates.
//
//   node bench.mjs                       from a project where elenik-webhooks and tests/observe's
//                                        @opentelemetry packages are installed (scripts/bench-observe.sh)
//   ELENIK_BASELINE=/path/to/index.js    adds the same loop on another build (the package before
//                                        issue 19), side by side
import { execFileSync } from 'node:child_process';
import { createHmac } from 'node:crypto';
import { pathToFileURL } from 'node:url';

const ROUNDS = Number(process.env.OBSERVE_BENCH_ROUNDS ?? 5);
const DELIVERIES = Number(process.env.OBSERVE_BENCH_DELIVERIES ?? 20_000);
const WARMUP = 5_000;
const BODY_BYTES = 1024;
const secret = 'whsec_observe_bench';

const VARIANTS = {
  baseline: 'the package before issue 19 (ELENIK_BASELINE)',
  plain: 'no onDelivery hook, no telemetry',
  hook: 'one onDelivery hook (counts outcomes)',
  'otel-noop': 'telemetry: @opentelemetry/api with no SDK registered',
  'otel-sdk': 'telemetry: the SDK (BasicTracerProvider, batch processor, in-memory exporters, AsyncLocalStorage context)',
};

function deliveries(count) {
  const list = [];
  for (let n = 0; n < count; n++) {
    const head = `{"event":"payment_verified","data":{"user_id":"u_${n}","amount":49.99,"currency":"USD","note":"`;
    const body = `${head}${'x'.repeat(BODY_BYTES - head.length - 3)}"}}`;
    list.push([body, { 'x-elenik-signature': `sha256=${createHmac('sha256', secret).update(body).digest('hex')}` }]);
  }
  return list;
}

async function telemetryFor(variant) {
  if (!variant.startsWith('otel')) return undefined;
  const otel = await import('@opentelemetry/api');
  if (variant === 'otel-sdk') {
    const { AsyncLocalStorageContextManager } = await import('@opentelemetry/context-async-hooks');
    const { BasicTracerProvider, BatchSpanProcessor, InMemorySpanExporter } = await import('@opentelemetry/sdk-trace-base');
    const { MeterProvider, PeriodicExportingMetricReader, InMemoryMetricExporter, AggregationTemporality } = await import('@opentelemetry/sdk-metrics');
    const spans = new InMemorySpanExporter();
    setInterval(() => spans.reset(), 1000).unref();
    otel.context.setGlobalContextManager(new AsyncLocalStorageContextManager().enable());
    otel.trace.setGlobalTracerProvider(new BasicTracerProvider({ spanProcessors: [new BatchSpanProcessor(spans)] }));
    const exporter = new InMemoryMetricExporter(AggregationTemporality.CUMULATIVE);
    otel.metrics.setGlobalMeterProvider(new MeterProvider({ readers: [new PeriodicExportingMetricReader({ exporter, exportIntervalMillis: 60_000 })] }));
  }
  return otel;
}

/** One variant in this process: nanoseconds per delivery over DELIVERIES distinct deliveries. */
async function worker(variant) {
  const module = variant === 'baseline' ? pathToFileURL(process.env.ELENIK_BASELINE).href : 'elenik-webhooks';
  const { createReceiver } = await import(module);
  const telemetry = await telemetryFor(variant);
  const receiver = createReceiver({ secret, logger: false, ...(telemetry ? { telemetry } : {}) }).on('payment_verified', () => {});
  const counts = new Map();
  if (variant === 'hook') receiver.onDelivery((o) => counts.set(o.status, (counts.get(o.status) ?? 0) + 1));
  const list = deliveries(WARMUP + DELIVERIES);
  for (let i = 0; i < WARMUP; i++) await receiver.receive(...list[i]);
  const start = process.hrtime.bigint();
  for (let i = WARMUP; i < list.length; i++) {
    const { status } = await receiver.receive(...list[i]);
    if (status !== 200) throw new Error(`${variant}: answered ${status}`);
  }
  return Number(process.hrtime.bigint() - start) / DELIVERIES;
}

if (process.argv[2] === '--worker') {
  process.stdout.write(`${await worker(process.argv[3])}\n`);
  process.exit(0);
}

const names = Object.keys(VARIANTS).filter((name) => name !== 'baseline' || process.env.ELENIK_BASELINE);
const results = Object.fromEntries(names.map((name) => [name, []]));
for (let round = 0; round < ROUNDS; round++) {
  for (const name of round % 2 ? [...names].reverse() : names) {
    const out = execFileSync(process.execPath, [new URL(import.meta.url).pathname, '--worker', name], { encoding: 'utf8' });
    results[name].push(Number(out.trim()));
  }
}
const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];
const best = (values) => Math.min(...values);
const us = (ns) => (ns / 1000).toFixed(2);
const signed = (ns) => `${ns >= 0 ? '+' : ''}${us(ns)}`;
const referenceName = names.includes('baseline') ? 'baseline' : 'plain';
console.log(`receiver.receive(), ${DELIVERIES} distinct 1 KiB deliveries per run, ${ROUNDS} runs each (Node ${process.versions.node})`);
console.log(`| variant | median µs/delivery | vs ${referenceName} | best µs/delivery | vs ${referenceName} |`);
console.log('|---|---|---|---|---|');
for (const name of names) {
  const [m, b] = [median(results[name]), best(results[name])];
  const [rm, rb] = [median(results[referenceName]), best(results[referenceName])];
  console.log(`| ${VARIANTS[name]} | ${us(m)} | ${signed(m - rm)} | ${us(b)} | ${signed(b - rb)} |`);
}
console.log(`runs (µs/delivery): ${names.map((name) => `${name} ${results[name].map(us).join(' ')}`).join('; ')}`);
