// One hostile app (app.mjs) on one Node.js framework, in its own process, so that a crash is seen:
//   node --expose-gc serve-node.mjs node:http|express|fastify|hono|hono-1.19
// Prints "LISTENING <url>" once it listens on 127.0.0.1; stops by itself after STOP_AFTER_MS.
import { createServer } from 'node:http';
import * as pkg from 'elenik-webhooks';
import { createApp } from './app.mjs';

const adapter = process.argv[2];
const app = createApp(pkg);
setTimeout(() => process.exit(0), Number(process.env.STOP_AFTER_MS ?? 300_000)).unref();

/** GET routes on a node:http response. */
function sendGet(req, res) {
  const url = new URL(req.url, 'http://localhost');
  const [status, body] = app.get(url.pathname, url.search);
  res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
}

const servers = {
  // receiver.node on node:http.
  async 'node:http'() {
    const server = createServer((req, res) => {
      if (req.method === 'GET') return sendGet(req, res);
      const receiver = app.receiverFor(req.url);
      if (!receiver) return res.writeHead(404).end();
      receiver.node(req, res);
    });
    await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
    return server.address().port;
  },
  // receiver.node as an Express 5 route.
  async express() {
    const { default: express } = await import('express');
    const web = express();
    web.get('/:route', sendGet);
    web.all('/:scenario', (req, res) => {
      const receiver = app.receivers[req.params.scenario];
      if (!receiver) return res.status(404).end();
      receiver.node(req, res);
    });
    const server = await new Promise((resolve) => {
      const s = web.listen(0, '127.0.0.1', () => resolve(s));
    });
    return server.address().port;
  },
  // Fastify 5 as the README shows it: the raw Buffer to receive(), its answer sent back.
  async fastify() {
    const { default: Fastify } = await import('fastify');
    const fastify = Fastify();
    fastify.get('/:route', (request, reply) => {
      const url = new URL(request.url, 'http://localhost');
      const [status, body] = app.get(url.pathname, url.search);
      reply.code(status).send(body);
    });
    await fastify.register(async (webhooks) => {
      webhooks.addContentTypeParser('application/json', { parseAs: 'buffer' }, (request, body, done) => done(null, body));
      webhooks.post('/:scenario', async (request, reply) => {
        const receiver = app.receivers[request.params.scenario];
        if (!receiver) return reply.code(404).send({});
        const { status, body } = await receiver.receive(request.body, request.headers);
        return reply.code(status).send(body);
      });
    });
    await fastify.listen({ port: 0, host: '127.0.0.1' });
    return fastify.server.address().port;
  },
  // receiver.fetch under Hono on @hono/node-server, as the README shows it.
  hono: () => hono('@hono/node-server'),
  // The 1.19 line wrote Content-Length into the headers object a Response was built with (issue 17).
  'hono-1.19': () => hono('hono-node-server-1'),
};

async function hono(server) {
  {
    const { Hono } = await import('hono');
    const { serve } = await import(server);
    const web = new Hono();
    web.get('/:route', (c) => app.fetch(c.req.raw));
    web.on(['POST', 'PUT'], '/:scenario', (c) => {
      const receiver = app.receivers[c.req.param('scenario')];
      return receiver ? receiver.fetch(c.req.raw) : c.json({}, 404);
    });
    return new Promise((resolve) => serve({ fetch: web.fetch, port: 0, hostname: '127.0.0.1' }, (info) => resolve(info.port)));
  }
}

const port = await servers[adapter]();
console.log(`LISTENING http://127.0.0.1:${port}`);
