#!/usr/bin/env bash
# `make bench-timing` (also run by `make bench`): the dudect-style constant-time check
# (bench/timing.mjs) through the packed tarball, installed into its own folder as a user would.
set -euo pipefail
cd "$(dirname "$0")/.."

dir=target/bench-timing
scripts/new-consumer.sh "$dir"
cp bench/timing.mjs "$dir/"
node "$dir/timing.mjs"
# The same check natively, on the Rust core (benches/timing.rs).
cargo bench --locked --quiet --bench timing
