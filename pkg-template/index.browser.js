// The entry for browser: the API; the glue loads this runtime's Wasm through package.json `imports` #wasm.
export * from './api.js';
