// The Wasm for Cloudflare Workers (package.json `imports` #wasm): Workers may not compile Wasm from
// bytes at run time, so the .wasm is imported as a module, which wrangler and workerd compile
// ahead of time.
import module from './elenik_webhooks_bg.wasm';

export default module;
