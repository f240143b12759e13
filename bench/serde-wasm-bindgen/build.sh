#!/usr/bin/env bash
# Builds the scratch wasm-bindgen crate for bench/serde-wasm-bindgen/run.mjs (not part of make
# bench; nothing here ships): cargo, wasm-bindgen --target nodejs, then wasm-opt -O3 as the
# package's own build does, into target/bench-swb/pkg.
set -euo pipefail
cd "$(dirname "$0")/../.."
out=target/bench-swb
(cd bench/serde-wasm-bindgen && CARGO_TARGET_DIR=../../$out cargo build --release --quiet --target wasm32-unknown-unknown)
wasm-bindgen --target nodejs --out-dir "$out/pkg" "$out/wasm32-unknown-unknown/release/elenik_webhooks_bench_serde_wasm_bindgen.wasm"
echo '{ "type": "commonjs" }' > "$out/pkg/package.json"
wasm=$out/pkg/elenik_webhooks_bench_serde_wasm_bindgen_bg.wasm
node_modules/.bin/wasm-opt "$wasm" -O3 --enable-bulk-memory --enable-reference-types --enable-nontrapping-float-to-int \
  --enable-sign-ext --enable-mutable-globals --enable-multivalue --enable-simd --strip-debug --strip-producers -o "$wasm"
