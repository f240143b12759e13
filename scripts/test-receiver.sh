#!/usr/bin/env bash
# The receiver kit on the packed tarball: tests/receiver/*.test.mjs (real frameworks, memory
# bounds) under node:test, and the testing kit's examples under Vitest and Jest. The frameworks
# and runners come from tests/receiver (its own lockfile, installed by scripts/setup.sh), linked
# into a fresh consumer project where elenik-webhooks is installed from the tarball.
set -euo pipefail
cd "$(dirname "$0")/.."

consumer=target/receiver-consumer
scripts/receiver-consumer.sh "$consumer"
bin=$PWD/tests/receiver/node_modules/.bin
cd "$consumer"
node --test test/*.test.mjs
echo "vitest run (the Vitest example of docs/api.md)"
"$bin/vitest" run --config vitest.config.mjs
echo "jest (the Jest example of docs/api.md)"
node --experimental-vm-modules "$bin/jest" --config jest.config.cjs
