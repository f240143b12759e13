// The receiver's OpenTelemetry support (issue 19), from the packed tarball, against the real SDK:
// @opentelemetry/sdk-trace-base's InMemorySpanExporter and @opentelemetry/sdk-metrics's
// InMemoryMetricExporter, registered globally as an application would, and the receiver given the
// API module as `telemetry`. scripts/test-observe.sh runs it.
import { after, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createHmac } from 'node:crypto';
import { createServer, request as httpRequest } from 'node:http';
import { once } from 'node:events';
import * as otel from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import { BasicTracerProvider, InMemorySpanExporter, SimpleSpanProcessor } from '@opentelemetry/sdk-trace-base';
import { AggregationTemporality, InMemoryMetricExporter, MeterProvider, PeriodicExportingMetricReader } from '@opentelemetry/sdk-metrics';
import { createReceiver } from 'elenik-webhooks';

const spans = new InMemorySpanExporter();
const tracerProvider = new BasicTracerProvider({ spanProcessors: [new SimpleSpanProcessor(spans)] });
otel.context.setGlobalContextManager(new AsyncLocalStorageContextManager().enable());
otel.trace.setGlobalTracerProvider(tracerProvider);
const metricExporter = new InMemoryMetricExporter(AggregationTemporality.CUMULATIVE);
// The reader exports on forceFlush() only (the interval is never reached in a test).
const reader = new PeriodicExportingMetricReader({ exporter: metricExporter, exportIntervalMillis: 3_600_000 });
const meterProvider = new MeterProvider({ readers: [reader] });
otel.metrics.setGlobalMeterProvider(meterProvider);
after(async () => {
  await meterProvider.shutdown();
  await tracerProvider.shutdown();
});

const secret = 'whsec_otel_test';
const sig = (body, key = secret) => `sha256=${createHmac('sha256', key).update(body).digest('hex')}`;
const payment = JSON.stringify({ event: 'payment_verified', data: { user_id: 'u_1', amount: 49.99, currency: 'USD' } });
const silent = { warn() {}, error() {} };

/** Every data point of the metric `name` in the last export, as [attributes, value]. */
async function points(name) {
  metricExporter.reset();
  await reader.forceFlush();
  const metrics = metricExporter.getMetrics().flatMap((m) => m.scopeMetrics).filter((s) => s.scope.name === 'elenik-webhooks');
  const metric = metrics.flatMap((s) => s.metrics).find((m) => m.descriptor.name === name);
  return metric ? metric.dataPoints.map((p) => [p.attributes, p.value]) : [];
}

