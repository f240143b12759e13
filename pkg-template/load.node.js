// Node.js and Bun: read the .wasm next to this file and instantiate it synchronously, so both
// `import` and `require` get a ready module.
import { readFileSync } from 'node:fs';
import { initSync } from './elenik_webhooks.js';

// The file name is a variable on purpose: webpack (Next.js `next build --webpack`) turns a literal
// `new URL('./….wasm', import.meta.url)` into an asset URL stand-in that readFileSync rejects
// (ERR_INVALID_ARG_TYPE). This form keeps a real file: URL, and Next.js's output tracing still
// lists the .wasm for deployment (examples/test.mjs checks the trace). webpack does replace
// import.meta.url with the file's build-time location: `next start` where it was built works.
const wasmFile = 'elenik_webhooks_bg.wasm';
initSync({ module: readFileSync(new URL(wasmFile, import.meta.url)) });
