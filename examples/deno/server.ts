// An Elenik webhook receiver on Deno.serve. The package comes from ./node_modules (npm install),
// where Deno picks its `deno` export: the Wasm is inlined, so no --allow-read is needed.
//   ELENIK_WEBHOOK_SECRET=... deno run --allow-net=127.0.0.1 --allow-env=ELENIK_WEBHOOK_SECRET,PORT server.ts
import { Verifier, verifyRequest, WebhookVerificationError } from 'elenik-webhooks';

const secret = Deno.env.get('ELENIK_WEBHOOK_SECRET');
if (!secret) {
  console.error('Set ELENIK_WEBHOOK_SECRET to the endpoint secret shown in Elenik.');
  Deno.exit(2);
}
// Built once: the HMAC key state is computed here, not per request.
const verifier = new Verifier(secret);

async function handle(request: Request): Promise<Response> {
  if (request.method !== 'POST' || new URL(request.url).pathname !== '/webhooks/elenik') {
    return Response.json({ error: 'NOT_FOUND' }, { status: 404 });
  }
  try {
    // Reads the body once as bytes, refusing more than 1 MiB, then verifies and parses it.
    const event = await verifyRequest(request, verifier);
    if (event.event === 'payment_verified') {
      // Narrowed by the event type: data.amount is a number, data.currency a string.
      console.log(`accepted payment_verified: ${event.data.amount} ${event.data.currency}`);
    } else {
      console.log(`accepted ${event.event}`);
    }
    return Response.json({ received: true, event: event.event });
  } catch (error) {
    if (!(error instanceof WebhookVerificationError)) throw error;
    // 401 for a missing or wrong signature, 400 for a bad event, 413 for an oversize body.
    return Response.json({ error: error.code, message: error.message }, { status: error.status });
  }
}

Deno.serve(
  {
    hostname: '127.0.0.1',
    port: Number(Deno.env.get('PORT') ?? 8787),
    onListen: ({ port }) => console.log(`listening on http://127.0.0.1:${port}/webhooks/elenik`),
  },
  handle,
);
