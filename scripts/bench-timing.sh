#!/usr/bin/env bash
# `make bench-timing` (also run by `make bench`): the dudect-style constant-time check
# (bench/timing.mjs) through the packed tarball, installed into its own folder as a user would.
set -euo pipefail
cd "$(dirname "$0")/.."

dir=target/bench-timing
rm -rf "$dir" && mkdir -p "$dir"
printf '{ "name": "bench-timing", "private": true, "type": "module" }\n' > "$dir/package.json"
(cd "$dir" && npm install --no-audit --no-fund --loglevel=error ../elenik-webhooks-0.1.0.tgz >/dev/null)
cp bench/timing.mjs "$dir/"
node "$dir/timing.mjs"
# The same check natively, on the Rust core (benches/timing.rs).
cargo bench --locked --quiet --bench timing
