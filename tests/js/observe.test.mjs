// What operators see (issue 19), from the packed tarball without OpenTelemetry: a log line for
// every rejection and failure at the level of its class, rate-limited per code on an injected
// clock, and an onDelivery record for every request, through receive() and both adapters.
// tests/observe/ holds the OpenTelemetry half, against the real SDK.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createHmac } from 'node:crypto';
import { createServer, request as httpRequest } from 'node:http';
import { once } from 'node:events';
import { readFileSync, readdirSync } from 'node:fs';
import { createReceiver, memoryStore } from 'elenik-webhooks';

const secret = 'whsec_observe_test';
const sig = (body, key = secret) => `sha256=${createHmac('sha256', key).update(body).digest('hex')}`;
const payment = JSON.stringify({ event: 'payment_verified', data: { user_id: 'u_1', amount: 49.99, currency: 'USD' } });
const signed = (body = payment) => ({ 'x-elenik-signature': sig(body) });

/** A logger that records every line, and a clock the test moves. */
function setup(options = {}) {
  const lines = [];
  const logger = { warn: (...args) => lines.push(['warn', ...args]), error: (...args) => lines.push(['error', ...args]) };
  const clock = { t: 1000 };
  const outcomes = [];
  const receiver = createReceiver({ secret, logger, now: () => clock.t, production: false, ...options }).onDelivery((o) => outcomes.push(o));
  return { receiver, lines, clock, outcomes };
}

const text = (lines) => lines.map((line) => line.map(String).join(' ')).join('\n');

