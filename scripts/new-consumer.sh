#!/usr/bin/env bash
# Usage: scripts/new-consumer.sh DIR
# Makes DIR a fresh project with the packed tarball (target/elenik-webhooks-0.1.0.tgz, from
# `make pkg`) installed by `npm install`, as a user installs the package. Every JS test suite
# runs against such a project, never against pkg/ or the sources.
set -euo pipefail
dir=$1
tarball=$(cd "$(dirname "$0")/.." && pwd)/target/elenik-webhooks-0.1.0.tgz
rm -rf "$dir"
mkdir -p "$dir"
printf '{ "name": "%s", "private": true, "type": "module" }\n' "$(basename "$dir")" > "$dir/package.json"
(cd "$dir" && npm install --no-audit --no-fund --loglevel=error "$tarball" >/dev/null)
