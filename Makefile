# The two commands a newcomer needs are `make demo` and `make test`; both install what is
# missing first (scripts/setup.sh, idempotent).
SHELL := /bin/bash
CHROMEDRIVER ?= /usr/bin/chromedriver

.PHONY: all setup pkg demo bench test lint test-rust test-wasm test-wasm-node test-wasm-browser test-js test-receiver test-cli test-harness test-examples test-dedupe test-hostile test-queue bench-queue test-matrix matrix-readme test-packaging test-readme release-check clean test-fuzz fuzz bench-timing bench-dedupe bench-http

all: pkg

setup:
	@scripts/setup.sh

pkg: setup
	@scripts/build-pkg.sh

# Benchmarks (never part of `make test`): writes BENCHMARKS.md, bench/chart.svg, bench/results.json.
bench: pkg bench-timing
	@scripts/bench.sh

# The duplicate guard's cost on a local Redis (also the end of `make bench`): its own section of
# BENCHMARKS.md, from tests/dedupe/bench.mjs.
bench-dedupe: pkg
	@scripts/bench-dedupe.sh

# The receiver over HTTP with the server as the bottleneck (also part of `make bench`): against a
# bare server, a hand-rolled createHmac handler and Octokit's createNodeMiddleware (bench/http/).
bench-http: pkg
	@scripts/bench-http.sh

# The dudect-style constant-time check (bench/timing.mjs through the package, benches/timing.rs
# natively): Welch's |t| between signatures wrong in the first and in the last byte, < 4.5.
bench-timing: pkg
	@scripts/bench-timing.sh

demo: pkg
	@cd examples/node-http && npm install --no-audit --no-fund --loglevel=error
	@node examples/node-http/demo.mjs

test: setup lint test-rust test-wasm test-js test-receiver test-observe test-cli test-harness test-examples test-dedupe test-hostile test-queue test-matrix test-packaging test-readme release-check test-fuzz
	@echo "make test: all suites passed"

# cargo-fuzz targets (fuzz/): a 15 s smoke run each in `make test`; `make fuzz` runs each for
# FUZZ_SECONDS. Seeds in fuzz/corpus/, findings in target/fuzz/, crashes in fuzz/artifacts/.
FUZZ_SECONDS ?= 300
test-fuzz: setup
	scripts/fuzz.sh 15

fuzz: setup
	scripts/fuzz.sh $(FUZZ_SECONDS)

lint:
	node scripts/check-sources.mjs
	node scripts/gen-events.mjs --check
	cargo fmt --check
	cargo clippy --locked --all-targets -- -D warnings
	cargo clippy --locked --all-targets --target wasm32-unknown-unknown -- -D warnings
	cargo clippy --locked --lib --target wasm32-unknown-unknown --features pkg -- -D warnings

test-rust:
	cargo test --locked

test-wasm: test-wasm-node test-wasm-browser

test-wasm-node:
	wasm-pack test --node -- --locked --test node

test-wasm-browser:
	wasm-pack test --headless --chrome --chromedriver $(CHROMEDRIVER) -- --locked --test browser

test-js: pkg
	scripts/test-js.sh

# The receiver kit from the packed tarball: real frameworks (node:http, Express 5 with and without
# express.raw and the express.json mistake, Fastify 5, Hono on Node.js), memory bounds over
# 1,000,000 deliveries, and the testing kit's examples under node:test, Vitest and Jest.
test-receiver: pkg
	scripts/test-receiver.sh

# The receiver's OpenTelemetry support from the packed tarball, against the real SDK's in-memory
# exporters (tests/observe).
.PHONY: test-observe
test-observe: pkg
	scripts/test-observe.sh

# The CLI (bin elenik-webhooks) from the packed tarball, against a receiver on 127.0.0.1.
test-cli: pkg
	scripts/test-cli.sh

# The browser test harness (examples/browser) driven in Chromium by playwright-core; refreshes docs/harness.png.
test-harness: pkg
	scripts/test-harness.sh

# Node require/import, workerd (two compatibility dates), Deno, Bun, Chromium, Vite, webpack and
# esbuild, each on the packed tarball; then the deploy rows (tests/deploy/cells.mjs): edge-runtime
# without Wasm code generation, Next.js webpack/Turbopack x Node.js/Edge, and installs from a local
# verdaccio registry with npm, pnpm, Yarn Plug'n'Play, bun and Deno npm:. Writes target/matrix.md.
test-matrix: pkg
	node tests/runtimes/matrix.mjs

# The same run, also rewriting the compatibility table of docs/compatibility.md from it.
matrix-readme: pkg
	UPDATE_README=1 node tests/runtimes/matrix.mjs

# publint and attw on the tarball; tests/types type-checks under node16 (ESM + CJS) and bundler.
test-packaging: pkg
	scripts/test-packaging.sh

# The README's code blocks (js/ts type-checked with tsc against the tarball's types, sh parsed with
# bash -n and its CLI calls checked against --help, toml parsed) and its links, on the packed tarball.
test-readme: pkg
	scripts/test-readme.sh

# Before publishing (RELEASING.md): publint, attw, npm pack --dry-run; the tarball's file list and
# size against tests/release/tarball.json (UPDATE=1 records a deliberate change); the version in
# Cargo.toml and package.json; a CHANGELOG.md entry for it.
release-check: pkg
	node scripts/release-check.mjs

# Each example in examples/, installed from the packed tarball and run in its own runtime.
test-examples: pkg
	node --test examples/test.mjs

# The duplicate guard from the packed tarball: the store contract on memory, a real redis-server
# (node-redis 5 and 4, ioredis), workerd's Durable Objects and Deno KV; three receiver processes
# sharing Redis under concurrency, a SIGKILL mid-handler and a Redis outage.
test-dedupe: pkg
	scripts/test-dedupe.sh

# The receiver in hostile surroundings (tests/hostile), from the packed tarball: handlers, onAny,
# onError, loggers, secrets, dedupe.key and stores that throw, reject, hang or answer junk, under
# node:http, Express, Fastify, @hono/node-server 2 and 1.19, Bun, Deno and workerd; Requests whose
# content-length lies; keep-alive connections; the README's Redis snippets through an outage.
test-hostile: pkg
	scripts/test-hostile.sh

# The receiver's `queue` option from the packed tarball, on real engines started by the tests:
# BullMQ on redis-server (3 receivers and 2 workers, a SIGKILLed worker, failed set and replay,
# forged jobs, Redis outages), Cloudflare Queues in wrangler dev, Deno KV's queue; and a
# consumer's memory over 100,000 messages.
test-queue: pkg
	scripts/test-queue.sh

# The queue path's cost beside the Redis guard alone and dedupe: false, on a local Redis: its
# own section of BENCHMARKS.md, from tests/queue/bench.mjs.
bench-queue: pkg
	scripts/bench-queue.sh

clean:
	rm -rf target pkg node_modules examples/*/node_modules
