// One Hono app that receives Elenik webhooks on any runtime Hono runs on; node.js and worker.js
// are the two entries that start it on Node.js and on Cloudflare Workers.
import { Hono } from 'hono';
import { env } from 'hono/adapter';
import { Verifier, verifyRequest, WebhookVerificationError } from 'elenik-webhooks';

// Signature problems are 401, a bad event 400, an oversize body 413; a missing secret is the
// deployment's fault, 500.
const STATUS = {
  MISSING_SIGNATURE: 401,
  MALFORMED_SIGNATURE: 401,
  UNSUPPORTED_ALGORITHM: 401,
  SIGNATURE_MISMATCH: 401,
  INVALID_JSON: 400,
  INVALID_EVENT: 400,
  INVALID_PAYLOAD: 400,
  PAYLOAD_TOO_LARGE: 413,
  INVALID_SECRET: 500,
};

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
    return c.json({ error: error.code, message: error.message }, STATUS[error.code] ?? 500);
  }
  console.error(error);
  return c.json({ error: 'INTERNAL' }, 500);
});

export default app;
