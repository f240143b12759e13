// An Elenik webhook receiver on Deno.serve. The package comes from ./node_modules (npm install),
// where Deno picks its `deno` export: the Wasm is inlined, so no --allow-read is needed.
//   ELENIK_WEBHOOK_SECRET=... deno run --allow-net=127.0.0.1 --allow-env=ELENIK_WEBHOOK_SECRET,PORT server.ts
import { createReceiver } from 'elenik-webhooks';

const secret = Deno.env.get('ELENIK_WEBHOOK_SECRET');
if (!secret) {
  console.error('Set ELENIK_WEBHOOK_SECRET to the endpoint secret shown in Elenik.');
  Deno.exit(2);
}

const receiver = createReceiver({ secret })
  // Typed by the event type: data.amount is a number, data.currency a string.
  .on('payment_verified', (event) => console.log(`payment ${event.data.amount.toFixed(2)} ${event.data.currency}`))
  .onAny((event) => console.log(`accepted ${event.event}`));

Deno.serve(
  {
    hostname: '127.0.0.1',
    port: Number(Deno.env.get('PORT') ?? 8787),
    onListen: ({ port }) => console.log(`listening on http://127.0.0.1:${port}/webhooks/elenik`),
  },
  (request) =>
    new URL(request.url).pathname === '/webhooks/elenik'
      ? receiver.fetch(request)
      : Response.json({ error: 'NOT_FOUND' }, { status: 404 }),
);
