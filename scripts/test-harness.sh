#!/usr/bin/env bash
# Drives the browser test harness (examples/browser) in headless Chromium with playwright-core,
# against the packed tarball installed into a fresh project. Needs `make pkg` first.
set -euo pipefail
cd "$(dirname "$0")/.."

consumer=target/harness-consumer
rm -rf "$consumer"
mkdir -p "$consumer" docs
printf '{ "name": "harness-consumer", "private": true, "type": "module" }\n' > "$consumer/package.json"
(cd "$consumer" && npm install --no-audit --no-fund --loglevel=error ../elenik-webhooks-0.1.0.tgz)
HARNESS_PACKAGE="$consumer/node_modules/elenik-webhooks" node --test tests/harness/harness.test.mjs
