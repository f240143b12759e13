// The README's Cloudflare wiring, as a user writes it: the receiver answers once the queue holds
// the delivery, `queue(batch)` runs it through receiver.queue, and the dead-letter queue's
// consumer keeps what used up its retries. Test routes: /runs (runs and dead letters by key),
// /fix (the failing handler is fixed), /replay?key=K (a kept dead letter sent to the queue again,
// as docs/queues.md shows).
import { cloudflareQueue, createReceiver, durableObjectStore } from 'elenik-webhooks';

export { ElenikDedupe } from 'elenik-webhooks';

// Counts per "<what> <key>" ("run", "start", "dead"), in one object.
export class Runs {
  constructor(state) {
    this.state = state;
  }
  async fetch(request) {
    const { pathname, searchParams } = new URL(request.url);
    if (pathname === '/fix') {
      await this.state.storage.put('fixed', true);
      return Response.json({});
    }
    if (pathname === '/message') return Response.json((await this.state.storage.get(`message ${searchParams.get('key')}`)) ?? null);
    if (request.method === 'POST') {
      const { what, key, message } = await request.json();
      const name = `${what} ${key}`;
      await this.state.storage.put(name, ((await this.state.storage.get(name)) ?? 0) + 1);
      if (message) await this.state.storage.put(`message ${key}`, message);
      return Response.json({});
    }
    return Response.json(Object.fromEntries(await this.state.storage.list()));
  }
}

const runs = (env) => env.RUNS.get(env.RUNS.idFromName('runs'));
const record = (env, what, key, message) =>
  runs(env).fetch('https://runs/', { method: 'POST', body: JSON.stringify({ what, key, message }) });

let receiver;
const receiverFor = (env) =>
  (receiver ??= createReceiver({
    secret: env.ELENIK_WEBHOOK_SECRET,
    dedupe: { store: durableObjectStore(env.ELENIK_DEDUPE), leaseSeconds: 30 },
    queue: cloudflareQueue(env.WEBHOOKS),
  }).onAny(async (event, { deliveryKey }) => {
    await record(env, 'start', deliveryKey);
    if (event.data?.fail && !(await (await runs(env).fetch('https://runs/')).json()).fixed) throw new Error('failing on purpose');
    await record(env, 'run', deliveryKey);
  }));

export default {
  async fetch(request, env) {
    const { pathname, searchParams } = new URL(request.url);
    if (pathname === '/runs') return runs(env).fetch('https://runs/');
    if (pathname === '/fix') return runs(env).fetch('https://runs/fix');
    if (pathname === '/replay') {
      // The replay of docs/queues.md: the dead letter as it was kept, sent to the queue again.
      const message = await (await runs(env).fetch(`https://runs/message?key=${searchParams.get('key')}`)).json();
      await env.WEBHOOKS.send(message, { contentType: 'json' });
      return Response.json({ replayed: message.key });
    }
    return receiverFor(env).fetch(request);
  },
  async queue(batch, env) {
    if (batch.queue === 'elenik-webhooks-dlq') {
      // The dead letters: kept with their original bytes, to replay after a fix (README).
      for (const message of batch.messages) {
        await record(env, 'dead', message.body.key, message.body);
        message.ack();
      }
      return;
    }
    await receiverFor(env).queue(batch);
    // Each message this consumer has seen through (acked or retried), for the test to wait on.
    for (const message of batch.messages) await record(env, 'consumed', message.body.key);
  },
};
