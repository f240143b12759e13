// An Elenik webhook receiver on Express 5.
//   ELENIK_WEBHOOK_SECRET=... node server.mjs     (PORT defaults to 8787; PORT=0 picks a free one)
import express from 'express';
import { pathToFileURL } from 'node:url';
import { Verifier, WebhookVerificationError } from 'elenik-webhooks';

export function createApp({ secret, onEvent = () => {} }) {
  // Built once: the HMAC key state is computed here, not per request.
  const verifier = new Verifier(secret);
  const app = express();

  // The common mistake, which rejects every genuine delivery with SIGNATURE_MISMATCH:
  //
  //   app.use(express.json());
  //   app.post('/webhooks/elenik', (req, res) => {
  //     verifier.constructEvent(JSON.stringify(req.body), req.headers); // not the bytes Elenik signed
  //   });
  //
  // JSON.stringify of the parsed body drops the sender's whitespace and rewrites numbers (49.90
  // becomes 49.9) and escapes ("\u00e9" becomes "é"), so its HMAC differs.
  //
  // The fix: express.raw on the webhook route, so req.body is the Buffer exactly as it arrived
  // (up to 1 MiB; larger bodies get 413 below). Other routes may keep express.json(), mounted
  // after this route or on a router of their own.
  app.post(
    '/webhooks/elenik',
    express.raw({ type: 'application/json', limit: '1mb' }),
    (req, res) => {
      // Without a JSON content type express.raw leaves req.body unset: constructEvent then
      // answers INVALID_PAYLOAD, which becomes a 400.
      const event = verifier.constructEvent(req.body, req.headers);
      onEvent(event);
      res.json({ received: true, event: event.event });
    },
  );

  app.use((req, res) => res.status(404).json({ error: 'NOT_FOUND' }));

  // Express 5 sends errors thrown in handlers here.
  app.use((error, req, res, next) => {
    if (error instanceof WebhookVerificationError) {
      // 401 for a missing or wrong signature, 400 for a bad event, 413 for an oversize body.
      return res.status(error.status).json({ error: error.code, message: error.message });
    }
    if (error.type === 'entity.too.large') {
      return res.status(413).json({ error: 'PAYLOAD_TOO_LARGE', message: 'the body is over 1 MiB' });
    }
    return next(error);
  });
  return app;
}

if (import.meta.url === pathToFileURL(process.argv[1]).href) {
  const secret = process.env.ELENIK_WEBHOOK_SECRET;
  if (!secret) {
    console.error('Set ELENIK_WEBHOOK_SECRET to the endpoint secret shown in Elenik.');
    process.exit(2);
  }
  const app = createApp({ secret, onEvent: (event) => console.log(`accepted ${event.event}`) });
  const server = app.listen(Number(process.env.PORT ?? 8787), '127.0.0.1', () => {
    const { port } = server.address();
    console.log(`listening on http://127.0.0.1:${port}/webhooks/elenik`);
  });
}
