// elenik-webhooks/testing: the testing kit (testing/kit.js). scripts/bundle-pkg.mjs bundles it per
// runtime, keeping its import of the package's entry, so the kit shares the user's Wasm instance.
export * from './testing/kit.js';
