// The Wasm for Cloudflare Workers (index.workerd.js: scripts/bundle-pkg.mjs resolves the glue's
// `#wasm` to this file): Workers may not compile Wasm from bytes at run time, so the .wasm is
// imported as a module, which wrangler and workerd compile ahead of time.
import module from './elenik_webhooks_bg.wasm';

export default module;
