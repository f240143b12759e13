// One receiver for both route handlers (each runtime loads its own copy): it reads the raw body
// once (as bytes, at most 1 MiB), checks X-Elenik-Signature, runs the handlers once per delivery
// and answers JSON. No Next.js configuration is needed: the package's `node` export serves the
// Node.js runtime, its `edge-light` export the Edge runtime.
import { createReceiver } from 'elenik-webhooks';

// The secret as a function: read on the first request, because `next build` loads this module
// to collect each route's configuration, without the runtime's secrets.
export const receiver = createReceiver({ secret: () => process.env.ELENIK_WEBHOOK_SECRET })
  .on('payment_verified', (event) => console.log(`payment ${event.data.amount} ${event.data.currency}`))
  .onAny((event) => console.log(`accepted ${event.event}`));
