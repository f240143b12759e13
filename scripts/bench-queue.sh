#!/usr/bin/env bash
# `make bench-queue`: the `queue` option's request path beside the Redis guard alone and
# `dedupe: false`, on a local Redis, from the packed tarball; writes its own section of
# BENCHMARKS.md (tests/queue/bench.mjs).
set -euo pipefail
cd "$(dirname "$0")/.."

consumer=target/queue-bench
scripts/new-consumer.sh "$consumer"
echo "export * from 'elenik-webhooks';" > "$consumer/entry.mjs"
ELENIK_QUEUE_CONSUMER=$PWD/$consumer node tests/queue/bench.mjs
