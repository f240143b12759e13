// Usage: node scripts/bundle-pkg.mjs PKG_DIR
// Single-file entries: Node.js's ESM loader pays for every module file it resolves, reads and
// links, which was most of the package's start-up. So each `.js` target of package.json
// `exports` (every runtime's entry, and any subpath) and the glue (elenik_webhooks.js, which the
// JS tests import by URL to reach the running instance) is bundled with esbuild (tests/runtimes
// installs it). Code that several entries share goes into one chunk, so every entry and subpath
// of one install still shares one module instance: one Wasm, one Verifier class. The bundled
// source files are then removed from PKG_DIR; the .wasm, its base64 module and node:* stay
// imports.
import { readdirSync, readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';

const pkg = process.argv[2];
const require = createRequire(new URL('../tests/runtimes/package.json', import.meta.url));
const { buildSync } = require('esbuild');

const targets = new Set(['./elenik_webhooks.js']);
(function collect(node) {
  if (typeof node === 'string') {
    if (node.endsWith('.js')) targets.add(node);
  } else if (node && typeof node === 'object') {
    Object.values(node).forEach(collect);
  }
})(JSON.parse(readFileSync(join(pkg, 'package.json'), 'utf8')).exports);

const kept = new Set(['elenik_webhooks_bg.wasm.js']);
const sources = readdirSync(pkg).filter((file) => file.endsWith('.js') && !kept.has(file));
const result = buildSync({
  entryPoints: [...targets].map((target) => join(pkg, target)),
  outdir: pkg,
  allowOverwrite: true,
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'neutral',
  target: 'es2022',
  chunkNames: 'shared-[hash]',
  external: ['node:*', 'cloudflare:*', './elenik_webhooks_bg.wasm', './elenik_webhooks_bg.wasm.js'],
  metafile: true,
  logLevel: 'warning',
});
const written = new Set(Object.keys(result.metafile.outputs).map((file) => file.split('/').pop()));
for (const file of sources) if (!written.has(file)) rmSync(join(pkg, file));
console.log(`bundle-pkg: ${[...written].sort().join(', ')}`);
