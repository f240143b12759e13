// Import plus instantiation of a package in a fresh Node process, printed as JSON (ms).
// `cold` is the first import of the process, so it includes Node's one-time ESM loader start-up
// that any ES module pays; `warm` imports a trivial file module first and times only the package.
// `require` times the CommonJS entry the same way.
// Run as: node startup.mjs <cold|warm|require> [package], the package elenik-webhooks by default
// (run.mjs also times `startup-floor`, an empty module behind the same `exports` shape).
import { createRequire } from 'node:module';

const [mode, name = 'elenik-webhooks'] = process.argv.slice(2);
let ms;
if (mode === 'require') {
  const require = createRequire(import.meta.url);
  const t0 = performance.now();
  require(name);
  ms = performance.now() - t0;
} else {
  if (mode === 'warm') await import('./trivial.mjs');
  const t0 = performance.now();
  await import(name);
  ms = performance.now() - t0;
}
console.log(JSON.stringify({ mode, name, ms }));
