#!/usr/bin/env bash
# Tests the `elenik-webhooks` bin of the packed tarball, installed into a fresh project as a user
# installs it. Needs `make pkg` first.
set -euo pipefail
cd "$(dirname "$0")/.."

consumer=target/cli-consumer
rm -rf "$consumer"
mkdir -p "$consumer/test"
printf '{ "name": "cli-consumer", "private": true, "type": "module" }\n' > "$consumer/package.json"
(cd "$consumer" && npm install --no-audit --no-fund --loglevel=error ../elenik-webhooks-0.1.0.tgz)
cp tests/cli/*.mjs "$consumer/test/"
cd "$consumer"
node --test test/*.test.mjs
