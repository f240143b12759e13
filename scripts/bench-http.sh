#!/usr/bin/env bash
# The receiver over HTTP with the server as the bottleneck (part of `make bench`, and alone as
# `make bench-http`): bench/http/bench.mjs, from the packed tarball, against a bare server, a
# hand-rolled handler and Octokit's createNodeMiddleware (bench/http/package.json). The load
# generator runs on CPU 1 and each server on CPU 0. Writes its own section of BENCHMARKS.md.
set -euo pipefail
cd "$(dirname "$0")/.."

if [ ! -d bench/http/node_modules/@octokit/webhooks ]; then
  (cd bench/http && npm ci --no-audit --no-fund --loglevel=error)
fi
consumer=target/http-bench
scripts/new-consumer.sh "$consumer"
for dep in bench/http/node_modules/* bench/http/node_modules/@*; do
  name=${dep#bench/http/node_modules/}
  [ -e "$consumer/node_modules/$name" ] || ln -s "$PWD/$dep" "$consumer/node_modules/$name"
done
cp bench/http/*.mjs "$consumer/"
pin=()
if [ "$(nproc)" -ge 2 ] && command -v taskset >/dev/null; then pin=(taskset -c 1); fi
ELENIK_ROOT=$PWD "${pin[@]}" node "$consumer/bench.mjs"