describe('log lines by class', () => {
  test('a forged signature is a warn line with explainMismatch finding codes, never the secret or a signature', async () => {
    const { receiver, lines } = setup();
    // The body-parser mistake: signed over the pretty-printed JSON.
    const header = sig(JSON.stringify(JSON.parse(payment), null, 2));
    const result = await receiver.receive(payment, { 'x-elenik-signature': header });
    assert.equal(result.status, 401);
    assert.equal(lines.length, 1);
    const [level, line] = lines[0];
    assert.equal(level, 'warn');
    assert.match(line, /401 SIGNATURE_MISMATCH/);
    assert.match(line, /BODY_REINDENTED/);
    assert.ok(!line.includes(secret), 'no secret');
    assert.ok(!line.includes(header.slice(7)), 'not the signature received');
    assert.ok(!line.includes(sig(payment).slice(7)), 'not the expected signature');
  });

  test('in production (the option, or NODE_ENV=production by default) a 401 line has no findings', async () => {
    const { receiver, lines } = setup({ production: true });
    await receiver.receive(payment, signed(payment + '\n'));
    assert.equal(lines.length, 1);
    assert.match(lines[0][1], /401 SIGNATURE_MISMATCH/);
    assert.doesNotMatch(lines[0][1], /explainMismatch|BODY_|SECRET_/);

    const before = process.env.NODE_ENV;
    process.env.NODE_ENV = 'production';
    try {
      const { receiver: byEnv, lines: envLines } = setup({ production: undefined });
      await byEnv.receive(payment, signed(payment + '\n'));
      assert.doesNotMatch(envLines[0][1], /explainMismatch/);
    } finally {
      if (before === undefined) delete process.env.NODE_ENV;
      else process.env.NODE_ENV = before;
    }
    const { receiver: dev, lines: devLines } = setup({ production: undefined });
    await dev.receive(payment, signed(payment + '\n'));
    assert.match(devLines[0][1], /explainMismatch finds [A-Z_]+ \(/);
  });

  test('a secret function returning undefined is an error line naming the fix', async () => {
    const { receiver, lines } = setup({ secret: () => undefined });
    const result = await receiver.receive(payment, signed());
    assert.deepEqual([result.status, result.body.error], [500, 'INVALID_SECRET']);
    assert.equal(lines.length, 1);
    assert.equal(lines[0][0], 'error');
    assert.match(lines[0][1], /500 INVALID_SECRET.*fix: .*ELENIK_WEBHOOK_SECRET/);
  });

  test('a body parser before receiver.node is an error line naming the fix', async () => {
    const { receiver, lines, outcomes } = setup();
    const res = fakeResponse();
    await receiver.node({ method: 'POST', headers: signed(), body: JSON.parse(payment), readableEnded: true }, res);
    assert.equal(res.status, 500);
    assert.equal(lines.length, 1);
    assert.equal(lines[0][0], 'error');
    assert.match(lines[0][1], /500 INVALID_PAYLOAD.*express\.json\(\).*fix: /);
    assert.deepEqual(pick(outcomes[0]), { status: 500, code: 'INVALID_PAYLOAD', duplicate: false });
  });

  test('400, 413 and 405 are warn lines; duplicates and 409 are not logged; 503 and a handler failure are errors', async () => {
    const { receiver, lines } = setup({ maxBodyBytes: 64 });
    const bad = JSON.stringify({ event: 'payment_verified' });
    assert.equal((await receiver.receive(bad, signed(bad))).status, 400);
    assert.equal((await receiver.receive(payment, signed())).status, 413);
    assert.equal((await receiver.fetch(new Request('http://127.0.0.1/', { method: 'GET' }))).status, 405);
    assert.deepEqual(
      lines.map(([level, line]) => [level, line.match(/answered (\d+ [A-Z_]+)/)[1]]),
      [['warn', '400 INVALID_EVENT'], ['warn', '413 PAYLOAD_TOO_LARGE'], ['warn', '405 METHOD_NOT_ALLOWED']],
    );

    const quiet = setup();
    const small = JSON.stringify({ event: 'user_signup', data: { user_id: 'u', email: 'e@x' } });
    await quiet.receiver.receive(small, signed(small));
    await quiet.receiver.receive(small, signed(small)); // a duplicate
    const store = { claim: async () => 'processing', complete: async () => true, release: async () => true };
    const busy = setup({ dedupe: store });
    assert.equal((await busy.receiver.receive(small, signed(small))).status, 409);
    assert.deepEqual([...quiet.lines, ...busy.lines], []);

    const down = setup({ dedupe: { claim: async () => Promise.reject(new Error('down')), complete: async () => true, release: async () => true } });
    assert.equal((await down.receiver.receive(small, signed(small))).status, 503);
    const failing = setup();
    failing.receiver.on('user_signup', () => {
      throw new Error('boom');
    });
    assert.equal((await failing.receiver.receive(small, signed(small))).status, 500);
    assert.deepEqual([...down.lines, ...failing.lines].map(([level]) => level), ['error', 'error']);
  });

  test('log lines are rate-limited per code: one per 10 s, then one with the count of the others', async () => {
    const { receiver, lines, clock } = setup();
    const forged = { 'x-elenik-signature': sig(payment, 'whsec_forger') };
    for (let i = 0; i < 50; i++) await receiver.receive(payment, forged);
    await receiver.fetch(new Request('http://127.0.0.1/', { method: 'PUT' })); // another code: its own line
    assert.equal(lines.length, 2);
    clock.t += 9_999;
    await receiver.receive(payment, forged);
    assert.equal(lines.length, 2);
    clock.t += 1;
    await receiver.receive(payment, forged);
    assert.equal(lines.length, 3);
    assert.match(lines[2][1], /401 SIGNATURE_MISMATCH.*\(50 more like this since the last one were not logged\)/);
    // The step's own lines (a failing store) are limited the same way.
    const down = setup({ dedupe: { claim: async () => Promise.reject(new Error('down')), complete: async () => true, release: async () => true } });
    for (let i = 0; i < 20; i++) await down.receiver.receive(payment, signed());
    assert.equal(down.lines.length, 1);
  });

  test('the rate limit keeps at most 256 codes: the oldest is forgotten (the unbundled observe.js)', async () => {
    const src = process.env.ELENIK_PKG_SRC;
    assert.ok(src, 'scripts/test-js.sh sets ELENIK_PKG_SRC');
    const { rateLimitedLog } = await import(new URL(`file://${src}/receiver/observe.js`).href);
    const written = [];
    const log = rateLimitedLog({ warn: (line) => written.push(line) }, () => 0);
    for (let i = 0; i < 300; i++) log('warn', `code ${i}`, () => [`line ${i}`]);
    assert.equal(log('warn', 'code 299', () => ['again']), false, 'a recent code is still limited');
    assert.equal(log('warn', 'code 0', () => ['again']), true, 'the oldest code was forgotten');
    assert.equal(written.length, 301);
    assert.equal(log('warn', 'broken', () => { throw new Error('no line'); }), false, 'a line that cannot be built is dropped');
  });

  test('a logger that throws changes no answer', async () => {
    const logger = { warn() { throw new Error('logger down'); }, error() { throw new Error('logger down'); } };
    const receiver = createReceiver({ secret, logger });
    assert.equal((await receiver.receive(payment, signed(payment + ' '))).status, 401);
  });
});

/** The outcome without its timings (they are checked apart). */
const pick = ({ durationMs, handlerMs, ...rest }) => rest;

function fakeResponse() {
  return {
    headersSent: false,
    writeHead(status, headers) {
      this.status = status;
      this.headers = headers;
      this.headersSent = true;
    },
    end(body) {
      this.body = body;
    },
  };
}

describe('onDelivery', () => {
  test('every answer of receive() gives one record: status, code, event, deliveryKey, duplicate, durations', async () => {
    const { receiver, clock, outcomes } = setup({ maxBodyBytes: 1024 });
    receiver.on('payment_verified', () => {
      clock.t += 25; // the handler's time, on the test's clock
    });
    const result = await receiver.receive(payment, signed());
    assert.equal(result.status, 200);
    assert.equal(outcomes.length, 1);
    const key = outcomes[0].deliveryKey;
    assert.match(key, /^[0-9a-f]{64}$/);
    assert.deepEqual(outcomes[0], { status: 200, duplicate: false, durationMs: 25, event: 'payment_verified', deliveryKey: key, handlerMs: 25 });
    await receiver.receive(payment, signed());
    assert.deepEqual(outcomes[1], { status: 200, duplicate: true, durationMs: 0, event: 'payment_verified', deliveryKey: key });
    await receiver.receive(payment, signed(payment + '\n'));
    assert.deepEqual(outcomes[2], { status: 401, code: 'SIGNATURE_MISMATCH', duplicate: false, durationMs: 0 });
  });

  test('a handler failure, a 409 and a 503 each give their record', async () => {
    const failing = setup({ dedupe: false });
    failing.receiver.on('payment_verified', () => Promise.reject(new Error('boom')));
    await failing.receiver.receive(payment, signed());
    assert.deepEqual(pick(failing.outcomes[0]), { status: 500, code: 'HANDLER_FAILED', duplicate: false, event: 'payment_verified' });
    assert.equal(typeof failing.outcomes[0].handlerMs, 'number');
    const busy = setup({ dedupe: { claim: async () => 'processing', complete: async () => true, release: async () => true } });
    await busy.receiver.receive(payment, signed());
    assert.equal(busy.outcomes[0].code, 'DELIVERY_IN_PROGRESS');
    assert.equal(busy.outcomes[0].status, 409);
    assert.match(busy.outcomes[0].deliveryKey, /^[0-9a-f]{64}$/);
  });

  test('receiver.fetch: a 405 and a body over the limit (read by the adapter) are recorded too', async () => {
    const { receiver, outcomes } = setup({ maxBodyBytes: 16 });
    await receiver.fetch(new Request('http://127.0.0.1/', { method: 'GET' }));
    await receiver.fetch(new Request('http://127.0.0.1/', { method: 'POST', body: payment, headers: signed() }));
    assert.deepEqual(outcomes.map(pick), [
      { status: 405, code: 'METHOD_NOT_ALLOWED', duplicate: false },
      { status: 413, code: 'PAYLOAD_TOO_LARGE', duplicate: false },
    ]);
  });

  test('an internal error in either adapter gives a 500 INTERNAL_ERROR record, logged once as an error', async () => {
    const { receiver, outcomes, lines } = setup();
    assert.equal((await receiver.fetch(null)).status, 500);
    const res = fakeResponse();
    await receiver.node(null, res);
    assert.equal(res.status, 500);
    assert.deepEqual(outcomes.map(pick), [
      { status: 500, code: 'INTERNAL_ERROR', duplicate: false },
      { status: 500, code: 'INTERNAL_ERROR', duplicate: false },
    ]);
    assert.deepEqual(lines.map(([level, line]) => [level, line]), [
      ['error', 'elenik-webhooks: receiver.fetch failed'],
      ['error', 'elenik-webhooks: receiver.node failed'],
    ]);
  });

  test('receiver.node over HTTP: 200, 405, 413 from the content-length, and the client that went away', async () => {
    const { receiver, outcomes } = setup({ maxBodyBytes: 1024, now: undefined });
    const server = createServer(receiver.node).listen(0, '127.0.0.1');
    await once(server, 'listening');
    const { port } = server.address();
    const post = (method, body, headers = {}) =>
      new Promise((resolve, reject) => {
        const req = httpRequest({ host: '127.0.0.1', port, method, headers }, (res) => {
          res.resume();
          res.on('end', () => resolve(res.statusCode));
        });
        req.on('error', reject);
        req.end(body);
      });
    try {
      assert.equal(await post('POST', payment, signed()), 200);
      assert.equal(await post('GET'), 405);
      assert.equal(await post('POST', 'x'.repeat(2048), { 'content-length': 2048 }).catch(() => 413), 413);
      // A client that sends half a body and goes away: no answer, a 499 CLIENT_CLOSED record.
      const arrived = once(server, 'request');
      const req = httpRequest({ host: '127.0.0.1', port, method: 'POST', headers: { 'content-length': 100 } });
      req.on('error', () => {});
      req.write('{"event"');
      await arrived;
      req.destroy();
      for (let i = 0; i < 100 && outcomes.length < 4; i++) await new Promise((r) => setTimeout(r, 10));
    } finally {
      server.close();
    }
    assert.deepEqual(outcomes.map((o) => [o.status, o.code]), [[200, undefined], [405, 'METHOD_NOT_ALLOWED'], [413, 'PAYLOAD_TOO_LARGE'], [499, 'CLIENT_CLOSED']]);
    for (const o of outcomes) assert.ok(o.durationMs >= 0);
  });

  test('a hook that throws, rejects or never settles changes no answer and delays none; hooks chain like on', async () => {
    const { receiver, lines, outcomes } = setup();
    const chained = receiver
      .onDelivery(() => {
        throw new Error('hook threw');
      })
      .onDelivery(() => Promise.reject(new Error('hook rejected')))
      .onDelivery(() => new Promise(() => {}));
    assert.equal(chained, receiver);
    const result = await receiver.receive(payment, signed());
    assert.equal(result.status, 200);
    assert.deepEqual(result.body, { received: true, event: 'payment_verified' });
    const response = await receiver.fetch(new Request('http://127.0.0.1/', { method: 'POST', body: payment, headers: signed() }));
    assert.equal(response.status, 200);
    assert.equal(outcomes.length, 2);
    await new Promise((r) => setImmediate(r));
    assert.ok(lines.every(([level, line]) => level === 'error' && /onDelivery hook failed/.test(line)));
    assert.equal(lines.length, 1, 'rate-limited to one line');
    assert.throws(() => receiver.onDelivery('nope'), TypeError);
  });

  test('the option checks: now, production and telemetry', () => {
    assert.throws(() => createReceiver({ secret, now: 5 }), /now must be a function/);
    assert.throws(() => createReceiver({ secret, production: 'yes' }), /production must be a boolean/);
    assert.throws(() => createReceiver({ secret, telemetry: {} }), /@opentelemetry\/api module/);
  });
});

test('the package loads nothing of OpenTelemetry: no import or require of it anywhere in what ships', () => {
  const root = new URL('../node_modules/elenik-webhooks/', import.meta.url);
  const manifest = JSON.parse(readFileSync(new URL('package.json', root), 'utf8'));
  assert.equal(manifest.dependencies, undefined);
  assert.equal(manifest.peerDependenciesMeta['@opentelemetry/api'].optional, true);
  const files = readdirSync(root).filter((name) => /\.(c|m)?js$/.test(name));
  assert.ok(files.length > 4);
  for (const name of files) {
    const source = readFileSync(new URL(name, root), 'utf8');
    // A static import (at a line's start, as bundlers write it), require() or import().
    assert.doesNotMatch(source, /^\s*(import|export)\b[^'"\n]*['"]@opentelemetry/m, name);
    assert.doesNotMatch(source, /\b(require|import)\s*\(\s*['"]@opentelemetry/, name);
  }
  // Without the option, a receiver works in a project that has no @opentelemetry/api.
  assert.ok(createReceiver({ secret, dedupe: memoryStore() }));
});
