#!/usr/bin/env bash
# Builds the Wasm once and assembles pkg/ from pkg-template/ (the source of truth for what ships)
# and the Wasm build. Nothing in pkg/ is edited by hand.
set -euo pipefail
cd "$(dirname "$0")/.."

# Several builds at once (parallel test runs) would clobber pkg/: take turns.
mkdir -p target
exec 9>target/.build-pkg.lock
flock 9

out=target/wasm-pkg
rm -rf "$out" pkg
mkdir -p "$out"
# The core as a plain Wasm module with a raw ABI (src/bindings/): no wasm-bindgen glue, no JS
# imports. pkg-template/core/glue.js is its hand-written glue. The `pkg` feature makes it
# `no_std` with a trapping panic handler (no core::fmt, no std panic path; see src/lib.rs).
cargo build --quiet --locked --release --lib --target wasm32-unknown-unknown --features pkg
cp target/wasm32-unknown-unknown/release/elenik_webhooks.wasm "$out/elenik_webhooks_bg.wasm"

# wasm-opt from the npm binaryen package; Debian's binaryen 108 corrupts reference-types output.
# `--strip-target-features` drops a custom section for linkers that no runtime reads (160 B).
# (`--no-inline='*wipe*'` would keep src/mac.rs's `wipe` out of line: 2.8 KB raw and 320 B gzip
# smaller, but `Verifier.verify` 1 KiB ~1 % slower; see bench/NOTES.md, "Issue 9, size".)
node_modules/.bin/wasm-opt "$out/elenik_webhooks_bg.wasm" -O3 \
  --enable-bulk-memory --enable-reference-types --enable-nontrapping-float-to-int \
  --enable-sign-ext --enable-mutable-globals --enable-multivalue --enable-simd \
  --strip-debug --strip-producers --strip-target-features -o "$out/elenik_webhooks_bg.opt.wasm"

# The source tree as it runs unbundled (target/pkg-src: pkg-template/ with the generated
# core/constants.js and the .wasm; tests/js/unbundled.test.mjs runs it), then pkg/, what ships: one
# file per runtime entry (the Wasm inline as base64 where it is not imported as a module), its
# testing kit, and the CommonJS builds (scripts/bundle-pkg.mjs), beside the .wasm, the declarations,
# the CLI (bin/, which loads ../index.js and ../testing/samples.js) and its sample events.
src=target/pkg-src
rm -rf "$src"
cp -r pkg-template "$src"
cp "$out/elenik_webhooks_bg.opt.wasm" "$src/core/elenik_webhooks_bg.wasm"
node scripts/pkg-constants.mjs "$src/core/elenik_webhooks_bg.wasm" "$src/core/constants.js"
mkdir -p pkg/testing
node scripts/bundle-pkg.mjs "$src" pkg
cp "$src/core/elenik_webhooks_bg.wasm" pkg/
cp -r "$src/bin" pkg/
cp "$src/testing/samples.js" pkg/testing/
cp "$src"/*.d.ts pkg/
# One declaration file; the copy tells TypeScript's node16 CommonJS resolution it describes CJS.
cp "$src/index.d.ts" pkg/index.d.cts
# elenik-webhooks/testing's declarations import the main ones; its CommonJS copy imports theirs.
sed "s|from './index.js'|from './index.cjs'|" "$src/testing.d.ts" > pkg/testing.d.cts
cp README.md CHANGELOG.md LICENSE-MIT LICENSE-APACHE pkg/
# The tarball every JS test installs, as users install the published package.
npm pack ./pkg --pack-destination target --silent >/dev/null
raw=$(stat -c %s pkg/elenik_webhooks_bg.wasm)
gz=$(gzip -9 -c pkg/elenik_webhooks_bg.wasm | wc -c)
echo "pkg/ assembled and packed as target/elenik-webhooks-0.1.0.tgz: elenik_webhooks_bg.wasm is $raw bytes raw, $gz bytes gzip -9"
