#!/usr/bin/env bash
# Installs everything the build, tests and demo need. Idempotent: each step checks first, so a
# second run takes a few seconds. Versions are pinned here and in Cargo.lock / package-lock.json.
set -euo pipefail
cd "$(dirname "$0")/.."

# Two make runs at once (make bench beside make demo) would run two `npm ci` in one folder, which
# fail on each other's half-written node_modules: take turns.
mkdir -p target
exec 8>target/.setup.lock
flock 8

WASM_PACK_VERSION=0.15.1
# wasm-pack cannot download its helpers here, so wasm-bindgen-cli must match Cargo.lock exactly.
WASM_BINDGEN_VERSION=$(sed -n '/^name = "wasm-bindgen"$/{n;s/^version = "\(.*\)"$/\1/p;}' Cargo.lock)

step() { printf '\033[1m==> %s\033[0m\n' "$*"; }
has_version() { command -v "$1" >/dev/null 2>&1 && "$1" --version 2>/dev/null | grep -qF "$2"; }

if ! rustup target list --installed | grep -qx wasm32-unknown-unknown; then
  step "rustup target add wasm32-unknown-unknown"
  rustup target add wasm32-unknown-unknown
fi
for component in clippy rustfmt; do
  if ! rustup component list --installed | grep -q "^$component"; then
    step "rustup component add $component"
    rustup component add "$component"
  fi
done

if ! has_version wasm-pack "$WASM_PACK_VERSION"; then
  step "cargo install wasm-pack $WASM_PACK_VERSION (about 3 minutes)"
  cargo install wasm-pack --version "=$WASM_PACK_VERSION" --locked
fi
if ! has_version wasm-bindgen "$WASM_BINDGEN_VERSION"; then
  step "cargo install wasm-bindgen-cli $WASM_BINDGEN_VERSION (about 5 minutes)"
  # Not --locked: its lockfile names a webpki-roots release the registry here does not serve.
  cargo install wasm-bindgen-cli --version "=$WASM_BINDGEN_VERSION"
fi

# Fuzzing (scripts/fuzz.sh): cargo-fuzz, pinned; its lockfile resolves on the registry here.
CARGO_FUZZ_VERSION=0.13.2
if ! has_version cargo-fuzz "$CARGO_FUZZ_VERSION"; then
  step "cargo install cargo-fuzz $CARGO_FUZZ_VERSION (about 1 minute)"
  cargo install cargo-fuzz --version "=$CARGO_FUZZ_VERSION" --locked
fi

if ! command -v chromium >/dev/null 2>&1 || ! command -v chromedriver >/dev/null 2>&1; then
  step "apt-get install chromium chromium-driver"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq chromium chromium-driver >/dev/null
fi

# The duplicate guard's tests and bench start their own redis-server (Debian's) on 127.0.0.1.
if ! command -v redis-server >/dev/null 2>&1; then
  step "apt-get install redis-server"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq redis-server >/dev/null
fi

# npm dev tools, one folder each with its own committed lockfile; `npm ci` runs again only when
# that lockfile's content differs from the one last installed (recorded in node_modules/.installed:
# content, not mtime, since a checkout or a second work tree gives every file a new mtime).
npm_ci_in() {
  local dir=$1 lock
  lock=$(sha256sum "$dir/package-lock.json" | cut -d' ' -f1)
  if [ "$(cat "$dir/node_modules/.installed" 2>/dev/null)" != "$lock" ]; then
    step "npm ci in $dir"
    (cd "$dir" && npm ci --no-audit --no-fund --loglevel=error && echo "$lock" > node_modules/.installed)
  fi
}
npm_ci_in .               # binaryen (wasm-opt)
npm_ci_in tests/runtimes  # workerd, wrangler, deno, bun, playwright-core, bundlers, type checkers
npm_ci_in tests/receiver  # the receiver kit's tests and bench: express, fastify, hono, vitest, jest, autocannon
npm_ci_in tests/deploy    # edge-runtime, verdaccio, yarn, pnpm: deploy targets (tests/deploy/cells.mjs)
npm_ci_in tests/observe   # @opentelemetry/api and the SDK's in-memory exporters: the receiver's telemetry (issue 19)
npm_ci_in bench/http      # @octokit/webhooks, autocannon: the server-bound HTTP comparison (make bench-http)
npm_ci_in tests/dedupe    # redis (node-redis 5, 4 as redis4), ioredis, PGlite: the duplicate guard's stores
npm_ci_in tests/readme    # smol-toml: the README's TOML blocks (tests/readme)
npm_ci_in tests/hostile   # @hono/node-server 1.19 (beside tests/receiver's 2.x): the hostile-surroundings suite
npm_ci_in tests/queue     # bullmq, ioredis: the receiver's `queue` option on BullMQ
