#!/usr/bin/env bash
# `make test-dedupe`: the delivery guard's stores and receivers, from the packed tarball installed
# into a fresh project, against real engines the tests start themselves on 127.0.0.1: redis-server,
# workerd (wrangler dev), Deno KV. The Redis clients come from tests/dedupe (its own lockfile).
set -euo pipefail
cd "$(dirname "$0")/.."

consumer=target/dedupe-consumer
scripts/new-consumer.sh "$consumer"
echo "export * from 'elenik-webhooks';" > "$consumer/entry.mjs"
[ $# -gt 0 ] || set -- tests/dedupe/*.test.mjs
ELENIK_DEDUPE_CONSUMER=$PWD/$consumer node --test --test-concurrency=1 "$@"
