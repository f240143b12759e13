// An Elenik webhook receiver on Cloudflare Workers. The package's `workerd` export imports its
// .wasm as a module, so wrangler bundles it and verification runs synchronously inside fetch().
import { Verifier, verifyRequest, WebhookVerificationError } from 'elenik-webhooks';

// Signature problems are 401, a bad event 400, an oversize body 413; a missing secret binding is
// the deployment's fault, 500.
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
      return Response.json({ error: error.code, message: error.message }, { status: STATUS[error.code] ?? 500 });
    }
  },
};
