// The receiver under `make bench` (tests/dedupe/bench.mjs): http.createServer(receiver.node) from
// the packed package with GUARD = off (dedupe: false) | node-redis | ioredis (redisStore over it).
import { createServer } from 'node:http';
import { clients, pkg } from './package.mjs';

const { GUARD, REDIS_URL, SECRET } = process.env;
let dedupe = false;
if (GUARD !== 'off') {
  const { client } = await clients[GUARD === 'ioredis' ? 'ioredis' : 'node-redis 5'](REDIS_URL);
  dedupe = { store: pkg.redisStore(client, { prefix: `bench:${GUARD}:` }) };
}
const receiver = pkg.createReceiver({ secret: SECRET, dedupe }).onAny(() => {});
const server = createServer(receiver.node);
server.keepAliveTimeout = 60_000;
server.listen(0, '127.0.0.1', () => console.log(`listening on http://127.0.0.1:${server.address().port}`));
