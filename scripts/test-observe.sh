#!/usr/bin/env bash
# The receiver's OpenTelemetry support on the packed tarball: tests/observe/*.test.mjs with the real
# OpenTelemetry SDK (tests/observe's own lockfile, installed by scripts/setup.sh) linked into a
# fresh consumer project where elenik-webhooks is installed from the tarball.
set -euo pipefail
cd "$(dirname "$0")/.."

consumer=target/observe-consumer
scripts/new-consumer.sh "$consumer"
mkdir -p "$consumer/node_modules/@opentelemetry" "$consumer/test"
for dep in tests/observe/node_modules/@opentelemetry/*; do
  ln -s "$PWD/$dep" "$consumer/node_modules/@opentelemetry/$(basename "$dep")"
done
cp tests/observe/*.test.mjs "$consumer/test/"
cd "$consumer"
node --test test/*.test.mjs
