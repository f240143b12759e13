// One Hono app that receives Elenik webhooks on any runtime Hono runs on; node.js and worker.js
// are the two entries that start it on Node.js and on Cloudflare Workers.
import { Hono } from 'hono';
import { env } from 'hono/adapter';
import { createReceiver } from 'elenik-webhooks';

// Built on the first request, because on Workers the secret binding only reaches Hono through
// the request (env(c) reads process.env on Node.js and the bindings on Workers).
let receiver;
const receiverFor = (secret) =>
  (receiver ??= createReceiver({ secret })
    .on('payment_verified', (event) => console.log(`payment ${event.data.amount} ${event.data.currency}`))
    .onAny((event) => console.log(`accepted ${event.event}`)));

const app = new Hono();

// c.req.raw is the fetch Request, body unread: the receiver reads it once as bytes (at most
// 1 MiB). Do not call c.req.json() first; the signature covers the raw bytes.
app.post('/webhooks/elenik', (c) => receiverFor(env(c).ELENIK_WEBHOOK_SECRET).fetch(c.req.raw));

app.notFound((c) => c.json({ error: 'NOT_FOUND' }, 404));

export default app;
