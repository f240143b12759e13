// The Wasm for Node.js, Bun, browsers, Deno and bundlers: it travels inside the entry's own file as
// base64 (scripts/bundle-pkg.mjs writes elenik_webhooks_bg.wasm.js and inlines it), so loading
// reads no other file: no fetch, no file system, no bundler plugin, nothing for a host's file
// trace to miss, and the API is synchronous after `import`. Node.js and Bun decode with Buffer
// (native); elsewhere the standard Uint8Array.fromBase64 where there is one, else atob.
import wasmBase64 from './elenik_webhooks_bg.wasm.js';

function decode(base64) {
  if (typeof Uint8Array.fromBase64 === 'function') return Uint8Array.fromBase64(base64);
  if (typeof globalThis.Buffer?.from === 'function') return globalThis.Buffer.from(base64, 'base64');
  const binary = atob(base64);
  const bytes = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
  return bytes;
}

export default decode(wasmBase64);