describe('OpenTelemetry', () => {
  test('a span per delivery with the semantic-convention and elenik.* attributes, and a child span per handler', async () => {
    spans.reset();
    const receiver = createReceiver({ secret, logger: silent, telemetry: otel })
      .on('payment_verified', () => {
        // The handler's own spans are children of its handler span.
        otel.trace.getTracer('app').startSpan('app.save').end();
      })
      .onAny(async () => {});
    const server = createServer(receiver.node).listen(0, '127.0.0.1');
    await once(server, 'listening');
    try {
      const status = await new Promise((resolve, reject) => {
        const req = httpRequest({ host: '127.0.0.1', port: server.address().port, method: 'POST', headers: { 'x-elenik-signature': sig(payment) } }, (res) => {
          res.resume();
          res.on('end', () => resolve(res.statusCode));
        });
        req.on('error', reject);
        req.end(payment);
      });
      assert.equal(status, 200);
    } finally {
      server.close();
    }
    const finished = spans.getFinishedSpans();
    const delivery = finished.find((s) => s.name === 'elenik.delivery');
    assert.ok(delivery, 'a delivery span');
    const key = delivery.attributes['elenik.delivery.key'];
    assert.match(key, /^[0-9a-f]{64}$/);
    assert.deepEqual(delivery.attributes, {
      'http.request.method': 'POST',
      'http.response.status_code': 200,
      'elenik.outcome': 'received',
      'elenik.duplicate': false,
      'elenik.event.type': 'payment_verified',
      'elenik.delivery.key': key,
    });
    const handlers = finished.filter((s) => s.name === 'elenik.handler');
    assert.equal(handlers.length, 2, 'one span per handler: on, then onAny');
    const id = (span) => span.spanContext().spanId;
    const parentOf = (span) => span.parentSpanContext?.spanId ?? span.parentSpanId;
    for (const handler of handlers) {
      assert.equal(parentOf(handler), id(delivery));
      assert.equal(handler.attributes['elenik.event.type'], 'payment_verified');
    }
    const save = finished.find((s) => s.name === 'app.save');
    assert.equal(parentOf(save), id(handlers[0]));
  });

  test('rejections, duplicates and failures: outcome, status, error.type and span status', async () => {
    spans.reset();
    const receiver = createReceiver({ secret, logger: silent, telemetry: otel });
    await receiver.receive(payment, { 'x-elenik-signature': sig(payment, 'whsec_forger') });
    await receiver.receive(payment, { 'x-elenik-signature': sig(payment) });
    await receiver.receive(payment, { 'x-elenik-signature': sig(payment) });
    await receiver.fetch(new Request('http://127.0.0.1/', { method: 'GET' }));
    const failing = createReceiver({ secret, logger: silent, telemetry: otel, dedupe: false }).on('payment_verified', () => {
      throw new Error('boom');
    });
    await failing.receive(payment, { 'x-elenik-signature': sig(payment) });
    const finished = spans.getFinishedSpans();
    const deliveries = finished.filter((s) => s.name === 'elenik.delivery');
    assert.deepEqual(
      deliveries.map((s) => [s.attributes['http.response.status_code'], s.attributes['elenik.outcome'], s.attributes['elenik.duplicate'], s.attributes['error.type'], s.status.code]),
      [
        [401, 'rejected', false, 'SIGNATURE_MISMATCH', otel.SpanStatusCode.UNSET],
        [200, 'received', false, undefined, otel.SpanStatusCode.UNSET],
        [200, 'duplicate', true, undefined, otel.SpanStatusCode.UNSET],
        [405, 'rejected', false, 'METHOD_NOT_ALLOWED', otel.SpanStatusCode.UNSET],
        [500, 'failed', false, 'HANDLER_FAILED', otel.SpanStatusCode.ERROR],
      ],
    );
    assert.equal(deliveries[3].attributes['http.request.method'], 'GET');
    assert.equal(deliveries[0].attributes['http.request.method'], undefined, 'receive() has no HTTP method');
    const failed = finished.find((s) => s.name === 'elenik.handler');
    assert.equal(failed.status.code, otel.SpanStatusCode.ERROR);
    assert.equal(failed.events[0].name, 'exception');
  });

  test('a deliveries counter by outcome and a handler-duration histogram', async () => {
    const receiver = createReceiver({ secret, logger: silent, telemetry: otel }).on('user_signup', () => {});
    const before = new Map((await points('elenik.deliveries')).map(([a, v]) => [`${a['elenik.outcome']} ${a['http.response.status_code']}`, v]));
    const signup = JSON.stringify({ event: 'user_signup', data: { user_id: 'u_9', email: 'a@example.com' } });
    await receiver.receive(signup, { 'x-elenik-signature': sig(signup) });
    await receiver.receive(signup, { 'x-elenik-signature': sig(signup) });
    await receiver.receive(signup, { 'x-elenik-signature': sig(signup, 'x') });
    const counts = new Map((await points('elenik.deliveries')).map(([a, v]) => [`${a['elenik.outcome']} ${a['http.response.status_code']}`, v]));
    const added = (k) => (counts.get(k) ?? 0) - (before.get(k) ?? 0);
    assert.equal(added('received 200'), 1);
    assert.equal(added('duplicate 200'), 1);
    assert.equal(added('rejected 401'), 1);
    const histogram = (await points('elenik.handler.duration')).find(([a]) => a['elenik.event.type'] === 'user_signup');
    assert.ok(histogram, 'a handler-duration data point for user_signup');
    assert.equal(histogram[0]['elenik.outcome'], 'ok');
    assert.equal(histogram[1].count, 1);
    assert.ok(histogram[1].sum >= 0);
  });

  test('a telemetry error changes no answer: a tracer whose spans throw', async () => {
    const broken = {
      ...otel,
      trace: { ...otel.trace, getTracer: () => ({ startSpan: () => { throw new Error('tracer down'); } }) },
    };
    const receiver = createReceiver({ secret, logger: silent, telemetry: broken });
    const result = await receiver.receive(payment, { 'x-elenik-signature': sig(payment) });
    assert.equal(result.status, 200);
  });
});
