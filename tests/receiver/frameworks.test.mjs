// The receiver from the packed tarball inside real Node.js frameworks, each on 127.0.0.1: signed,
// tampered, unsigned, oversize (by content-length and chunked) and duplicate deliveries, and the
// body-parser mistakes. Workers, Deno and Bun run from examples/ (examples/test.mjs).
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createHmac, randomBytes } from 'node:crypto';
import { createServer } from 'node:http';
import { once } from 'node:events';
import express from 'express';
import Fastify from 'fastify';
import { Hono } from 'hono';
import { serve } from '@hono/node-server';
import { createReceiver, DEFAULT_MAX_BODY_BYTES } from 'elenik-webhooks';

const secret = `whsec_${randomBytes(16).toString('hex')}`;
const PATH = '/webhooks/elenik';
const sig = (body, key = secret) => `sha256=${createHmac('sha256', key).update(body).digest('hex')}`;
const MIB = 1024 * 1024;
let serial = 0;
/** A fresh payment_verified body (a new delivery each call). */
const fresh = () => JSON.stringify({ event: 'payment_verified', data: { user_id: `u_${++serial}`, amount: 49.99, currency: 'USD' } });
const oversize = () => JSON.stringify({ event: 'user_signup', data: { user_id: 'u_big', pad: 'x'.repeat(MIB) } });

/** A receiver that counts its handler runs per user id. */
function countingReceiver() {
  const runs = new Map();
  const receiver = createReceiver({ secret, logger: false }).on('payment_verified', async (event) => {
    runs.set(event.data.user_id, (runs.get(event.data.user_id) ?? 0) + 1);
  });
  return { receiver, runs };
}

async function post(url, body, headers, { chunked = false, method = 'POST' } = {}) {
  let sent = body;
  if (chunked) {
    const bytes = new TextEncoder().encode(body);
    let offset = 0;
    sent = new ReadableStream({
      pull(controller) {
        if (offset >= bytes.length) return controller.close();
        controller.enqueue(bytes.subarray(offset, (offset += 64 * 1024)));
      },
    });
  }
  try {
    const response = await fetch(url, {
      method,
      body: sent,
      duplex: 'half',
      headers: { 'content-type': 'application/json', ...headers },
      signal: AbortSignal.timeout(10_000),
    });
    const text = await response.text();
    let reply = text;
    try {
      reply = JSON.parse(text);
    } catch {}
    return { status: response.status, reply, allow: response.headers.get('allow') };
  } catch (error) {
    // A server may close the connection on an oversize body before the client finished sending.
    return { status: 'closed', reply: error.cause?.code ?? error.message };
  }
}

/** Each framework: start(receiver) → { url, close }. */
const frameworks = {
  'node:http': async (receiver) => listen(createServer(receiver.node)),
  'Express 5, no body parser': async (receiver) => {
    const app = express();
    app.post(PATH, receiver.node);
    return listen(app);
  },
  'Express 5, express.raw on the route': async (receiver) => {
    const app = express();
    // Larger than maxBodyBytes, so the receiver (not express.raw) answers the oversize body.
    app.post(PATH, express.raw({ type: 'application/json', limit: 2 * MIB }), receiver.node);
    app.use(express.json()); // other routes may still parse JSON
    return listen(app);
  },
  'Express 5, express.raw for every route (global)': async (receiver) => {
    const app = express();
    app.use(express.raw({ type: '*/*', limit: '2mb' }));
    app.post(PATH, receiver.node);
    return listen(app);
  },
  'Fastify 5 (a content-type parser that keeps the Buffer, then receive)': async (receiver) => {
    const fastify = Fastify();
    await fastify.register(async (scope) => {
      // The recipe of examples/fastify: in this scope application/json stays raw bytes.
      scope.addContentTypeParser('application/json', { parseAs: 'buffer' }, (request, body, done) => done(null, body));
      scope.post(PATH, async (request, reply) => {
        const { status, body } = await receiver.receive(request.body, request.headers);
        return reply.code(status).send(body);
      });
    });
    await fastify.listen({ port: 0, host: '127.0.0.1' });
    return { url: `http://127.0.0.1:${fastify.server.address().port}${PATH}`, close: () => fastify.close() };
  },
  'Hono on Node.js (@hono/node-server)': async (receiver) => {
    const app = new Hono();
    app.post(PATH, (c) => receiver.fetch(c.req.raw));
    const server = serve({ fetch: app.fetch, port: 0, hostname: '127.0.0.1' });
    await once(server, 'listening');
    return { url: `http://127.0.0.1:${server.address().port}${PATH}`, close: () => closeServer(server) };
  },
};

async function listen(handler) {
  const server = handler.listen ? handler.listen(0, '127.0.0.1') : handler;
  if (!handler.listen) server.listen(0, '127.0.0.1');
  if (!server.listening) await once(server, 'listening');
  return { url: `http://127.0.0.1:${server.address().port}${PATH}`, close: () => closeServer(server) };
}

