#!/usr/bin/env bash
# The receiver's OpenTelemetry support on the packed tarball: tests/observe/*.test.mjs with the real
# OpenTelemetry SDK (tests/observe's own lockfile, installed by scripts/setup.sh) linked into a
# fresh consumer project where elenik-webhooks is installed from the tarball; then tsc --strict on
# types.ts (TypeScript from tests/runtimes).
set -euo pipefail
cd "$(dirname "$0")/.."

consumer=target/observe-consumer
scripts/new-consumer.sh "$consumer"
mkdir -p "$consumer/node_modules/@opentelemetry" "$consumer/test"
for dep in tests/observe/node_modules/@opentelemetry/*; do
  ln -s "$PWD/$dep" "$consumer/node_modules/@opentelemetry/$(basename "$dep")"
done
cp tests/observe/*.test.mjs "$consumer/test/"
cp tests/observe/types.ts tests/observe/tsconfig.json "$consumer/"
tsc=$PWD/tests/runtimes/node_modules/.bin/tsc
cd "$consumer"
node --test test/*.test.mjs
echo "tsc --strict: onDelivery and the telemetry option's types against @opentelemetry/api (types.ts)"
"$tsc" -p tsconfig.json
