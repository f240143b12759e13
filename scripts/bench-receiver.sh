#!/usr/bin/env bash
# The receiver's HTTP budgets (part of `make bench`, after bench/run.mjs): tests/receiver/bench.mjs
# on the packed tarball drives node:http and Bun.serve servers with autocannon and writes its own
# section of BENCHMARKS.md (between the receiver-bench markers), leaving the rest as it is.
set -euo pipefail
cd "$(dirname "$0")/.."

consumer=target/receiver-bench
scripts/receiver-consumer.sh "$consumer"
ELENIK_ROOT=$PWD BUN=$PWD/tests/runtimes/node_modules/.bin/bun node "$consumer/test/bench.mjs"