function closeServer(server) {
  server.closeAllConnections?.();
  return new Promise((resolve) => server.close(resolve));
}

/** Statuses seen per framework, printed as the closing table. */
const seen = [];

for (const [name, start] of Object.entries(frameworks)) {
  describe(name, () => {
    const { receiver, runs } = countingReceiver();
    let server;
    const statuses = [];
    const record = (what, status) => statuses.push(`${what} ${status}`);
    before(async () => {
      server = await start(receiver);
    });
    after(async () => {
      seen.push([name, statuses]);
      await server?.close();
    });

    test('signed → 200 and the handler runs once; the same delivery again → 200 duplicate, no run', async () => {
      const body = fresh();
      const first = await post(server.url, body, { 'x-elenik-signature': sig(body) });
      record('signed', first.status);
      assert.deepEqual([first.status, first.reply], [200, { received: true, event: 'payment_verified' }]);
      const again = await post(server.url, body, { 'x-elenik-signature': sig(body) });
      record('duplicate', again.status);
      assert.deepEqual([again.status, again.reply], [200, { received: true, duplicate: true }]);
      assert.equal(runs.get(JSON.parse(body).data.user_id), 1);
    });

    test('tampered → 401 SIGNATURE_MISMATCH; unsigned → 401 MISSING_SIGNATURE; no handler runs', async () => {
      const body = fresh();
      const tampered = await post(server.url, body.replace('49.99', '0.01'), { 'x-elenik-signature': sig(body) });
      const unsigned = await post(server.url, body, {});
      record('tampered', tampered.status);
      record('unsigned', unsigned.status);
      assert.deepEqual([tampered.status, tampered.reply.error], [401, 'SIGNATURE_MISMATCH']);
      assert.deepEqual([unsigned.status, unsigned.reply.error], [401, 'MISSING_SIGNATURE']);
      assert.equal(runs.has(JSON.parse(body).data.user_id), false);
    });

    test('oversize (1 MiB + padding), by content-length and chunked → 413', async () => {
      const body = oversize();
      assert.ok(Buffer.byteLength(body) > DEFAULT_MAX_BODY_BYTES);
      for (const chunked of [false, true]) {
        const { status, reply } = await post(server.url, body, { 'x-elenik-signature': sig(body) }, { chunked });
        record(chunked ? 'oversize chunked' : 'oversize', status);
        assert.equal(status, 413, JSON.stringify(reply));
        // Fastify refuses it with its own bodyLimit (1 MiB by default) before the route runs.
        assert.equal(name.startsWith('Fastify') ? reply.code : reply.error, name.startsWith('Fastify') ? 'FST_ERR_CTP_BODY_TOO_LARGE' : 'PAYLOAD_TOO_LARGE');
      }
    });
  });
}

describe('node:http: methods other than POST', () => {
  test('405 with Allow: POST and a JSON body', async () => {
    const { receiver } = countingReceiver();
    const server = await listen(createServer(receiver.node));
    try {
      for (const method of ['GET', 'PUT', 'DELETE']) {
        const { status, reply, allow } = await post(server.url, method === 'GET' ? undefined : '{}', {}, { method });
        assert.deepEqual([status, allow, reply.error], [405, 'POST', 'METHOD_NOT_ALLOWED']);
      }
    } finally {
      await server.close();
    }
  });
});

describe('the body-parser mistake', () => {
  for (const [parser, mount] of [
    ['express.json()', (app) => app.use(express.json())],
    ['express.text({ type: "*/*" })', (app) => app.use(express.text({ type: '*/*' }))],
    ["a middleware that reads the stream and keeps no copy", (app) => app.use(async (req, res, next) => {
      for await (const _ of req); // consumes the stream and keeps nothing
      next();
    })],
  ]) {
    test(`${parser} before the receiver: a clear 500 INVALID_PAYLOAD naming the fix, at once`, async () => {
      const { receiver, runs } = countingReceiver();
      const app = express();
      mount(app);
      app.post(PATH, receiver.node);
      const server = await listen(app);
      try {
        const body = fresh();
        const started = performance.now();
        const { status, reply } = await post(server.url, body, { 'x-elenik-signature': sig(body) });
        assert.ok(performance.now() - started < 5_000, 'answered, not hung');
        seen.push([`Express 5 after ${parser}`, [`signed ${status}`]]);
        assert.deepEqual([status, reply.error], [500, 'INVALID_PAYLOAD']);
        assert.match(reply.message, /express\.raw|before/);
        assert.equal(runs.size, 0);
      } finally {
        await server.close();
      }
    });
  }
});

after(() => {
  console.log('\nframework | deliveries → statuses');
  for (const [name, statuses] of seen) console.log(`${name} | ${statuses.join(', ')}`);
});
