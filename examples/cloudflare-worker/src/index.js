// An Elenik webhook receiver on Cloudflare Workers. The package's `workerd` export imports its
// .wasm as a module, so wrangler bundles it and verification runs synchronously inside fetch().
import { Verifier, verifyRequest, WebhookVerificationError } from 'elenik-webhooks';

// One per isolate, built on the first request (the secret binding is only reachable inside
// fetch): the HMAC key state is computed once, not per request.
let verifier;

export default {
  async fetch(request, env) {
    const { pathname } = new URL(request.url);
    if (request.method !== 'POST' || pathname !== '/webhooks/elenik') {
      return Response.json({ error: 'NOT_FOUND' }, { status: 404 });
    }
    try {
      verifier ??= new Verifier(env.ELENIK_WEBHOOK_SECRET);
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
};
