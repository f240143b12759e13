// An Elenik webhook receiver on plain node:http.
//   ELENIK_WEBHOOK_SECRET=... node server.mjs     (PORT defaults to 8787; PORT=0 picks a free one)
import { createServer } from 'node:http';
import { createReceiver } from 'elenik-webhooks';

const secret = process.env.ELENIK_WEBHOOK_SECRET;
if (!secret) {
  console.error('Set ELENIK_WEBHOOK_SECRET to the endpoint secret shown in Elenik.');
  process.exit(2);
}

// Verifies the raw body (read here, at most 1 MiB), answers every case as JSON (200, 401, 400,
// 413, 405, and 200 duplicate for a delivery it already handled), and runs the handlers once.
const receiver = createReceiver({ secret })
  .on('payment_verified', (event) => console.log(`payment ${event.data.amount} ${event.data.currency}`))
  .onAny((event) => console.log(`accepted ${event.event}`));

const server = createServer((req, res) => {
  if (new URL(req.url, 'http://localhost').pathname !== '/webhooks/elenik') {
    res.writeHead(404, { 'content-type': 'application/json' }).end('{"error":"NOT_FOUND"}');
    return;
  }
  return receiver.node(req, res);
});
server.listen(Number(process.env.PORT ?? 8787), '127.0.0.1', () => {
  console.log(`listening on http://127.0.0.1:${server.address().port}/webhooks/elenik`);
});
