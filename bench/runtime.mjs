// The package's verify timed inside Deno or Bun (run by run.mjs with each runtime's binary from
// tests/runtimes): one JSON line per case on stdout. `elenik-webhooks` resolves through the
// package's exports map, so each runtime loads the entry it would load for a user.
import * as api from 'elenik-webhooks';
import { SIZES, measure, packageCases } from './fixtures.mjs';

const now = () => performance.now();
for (const size of SIZES) {
  for (const [name, kind, fn] of packageCases(api, size)) {
    if (fn() !== true) throw new Error(`${name} (${kind}) did not verify`);
    const stats = await measure(fn, { now });
    console.log(JSON.stringify({ name, kind, size, ...stats }));
  }
}
