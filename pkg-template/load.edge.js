// Hosts that refuse to compile Wasm from bytes at run time (Vercel's Edge runtime, Next.js
// `runtime = 'edge'`): the .wasm is imported as a precompiled module (`?module`), which Next.js's
// webpack and Turbopack builds and Vercel compile ahead of time. Reached through the `edge-light`
// condition (package.json `imports` #load).
import precompiled from './elenik_webhooks_bg.wasm?module';
import { initSync } from './elenik_webhooks.js';

// Next.js's webpack build runs Edge code in a sandbox (another realm) and hands over a Module
// compiled in the host's realm, for which the glue's `instanceof WebAssembly.Module` is false (it
// would then try to compile it as bytes). Until the glue accepts such a module, give it this
// realm's prototype; the engine instantiates a Module of any realm.
const module =
  precompiled instanceof WebAssembly.Module || Object.prototype.toString.call(precompiled) !== '[object WebAssembly.Module]'
    ? precompiled
    : Object.setPrototypeOf(precompiled, WebAssembly.Module.prototype);
initSync({ module });
