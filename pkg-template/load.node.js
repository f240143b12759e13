// Node.js and Bun: read the .wasm next to this file and instantiate it synchronously, so both
// `import` and `require` get a ready module.
import { readFileSync } from 'node:fs';
import { initSync } from './elenik_webhooks.js';

initSync({ module: readFileSync(new URL('./elenik_webhooks_bg.wasm', import.meta.url)) });
