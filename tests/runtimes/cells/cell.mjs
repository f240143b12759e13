// The matrix cell for ES module runtimes and bundles: Node `import`, Bun `import`, Deno, and the
// Vite, webpack and esbuild bundles (run in Chromium). Prints one `MATRIX-RESULT` line.
import * as api from 'elenik-webhooks';
import vectors from './vectors.json' with { type: 'json' };
import { runCheck } from './check.mjs';

runCheck(api, vectors).then(
  (result) => console.log('MATRIX-RESULT ' + JSON.stringify(result)),
  (error) => console.log('MATRIX-RESULT ' + JSON.stringify({ ok: false, checks: 0, failures: [{ name: 'check', message: String(error?.stack ?? error) }], transcript: [] })),
);
