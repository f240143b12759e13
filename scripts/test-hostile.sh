#!/usr/bin/env bash
# `make test-hostile`: the receiver in hostile surroundings (tests/hostile), from the packed tarball
# installed into a fresh project: callbacks, stores, secrets and loggers that throw, reject, hang
# or answer junk, under node:http, Express, Fastify, @hono/node-server, Bun, Deno and workerd;
# lying body sizes; shared state on keep-alive connections; the README's Redis snippets through a
# redis-server outage. Frameworks come from tests/receiver, Redis clients from tests/dedupe,
# Bun, Deno, wrangler and workerd from tests/runtimes (each its own lockfile, scripts/setup.sh).
set -euo pipefail
cd "$(dirname "$0")/.."

consumer=target/hostile-consumer
scripts/new-consumer.sh "$consumer"
for dep in tests/receiver/node_modules/* tests/dedupe/node_modules/* tests/hostile/node_modules/*; do
  name=${dep#*/node_modules/}
  [ -e "$consumer/node_modules/$name" ] || ln -s "$PWD/$dep" "$consumer/node_modules/$name"
done
mkdir "$consumer/test"
cp tests/hostile/*.mjs "$consumer/test/"
printf 'name = "hostile"\nmain = "test/worker.mjs"\ncompatibility_date = "2026-04-26"\n' > "$consumer/wrangler.toml"
cd "$consumer"
[ $# -gt 0 ] || set -- test/*.test.mjs
ELENIK_REPO="$OLDPWD" node --test --test-concurrency=1 "$@"
