// Usage: node scripts/bundle-pkg.mjs PKG_DIR
// Single-file entries: Node.js's ESM loader pays for every module file it resolves, reads and
// links, which was most of the package's start-up. So each `.js` target of package.json
// `exports` (every runtime's entry, and any subpath) is bundled with esbuild (tests/runtimes
// installs it). Code that several entries share goes into a shared chunk, so every entry and
// subpath of one install still shares one module instance: one Wasm, one Verifier class. The
// bundled source files are then removed from PKG_DIR; elenik_webhooks.js, bundled as an entry too,
// becomes a re-export of the chunk that holds the glue.
// The .wasm, its base64 module, node:* and `#wasm` (package.json `imports`: each runtime's Wasm
// source, wasm.*.js, chosen by the consumer's resolver with its own conditions) stay imports.
import { readdirSync, readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';

const pkg = process.argv[2];
const require = createRequire(new URL('../tests/runtimes/package.json', import.meta.url));
const { build } = require('esbuild');

const targets = new Set();
(function collect(node) {
  if (typeof node === 'string') {
    if (node.endsWith('.js')) targets.add(node);
  } else if (node && typeof node === 'object') {
    Object.values(node).forEach(collect);
  }
})(JSON.parse(readFileSync(join(pkg, 'package.json'), 'utf8')).exports);
// The glue too: bundled as an entry of its own, it is a re-export of the shared chunk that holds
// it, which the JS tests import by URL to reach the running instance (initSync(), instantiate()).
targets.add('./elenik_webhooks.js');

// Kept as files: the base64 module and the #wasm sources (imports of the bundles), and samples.js,
// which the CLI (bin/) and the browser harness import by path.
const kept = (file) => ['elenik_webhooks_bg.wasm.js', 'samples.js'].includes(file) || /^wasm\.\w+\.js$/.test(file);
const sources = readdirSync(pkg).filter((file) => file.endsWith('.js') && !kept(file));
const result = await build({
  entryPoints: [...targets].map((target) => join(pkg, target)),
  outdir: pkg,
  allowOverwrite: true,
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'neutral',
  target: 'es2022',
  chunkNames: 'shared-[hash]',
  external: ['node:*', 'cloudflare:*', '#wasm'],
  // The Wasm stays a file of its own however a loader imports it (`./x.wasm`, `./x.wasm?module`
  // for edge runtimes, or the base64 module), so each runtime and bundler still sees one copy.
  plugins: [
    {
      name: 'wasm-stays-a-file',
      setup(build) {
        build.onResolve({ filter: /\.wasm(\.js)?(\?.*)?$/ }, ({ path }) => ({ path, external: true }));
      },
    },
  ],
  metafile: true,
  logLevel: 'warning',
});
const outputs = Object.entries(result.metafile.outputs).map(([file, output]) => [file.split('/').pop(), output]);
const written = new Set(outputs.map(([file]) => file));
for (const file of sources) if (!written.has(file)) rmSync(join(pkg, file));
console.log(`bundle-pkg: ${[...written].sort().join(', ')}`);
