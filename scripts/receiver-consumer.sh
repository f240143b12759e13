#!/usr/bin/env bash
# Usage: scripts/receiver-consumer.sh DIR
# A fresh project (scripts/new-consumer.sh: the packed tarball installed) with the receiver kit's
# dev tools (tests/receiver/node_modules: frameworks, test runners, autocannon) linked in, for
# scripts/test-receiver.sh and scripts/bench-receiver.sh.
set -euo pipefail
cd "$(dirname "$0")/.."
dir=$1
scripts/new-consumer.sh "$dir"
for dep in tests/receiver/node_modules/*; do
  name=$(basename "$dep")
  [ -e "$dir/node_modules/$name" ] || ln -s "$PWD/$dep" "$dir/node_modules/$name"
done
mkdir "$dir/test"
cp tests/receiver/*.mjs "$dir/test/"
cp tests/receiver/vitest.config.mjs tests/receiver/jest.config.cjs "$dir/"
