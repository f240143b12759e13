// An Elenik webhook receiver on plain node:http.
//   ELENIK_WEBHOOK_SECRET=... node server.mjs     (PORT defaults to 8787; PORT=0 picks a free one)
import { createServer } from 'node:http';
import { pathToFileURL } from 'node:url';
import { Verifier, WebhookVerificationError } from 'elenik-webhooks';

const MAX_BODY_BYTES = 1024 * 1024;

export function createReceiver({ secret, onEvent = () => {} }) {
  // Built once: the HMAC key state is computed here, not per request.
  const verifier = new Verifier(secret);

  return createServer(async (req, res) => {
    if (req.method !== 'POST' || req.url !== '/webhooks/elenik') {
      return send(res, 404, { error: 'NOT_FOUND' });
    }
    // The signature covers the raw bytes, so read them as they came, up to a limit.
    const chunks = [];
    let size = 0;
    for await (const chunk of req) {
      size += chunk.length;
      if (size > MAX_BODY_BYTES) return send(res, 413, { error: 'PAYLOAD_TOO_LARGE' }, true);
      chunks.push(chunk);
    }
    try {
      const event = verifier.constructEvent(Buffer.concat(chunks), req.headers);
      onEvent(event);
      return send(res, 200, { received: true, event: event.event });
    } catch (error) {
      if (!(error instanceof WebhookVerificationError)) throw error;
      // 401 for a missing or wrong signature, 400 for a bad event, 413 for an oversize body.
      return send(res, error.status, { error: error.code, message: error.message });
    }
  });
}

function send(res, status, body, close = false) {
  res.writeHead(status, { 'content-type': 'application/json', ...(close && { connection: 'close' }) });
  res.end(JSON.stringify(body));
}

if (import.meta.url === pathToFileURL(process.argv[1]).href) {
  const secret = process.env.ELENIK_WEBHOOK_SECRET;
  if (!secret) {
    console.error('Set ELENIK_WEBHOOK_SECRET to the endpoint secret shown in Elenik.');
    process.exit(2);
  }
  const server = createReceiver({
    secret,
    onEvent: (event) => console.log(`accepted ${event.event}`),
  });
  server.listen(Number(process.env.PORT ?? 8787), '127.0.0.1', () => {
    const { port } = server.address();
    console.log(`listening on http://127.0.0.1:${port}/webhooks/elenik`);
  });
}
