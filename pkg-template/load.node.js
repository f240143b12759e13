// Node.js and Bun: read the .wasm next to this file and instantiate it synchronously, so both
// `import` and `require` get a ready module.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { initSync } from './elenik_webhooks.js';

// The file name is a variable on purpose: webpack (Next.js `next build --webpack`) turns a literal
// `new URL('./….wasm', import.meta.url)` into an asset URL stand-in that readFileSync rejects
// (ERR_INVALID_ARG_TYPE). This form keeps a real file: URL, and Next.js's output tracing still
// lists the .wasm for deployment (examples/test.mjs checks the trace).
const wasmFile = 'elenik_webhooks_bg.wasm';

function readWasm() {
  try {
    return readFileSync(new URL(wasmFile, import.meta.url));
  } catch (error) {
    if (error?.code !== 'ENOENT') throw error;
    // webpack bakes import.meta.url in at build time, and hosts run a build from another folder
    // (Vercel builds in one place and serves from another): then take the package installed for
    // the working directory, which the host's file trace ships (examples/test.mjs moves a build).
    try {
      const installed = createRequire(join(process.cwd(), 'package.json')).resolve('elenik-webhooks/package.json');
      return readFileSync(join(installed, '..', wasmFile));
    } catch {
      throw error;
    }
  }
}

initSync({ module: readWasm() });
