#!/usr/bin/env bash
# Runs the JS tests against the packed tarball installed into a fresh project, as a user would.
set -euo pipefail
cd "$(dirname "$0")/.."

consumer=target/js-consumer
scripts/new-consumer.sh "$consumer"
mkdir "$consumer/test"
cp tests/js/*.mjs tests/js/*.cjs "$consumer/test/"
cp -r tests/vectors "$consumer/test/vectors"
root=$PWD
cd "$consumer"
# ELENIK_PKG_SRC: the unbundled source tree (tests/js/unbundled.test.mjs).
ELENIK_PKG_SRC="$root/target/pkg-src" node --test test/*.test.mjs test/*.test.cjs
