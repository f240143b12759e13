// Cloudflare Workers may not compile Wasm from bytes at run time: the .wasm is imported as a
// module, which wrangler and workerd compile ahead of time.
import module from './elenik_webhooks_bg.wasm';
import { initSync } from './elenik_webhooks.js';

initSync({ module });
