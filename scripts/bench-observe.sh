#!/usr/bin/env bash
# The cost of the receiver's observability per delivery (tests/observe/bench.mjs), on the packed
# tarball with tests/observe's OpenTelemetry SDK. Set ELENIK_BASELINE to another build's index.js
# (the package before issue 19) to run the same loop on it side by side. Informs, never gates.
set -euo pipefail
cd "$(dirname "$0")/.."

consumer=target/observe-bench
scripts/new-consumer.sh "$consumer"
mkdir -p "$consumer/node_modules/@opentelemetry"
for dep in tests/observe/node_modules/@opentelemetry/*; do
  ln -s "$PWD/$dep" "$consumer/node_modules/@opentelemetry/$(basename "$dep")"
done
cp tests/observe/bench.mjs "$consumer/"
cd "$consumer"
node bench.mjs
