// One receiver instance as a user deploys it: http.createServer(receiver.node) from the packed
// package, guarded by redisStore over the client named by REDIS_CLIENT. Its handler appends
// "<instance> start|run <deliveryKey>" to RUNS_FILE, so the test counts runs across instances;
// `data.delay_ms` makes it slow, `data.hang_on: <instance>` makes it hang (until SIGKILL).
import { appendFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { clients, pkg } from './package.mjs';

const { REDIS_CLIENT, REDIS_URL, RUNS_FILE, INSTANCE, SECRET, LEASE_SECONDS = '60' } = process.env;
const { client } = await clients[REDIS_CLIENT](REDIS_URL);
const record = (what, key) => appendFileSync(RUNS_FILE, `${INSTANCE} ${what} ${key}\n`);

const receiver = pkg
  .createReceiver({
    secret: SECRET,
    dedupe: { store: pkg.redisStore(client, { timeoutMs: 2000 }), leaseSeconds: Number(LEASE_SECONDS) },
  })
  .onAny(async (event, { deliveryKey }) => {
    record('start', deliveryKey);
    if (event.data?.hang_on === INSTANCE) await new Promise(() => {});
    await new Promise((resolve) => setTimeout(resolve, event.data?.delay_ms ?? 0));
    record('run', deliveryKey);
  });

const server = createServer(receiver.node).listen(0, '127.0.0.1', () => {
  console.log(`listening on http://127.0.0.1:${server.address().port}`);
});
