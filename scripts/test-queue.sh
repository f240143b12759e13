#!/usr/bin/env bash
# `make test-queue`: the receiver's `queue` option from the packed tarball installed into a fresh
# project, on real engines the tests start themselves on 127.0.0.1: BullMQ on redis-server,
# Cloudflare Queues in wrangler dev, Deno KV's queue. BullMQ and ioredis come from tests/queue
# (its own lockfile).
set -euo pipefail
cd "$(dirname "$0")/.."

consumer=target/queue-consumer
scripts/new-consumer.sh "$consumer"
echo "export * from 'elenik-webhooks';" > "$consumer/entry.mjs"
[ $# -gt 0 ] || set -- tests/queue/*.test.mjs
ELENIK_QUEUE_CONSUMER=$PWD/$consumer node --test --test-concurrency=1 "$@"
