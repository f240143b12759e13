// The Wasm for hosts that refuse to compile Wasm from bytes at run time (Vercel's Edge runtime,
// Next.js `runtime = 'edge'`; package.json `imports` #wasm, condition `edge-light`): the .wasm
// imported as a precompiled module (`?module`), which Next.js's webpack and Turbopack builds and
// Vercel compile ahead of time. Turbopack loads it as an async module; the glue imports it, so
// nothing that calls into the Wasm can run before it is there. webpack's sandbox hands over a
// Module of the host's realm, which the glue's initSync accepts.
import module from './elenik_webhooks_bg.wasm?module';

export default module;
