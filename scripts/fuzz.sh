#!/usr/bin/env bash
# Runs every cargo-fuzz target for SECONDS each (default 15: the smoke run in `make test`;
# `make fuzz` gives each one FUZZ_SECONDS, 300 by default) and reports the executions.
#
# Each run starts from the committed seeds in fuzz/corpus/<target> and writes what it finds to
# target/fuzz/corpus/<target>, so the tree stays clean; a crash is saved to fuzz/artifacts/ and
# fails the run: copy it into fuzz/corpus/<target>/, where tests/fuzz_corpus.rs replays it in
# `cargo test` from then on (header and event targets), and fix the bug.
set -euo pipefail
cd "$(dirname "$0")/.."

seconds=${1:-15}
targets=(header event verify)
# AddressSanitizer needs nightly (installed here). Without it, fall back to stable and plain
# coverage-guided fuzzing: the crate denies unsafe code (no `unsafe` block anywhere), so ASan would rarely add anything.
if rustup run nightly rustc --version >/dev/null 2>&1; then
  toolchain=+nightly sanitizer=address
else
  echo "fuzz: no nightly toolchain; fuzzing on stable without AddressSanitizer"
  toolchain=+stable sanitizer=none
fi

start=$(date +%s)
cargo $toolchain fuzz build -s $sanitizer --fuzz-dir fuzz --target-dir target/fuzz/build >/dev/null 2>target/fuzz-build.log \
  || { cat target/fuzz-build.log; exit 1; }
echo "fuzz: targets built in $(( $(date +%s) - start )) s"

total=0
for t in "${targets[@]}"; do
  work=target/fuzz/corpus/$t
  mkdir -p "$work"
  log=target/fuzz/$t.log
  if ! cargo $toolchain fuzz run -s $sanitizer --fuzz-dir fuzz --target-dir target/fuzz/build "$t" "$work" "fuzz/corpus/$t" -- \
      -max_total_time="$seconds" -max_len=8192 -timeout=10 -rss_limit_mb=2048 \
      -print_final_stats=1 >"$log" 2>&1; then
    tail -40 "$log"
    echo "fuzz: $t FAILED; the input is in fuzz/artifacts/$t/" >&2
    exit 1
  fi
  runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log")
  cov=$(grep -o 'cov: [0-9]*' "$log" | tail -1)
  total=$((total + runs))
  echo "fuzz: $t: $runs executions in ${seconds} s, $cov, no crash"
done
echo "fuzz: $total executions over ${#targets[@]} targets, no crash"
