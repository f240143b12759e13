// The entry for Node.js, Bun, Deno, browsers and bundlers: the API (scripts/bundle-pkg.mjs bundles it into one file, with the Wasm inline).
export * from './api.js';
