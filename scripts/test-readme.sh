#!/usr/bin/env bash
# The README's code blocks and links, checked on the packed tarball (tests/readme/readme.test.mjs):
# js/ts type-checked with tsc against the package's declarations, sh parsed with bash -n and its
# CLI calls checked against the CLI's --help, toml parsed, links resolved in the tarball and the
# repository. Needs `make pkg` first.
set -euo pipefail
cd "$(dirname "$0")/.."

scripts/new-consumer.sh target/readme-consumer
ELENIK_ROOT=$PWD node --test tests/readme/readme.test.mjs
