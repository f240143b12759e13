// Serves one Deno KV store (denoKvStore over an in-memory Deno.openKv) to the contract suite on
// 127.0.0.1: POST { op, key, token, seconds, now } → { result }. Run by tests/dedupe/stores.test.mjs
// with `deno run --check --unstable-kv --allow-net=127.0.0.1`, from a project with the packed
// tarball, so Deno also type-checks a real Deno.Kv against denoKvStore's declaration.
import { denoKvStore } from 'elenik-webhooks';

const kv = await Deno.openKv(':memory:');
type Operation = { op: 'claim' | 'complete' | 'release'; key: string; token: string; seconds: number; now: number };

Deno.serve({ hostname: '127.0.0.1', port: 0, onListen: ({ port }) => console.log(`http://127.0.0.1:${port}`) }, async (request) => {
  const { op, key, token, seconds, now }: Operation = await request.json();
  const store = denoKvStore(kv, { now: () => now, prefix: ['contract'] });
  try {
    const result = op === 'release' ? await store.release(key, token) : await store[op](key, token, seconds);
    return Response.json({ result });
  } catch (error) {
    return Response.json({ error: String((error as Error).message) }, { status: 500 });
  }
});
