#!/usr/bin/env bash
# Runs the JS tests against the packed tarball installed into a fresh project, as a user would.
set -euo pipefail
cd "$(dirname "$0")/.."

consumer=target/js-consumer
rm -rf "$consumer"
mkdir -p "$consumer/test"
printf '{ "name": "js-consumer", "private": true, "type": "module" }\n' > "$consumer/package.json"
(cd "$consumer" && npm install --no-audit --no-fund --loglevel=error ../elenik-webhooks-0.1.0.tgz)
cp tests/js/*.mjs tests/js/*.cjs "$consumer/test/"
cp -r tests/vectors "$consumer/test/vectors"
cd "$consumer"
node --test test/*.test.mjs test/*.test.cjs
