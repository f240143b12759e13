// Serves one Deno KV store (denoKvStore over an in-memory Deno.openKv) to the contract suite on
// 127.0.0.1: POST { op, key, token, seconds, now } → { result }. Run by tests/dedupe/stores.test.mjs
// with `deno run --unstable-kv --allow-net=127.0.0.1`, from a project with the packed tarball.
import { denoKvStore } from 'elenik-webhooks';

const kv = await Deno.openKv(':memory:');
Deno.serve({ hostname: '127.0.0.1', port: 0, onListen: ({ port }) => console.log(`http://127.0.0.1:${port}`) }, async (request) => {
  const { op, key, token, seconds, now } = await request.json();
  const store = denoKvStore(kv, { now: () => now });
  try {
    return Response.json({ result: await store[op](key, token, seconds) });
  } catch (error) {
    return Response.json({ error: String(error.message) }, { status: 500 });
  }
});
