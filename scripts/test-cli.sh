#!/usr/bin/env bash
# Tests the `elenik-webhooks` bin of the packed tarball, installed into a fresh project as a user
# installs it. Needs `make pkg` first.
set -euo pipefail
cd "$(dirname "$0")/.."

consumer=target/cli-consumer
scripts/new-consumer.sh "$consumer"
mkdir "$consumer/test"
cp tests/cli/*.mjs "$consumer/test/"
cd "$consumer"
node --test test/*.test.mjs
