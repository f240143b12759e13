// Import plus instantiation of the package in a fresh Node process, printed as JSON (ms).
// `cold` is the first import of the process, so it includes Node's one-time ESM loader start-up
// that any ES module pays; `warm` imports a trivial file module first and times only the package.
// `require` times the CommonJS entry the same way. Run as: node startup.mjs <cold|warm|require>.
import { createRequire } from 'node:module';

const mode = process.argv[2];
let ms;
if (mode === 'require') {
  const require = createRequire(import.meta.url);
  const t0 = performance.now();
  require('elenik-webhooks');
  ms = performance.now() - t0;
} else {
  if (mode === 'warm') await import('./trivial.mjs');
  const t0 = performance.now();
  await import('elenik-webhooks');
  ms = performance.now() - t0;
}
console.log(JSON.stringify({ mode, ms }));
