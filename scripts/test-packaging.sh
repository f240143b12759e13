#!/usr/bin/env bash
# Packaging checks on the packed tarball: publint and @arethetypeswrong/cli report no problems, and
# tests/types (a TypeScript consumer using every API, with `@ts-expect-error` lines for wrong uses,
# and the README's snippets, readme-*.ts) type-checks under `strict` with moduleResolution node16
# (ESM and CJS files) and bundler, and the wrong uses of messages.ts fail with the messages it expects.
set -euo pipefail
cd "$(dirname "$0")/.."

bin=$PWD/tests/runtimes/node_modules/.bin
tarball=$PWD/target/elenik-webhooks-0.1.0.tgz

echo "publint --strict (warnings count as problems)"
"$bin/publint" run "$tarball" --strict

echo "attw (strict profile: node10, node16 from CJS and ESM, bundler)"
"$bin/attw" "$tarball" --profile strict --format table-flipped --no-color --no-emoji

consumer=target/matrix-types
scripts/new-consumer.sh "$consumer"
cp tests/types/* "$consumer/"
for config in node16 bundler; do
  echo "tsc --noEmit -p tsconfig.$config.json"
  (cd "$consumer" && "$bin/tsc" -p "tsconfig.$config.json")
done
# The wrong uses' error messages explain themselves (tests/types/messages.ts).
(cd "$consumer" && node check-messages.mjs "$bin/tsc")
echo "packaging checks passed"
