// Node.js and Bun: read the .wasm next to this file and instantiate it synchronously, so both
// `import` and `require` get a ready module. `process.getBuiltinModule` (Node.js >= 20.16, Bun)
// instead of `import ... from 'node:fs'`: an ES import of a built-in costs Node ~1.7 ms at start-up.
import { initSync } from './elenik_webhooks.js';

const { readFileSync } = process.getBuiltinModule('node:fs');
initSync({ module: readFileSync(new URL('./elenik_webhooks_bg.wasm', import.meta.url)) });
