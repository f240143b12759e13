#!/usr/bin/env bash
# Tests the `elenik-webhooks` bin of the packed tarball, installed into a fresh project as a user
# installs it, and every project `init` writes (tests/cli/templates.test.mjs runs them with the
# runtimes of tests/runtimes). Needs `make pkg` first.
set -euo pipefail
cd "$(dirname "$0")/.."

consumer=target/cli-consumer
scripts/new-consumer.sh "$consumer"
mkdir "$consumer/test"
cp tests/cli/*.mjs "$consumer/test/"
export ELENIK_ROOT=$PWD
cd "$consumer"
node --test test/*.test.mjs
