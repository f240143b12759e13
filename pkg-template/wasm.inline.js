// The Wasm for browsers, Deno and bundlers (package.json `imports` #wasm): it travels inside JS as
// base64, so loading needs no fetch, no file permission and no bundler plugin, and the API is
// synchronous after `import`.
import wasmBase64 from './elenik_webhooks_bg.wasm.js';

const binary = atob(wasmBase64);
const bytes = new Uint8Array(binary.length);
for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);

export default bytes;
