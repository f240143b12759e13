// One Hono app that receives Elenik webhooks on any runtime Hono runs on; node.js and worker.js
// are the two entries that start it on Node.js and on Cloudflare Workers.
import { Hono } from 'hono';
import { env } from 'hono/adapter';
import { Verifier, verifyRequest, WebhookVerificationError } from 'elenik-webhooks';

// Built on the first request, because on Workers the secret binding only exists inside a
// request; after that the HMAC key state is reused.
let verifier;

const app = new Hono();

app.post('/webhooks/elenik', async (c) => {
  // env() reads process.env on Node.js and the bindings (c.env) on Workers.
  verifier ??= new Verifier(env(c).ELENIK_WEBHOOK_SECRET);
  // c.req.raw is the fetch Request, body unread: verifyRequest reads it once as bytes (at most
  // 1 MiB). Do not call c.req.json() first; the signature covers the raw bytes.
  const event = await verifyRequest(c.req.raw, verifier);
  console.log(`accepted ${event.event}`);
  return c.json({ received: true, event: event.event });
});

app.notFound((c) => c.json({ error: 'NOT_FOUND' }, 404));

app.onError((error, c) => {
  if (error instanceof WebhookVerificationError) {
    // 401 for a missing or wrong signature, 400 for a bad event, 413 for an oversize body.
    return c.json({ error: error.code, message: error.message }, error.status);
  }
  console.error(error);
  return c.json({ error: 'INTERNAL' }, 500);
});

export default app;
