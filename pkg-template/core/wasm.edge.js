// The Wasm for hosts that refuse to compile Wasm from bytes at run time (Vercel's Edge runtime,
// Next.js `runtime = 'edge'`; index.edge.js, condition `edge-light`: scripts/bundle-pkg.mjs
// resolves the glue's `#wasm` to this file): the .wasm imported as a precompiled module
// (`?module`), which Next.js's webpack and Turbopack builds and Vercel compile ahead of time.
// Turbopack loads it as an async module, which the entry's file awaits before any of its code
// runs. webpack's sandbox hands over a Module of the host's realm, which the glue's initSync accepts.
import module from './elenik_webhooks_bg.wasm?module';

export default module;
