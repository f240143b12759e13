#!/usr/bin/env bash
# `make bench`: builds the package (make pkg runs first), the native reference harness twice (SHA-NI
# and sha2's portable backend), installs the comparison libraries (bench/package-lock.json) and the
# packed tarball into bench/, then runs bench/run.mjs, which writes BENCHMARKS.md. Not part of
# `make test`: a benchmark informs, it never gates.
set -euo pipefail
cd "$(dirname "$0")/.."

step() { printf '\033[1m==> %s\033[0m\n' "$*"; }

if [ ! -f bench/node_modules/.installed ] || [ bench/package-lock.json -nt bench/node_modules/.installed ]; then
  step "npm ci in bench"
  (cd bench && npm ci --no-audit --no-fund --loglevel=error && touch node_modules/.installed)
fi
step "install target/elenik-webhooks-0.1.0.tgz into bench/ (as a user would)"
(cd bench && npm install --no-save --no-package-lock --no-audit --no-fund --loglevel=error ../target/elenik-webhooks-0.1.0.tgz)

step "build bench/native (SHA-NI when the CPU has it, and the portable backend)"
# The library's own lockfile, so the native reference runs exactly the dependency versions the
# Wasm build does; cargo only adds the harness itself to this copy (bench/native/.gitignore).
cp Cargo.lock bench/native/Cargo.lock
(cd bench/native && CARGO_TARGET_DIR=../../target/bench-native cargo build --release --quiet)
(cd bench/native && RUSTFLAGS='--cfg sha2_backend="soft"' CARGO_TARGET_DIR=../../target/bench-native-soft \
  cargo build --release --quiet)

step "run (about 4 minutes)"
node bench/run.mjs

step "the receiver over HTTP: node:http and Bun.serve against bare servers (about 2 minutes)"
scripts/bench-receiver.sh

step "the receiver over HTTP, server-bound: against a hand-rolled handler and Octokit (about 2 minutes)"
scripts/bench-http.sh

step "duplicate guard on Redis (its own section of BENCHMARKS.md, about 2 minutes)"
scripts/bench-dedupe.sh

step "the receiver's observability: onDelivery and OpenTelemetry per delivery (about 2 minutes)"
scripts/bench-observe.sh
