// Runs app.js on Node.js.
//   ELENIK_WEBHOOK_SECRET=... node node.js     (PORT defaults to 8787; PORT=0 picks a free one)
import { serve } from '@hono/node-server';
import app from './app.js';

if (!process.env.ELENIK_WEBHOOK_SECRET) {
  console.error('Set ELENIK_WEBHOOK_SECRET to the endpoint secret shown in Elenik.');
  process.exit(2);
}

serve({ fetch: app.fetch, hostname: '127.0.0.1', port: Number(process.env.PORT ?? 8787) }, ({ port }) => {
  console.log(`listening on http://127.0.0.1:${port}/webhooks/elenik`);
});
