// The entry for node: the API (scripts/bundle-pkg.mjs bundles it into one file, with this runtime's Wasm source).
export * from './api.js';
