// The Wasm for Node.js and Bun (package.json `imports` #wasm): the .wasm next to this file, read
// synchronously, so `import` and `require` both get a ready module. `readFileSync` is a static
// import on purpose: Next.js's output tracing (nft) finds the .wasm only through a `readFileSync`
// of a known `node:fs` import; through `process.getBuiltinModule` (which would save Node ~1.7 ms of
// start-up) a deployed Node.js function ships without its .wasm (examples/test.mjs checks the
// trace). The fallback's helpers are not traced, so they need no static import.
import { readFileSync } from 'node:fs';

const { createRequire } = process.getBuiltinModule('node:module');
const { join } = process.getBuiltinModule('node:path');

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

export default readWasm();
