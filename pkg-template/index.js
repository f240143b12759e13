// The package's one entry: the API. scripts/bundle-pkg.mjs bundles it once per runtime into one
// file (index.js, index.workerd.js, index.edge.js, index.cjs), each with the Wasm source its
// runtime allows: package.json `imports` resolves `#wasm` by condition (core/wasm.*.js).
export * from './core/api.js';
