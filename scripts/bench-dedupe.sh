#!/usr/bin/env bash
# `make bench-dedupe` (and the end of `make bench`): the duplicate guard's cost on a local Redis,
# from the packed tarball; writes its own section of BENCHMARKS.md (tests/dedupe/bench.mjs).
set -euo pipefail
cd "$(dirname "$0")/.."

consumer=target/dedupe-bench
scripts/new-consumer.sh "$consumer"
echo "export * from 'elenik-webhooks';" > "$consumer/entry.mjs"
ELENIK_DEDUPE_CONSUMER=$PWD/$consumer node tests/dedupe/bench.mjs
