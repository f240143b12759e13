// An Elenik webhook receiver on Cloudflare Workers. The package's `workerd` export imports its
// .wasm as a module, so wrangler bundles it and verification runs synchronously.
import { env } from 'cloudflare:workers';
import { createReceiver } from 'elenik-webhooks';

// Built once per isolate: the secret binding is read from cloudflare:workers' env at start-up.
const receiver = createReceiver({ secret: env.ELENIK_WEBHOOK_SECRET })
  .on('payment_verified', (event) => console.log(`payment ${event.data.amount} ${event.data.currency}`))
  .onAny((event) => console.log(`accepted ${event.event}`));

// The receiver is the Worker: it reads the body once as bytes (at most 1 MiB), verifies it,
// runs the handlers and answers JSON. Route it to your webhook path in wrangler.toml.
export default { fetch: receiver.fetch };
