// Vercel Edge / Next.js `runtime = 'edge'` (condition `edge-light`): api.js loads the precompiled
// Wasm through #load (load.edge.js).
export * from './api.js';
