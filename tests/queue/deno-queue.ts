// The README's Deno wiring, as a user writes it: the receiver guarded by denoKvStore, answering
// once kv.enqueue holds the delivery, and kv.listenQueue consuming with receiver.consume. Test
// routes: /runs (runs by key), /undelivered (what keysIfUndelivered kept), /fix, /replay. Run by
// tests/queue/deno.test.mjs with --check, so Deno type-checks the package's declarations too.
import { createReceiver, denoKvQueue, denoKvStore } from 'elenik-webhooks';

const kv = await Deno.openKv(':memory:');
const runs = new Map<string, number>();
let fixed = false; // the test's stand-in for shipping a fix
const count = (name: string) => runs.set(name, (runs.get(name) ?? 0) + 1);

const receiver = createReceiver({
  secret: Deno.env.get('ELENIK_WEBHOOK_SECRET')!,
  dedupe: { store: denoKvStore(kv), leaseSeconds: 30 },
  // Short retries for the test; the default schedule outlasts the lease (README).
  queue: denoKvQueue(kv, { backoffSchedule: [100, 100] }),
}).onAny((event, { deliveryKey }) => {
  count(`start ${deliveryKey}`);
  if ((event.data as { fail?: boolean }).fail && !fixed) throw new Error('failing on purpose');
  count(`run ${deliveryKey}`);
});

// Braces: Deno types listenQueue's handler as returning Promise<void>, and consume resolves an outcome.
kv.listenQueue(async (message) => {
  await receiver.consume(message);
});

Deno.serve({ hostname: '127.0.0.1', port: 0, onListen: ({ port }) => console.log(`listening on http://127.0.0.1:${port}`) }, async (request) => {
  const { pathname } = new URL(request.url);
  if (pathname === '/runs') return Response.json(Object.fromEntries(runs));
  if (pathname === '/undelivered') {
    const entries = [];
    for await (const entry of kv.list({ prefix: ['elenik-webhooks', 'undelivered'] })) entries.push(entry.value);
    return Response.json(entries);
  }
  if (pathname === '/fix') return Response.json((fixed = true));
  if (pathname === '/replay') {
    // After a fix: each undelivered message goes through consume again, then leaves the list.
    const outcomes = [];
    for await (const entry of kv.list({ prefix: ['elenik-webhooks', 'undelivered'] })) {
      outcomes.push(await receiver.consume(entry.value));
      await kv.delete(entry.key);
    }
    return Response.json(outcomes);
  }
  return receiver.fetch(request);
});
