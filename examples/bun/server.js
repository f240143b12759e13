// An Elenik webhook receiver on Bun.serve. Bun picks the package's `bun` export, which loads the
// .wasm file synchronously.
//   ELENIK_WEBHOOK_SECRET=... bun server.js     (PORT defaults to 8787; PORT=0 picks a free one)
import { createReceiver } from 'elenik-webhooks';

const secret = process.env.ELENIK_WEBHOOK_SECRET;
if (!secret) {
  console.error('Set ELENIK_WEBHOOK_SECRET to the endpoint secret shown in Elenik.');
  process.exit(2);
}

const receiver = createReceiver({ secret })
  .on('payment_verified', (event) => console.log(`payment ${event.data.amount} ${event.data.currency}`))
  .onAny((event) => console.log(`accepted ${event.event}`));

const server = Bun.serve({
  hostname: '127.0.0.1',
  port: Number(process.env.PORT ?? 8787),
  routes: { '/webhooks/elenik': receiver.fetch },
  fetch: () => Response.json({ error: 'NOT_FOUND' }, { status: 404 }),
});
console.log(`listening on http://127.0.0.1:${server.port}/webhooks/elenik`);
