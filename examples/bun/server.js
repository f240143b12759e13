// An Elenik webhook receiver on Bun.serve. Bun picks the package's `bun` export, which loads the
// .wasm file synchronously.
//   ELENIK_WEBHOOK_SECRET=... bun server.js     (PORT defaults to 8787; PORT=0 picks a free one)
import { Verifier, verifyRequest, WebhookVerificationError } from 'elenik-webhooks';

const secret = process.env.ELENIK_WEBHOOK_SECRET;
if (!secret) {
  console.error('Set ELENIK_WEBHOOK_SECRET to the endpoint secret shown in Elenik.');
  process.exit(2);
}
// Built once: the HMAC key state is computed here, not per request.
const verifier = new Verifier(secret);

const server = Bun.serve({
  hostname: '127.0.0.1',
  port: Number(process.env.PORT ?? 8787),
  async fetch(request) {
    if (request.method !== 'POST' || new URL(request.url).pathname !== '/webhooks/elenik') {
      return Response.json({ error: 'NOT_FOUND' }, { status: 404 });
    }
    try {
      // Reads the body once as bytes, refusing more than 1 MiB, then verifies and parses it.
      const event = await verifyRequest(request, verifier);
      console.log(`accepted ${event.event}`);
      return Response.json({ received: true, event: event.event });
    } catch (error) {
      if (!(error instanceof WebhookVerificationError)) throw error;
      // 401 for a missing or wrong signature, 400 for a bad event, 413 for an oversize body.
      return Response.json({ error: error.code, message: error.message }, { status: error.status });
    }
  },
});
console.log(`listening on http://127.0.0.1:${server.port}/webhooks/elenik`);
