// One receiver for both route handlers: verifyRequest reads the raw body once (as bytes, at most
// 1 MiB), checks X-Elenik-Signature and parses the event. No Next.js configuration is needed: the
// package's `node` export serves the Node.js runtime, its `edge-light` export the Edge runtime.
import { verifyRequest, WebhookVerificationError } from 'elenik-webhooks';

export async function receive(request) {
  const secret = process.env.ELENIK_WEBHOOK_SECRET;
  if (!secret) return Response.json({ error: 'NOT_CONFIGURED' }, { status: 500 });
  try {
    const event = await verifyRequest(request, secret);
    console.log(`accepted ${event.event}`);
    return Response.json({ received: true, event: event.event });
  } catch (error) {
    if (!(error instanceof WebhookVerificationError)) throw error;
    // 401 for a missing or wrong signature, 400 for a bad event, 413 for an oversize body.
    return Response.json({ error: error.code, message: error.message }, { status: error.status });
  }
}
