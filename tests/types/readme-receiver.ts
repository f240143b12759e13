// The README's receiver snippets (quick start, frameworks), type-checked under `strict` as a
// TypeScript user would paste them: the code as the README has it, each snippet in its own
// block, its imports at the top. Other packages and runtimes: shims.d.ts.
import express from 'express';
import http from 'node:http';
import { env } from 'cloudflare:workers';
import { createReceiver } from 'elenik-webhooks';

declare function credit(userId: string, amount: number): Promise<void>;
declare const fastify: {
  register(plugin: (webhooks: {
    addContentTypeParser(type: string, options: { parseAs: 'buffer' }, parser: (request: unknown, body: Uint8Array, done: (error: null, body: Uint8Array) => void) => void): void;
    post(path: string, handler: (request: { body: Uint8Array; headers: { [name: string]: string | string[] | undefined } }, reply: { code(status: number): { send(body: unknown): unknown } }) => Promise<unknown>): void;
  }) => Promise<void>): Promise<void>;
};

// Quick start.
{
  const receiver = createReceiver({ secret: process.env.ELENIK_WEBHOOK_SECRET })
    .on('payment_verified', async (event, { deliveryKey }) => {
      await credit(event.data.user_id, event.data.amount); // typed: amount is a number
    })
    .onAny((event) => console.log(`received ${event.event}`));

  const app = express();
  app.post('/webhooks/elenik', receiver.node); // before any body parser
}

// Frameworks.
async function frameworks(): Promise<void> {
  const receiver = createReceiver({ secret: process.env.ELENIK_WEBHOOK_SECRET });
  const app = express();
  // node:http
  http.createServer(receiver.node).listen(8787);

  // Express 5: mount it before express.json(). After express.raw it uses the Buffer in req.body.
  app.post('/webhooks/elenik', receiver.node);

  // Fastify 5: Fastify parses JSON before the route runs, so give the webhook route a scope where
  // application/json stays the raw Buffer, and hand it to receive().
  await fastify.register(async (webhooks) => {
    webhooks.addContentTypeParser('application/json', { parseAs: 'buffer' }, (request, body, done) => done(null, body));
    webhooks.post('/webhooks/elenik', async (request, reply) => {
      const { status, body } = await receiver.receive(request.body, request.headers);
      return reply.code(status).send(body);
    });
  });

  // Deno, Bun
  Deno.serve(receiver.fetch);
  Bun.serve({ routes: { '/webhooks/elenik': receiver.fetch } });
}

// Cloudflare Workers: the secret binding from cloudflare:workers' env.
const workerReceiver = createReceiver({ secret: env.ELENIK_WEBHOOK_SECRET });
export default { fetch: workerReceiver.fetch };

// Next.js App Router, app/webhooks/elenik/route.js (Node.js or Edge runtime)
const nextReceiver = createReceiver({ secret: () => process.env.ELENIK_WEBHOOK_SECRET });
export const POST = nextReceiver.fetch;

export { frameworks };
