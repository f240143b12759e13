// A Worker as a user writes it (the receiver guarded by the Durable Object store), plus two test
// routes: /store runs one store operation with the test's clock, /runs counts handler runs.
import { createReceiver, durableObjectStore, ElenikDedupe as Dedupe } from 'elenik-webhooks';

// The user's line (README): the class must be exported from the Worker for its binding.
export { ElenikDedupe } from 'elenik-webhooks';

// Counts handler runs per delivery key, in one object (strongly consistent, like the guard).
export class Runs {
  constructor(state) {
    this.state = state;
  }
  async fetch(request) {
    if (request.method === 'POST') {
      const { key } = await request.json();
      const runs = ((await this.state.storage.get(key)) ?? 0) + 1;
      await this.state.storage.put(key, runs);
      return Response.json({ runs });
    }
    return Response.json(Object.fromEntries(await this.state.storage.list()));
  }
}

// The shipped class, plus a way for the test to look at what it stores (is a record gone after
// its alarm?). Everything else is ElenikDedupe's own code.
export class PeekDedupe extends Dedupe {
  async fetch(request) {
    if (new URL(request.url).pathname !== '/peek') return super.fetch(request);
    const storage = this.state.storage;
    return Response.json({ record: (await storage.get('record')) ?? null, alarm: await storage.getAlarm() });
  }
}

let receiver;
const runs = (env) => env.RUNS.get(env.RUNS.idFromName('runs'));

export default {
  async fetch(request, env) {
    const url = new URL(request.url);
    if (url.pathname === '/store') {
      const { op, key, token, seconds, now } = await request.json();
      const store = durableObjectStore(env.ELENIK_DEDUPE, { prefix: 'contract:', now: () => now });
      try {
        return Response.json({ result: await store[op](key, token, seconds) });
      } catch (error) {
        return Response.json({ error: String(error.message) }, { status: 500 });
      }
    }
    if (url.pathname === '/runs') return runs(env).fetch('https://runs/');
    if (url.pathname === '/peek') {
      const { op, key, token, seconds } = await request.json();
      if (op) return Response.json({ result: await durableObjectStore(env.PEEK)[op](key, token, seconds) });
      return env.PEEK.get(env.PEEK.idFromName(key)).fetch('https://peek/peek');
    }
    receiver ??= createReceiver({
      secret: env.ELENIK_WEBHOOK_SECRET,
      dedupe: { store: durableObjectStore(env.ELENIK_DEDUPE), leaseSeconds: 30 },
    }).onAny(async (event, context) => {
      await runs(env).fetch('https://runs/', { method: 'POST', body: JSON.stringify({ key: context.deliveryKey }) });
      // Long enough for the concurrent copies to arrive while this one holds the claim.
      await new Promise((resolve) => setTimeout(resolve, Number(event.data?.delay_ms ?? 0)));
    });
    return receiver.fetch(request);
  },
};
