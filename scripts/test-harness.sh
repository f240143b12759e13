#!/usr/bin/env bash
# Drives the browser test harness (examples/browser) in headless Chromium with playwright-core,
# against the packed tarball installed into a fresh project. Needs `make pkg` first.
set -euo pipefail
cd "$(dirname "$0")/.."

consumer=target/harness-consumer
scripts/new-consumer.sh "$consumer"
mkdir -p docs
HARNESS_PACKAGE="$consumer/node_modules/elenik-webhooks" node --test tests/harness/harness.test.mjs
