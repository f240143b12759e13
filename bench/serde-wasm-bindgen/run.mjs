// Scratch measurement for docs/design.md (not part of `make bench`): how an event reaches JS.
//   raw ABI (shipped): the core's one-pass scan in Wasm, then JSON.parse of the text in JS;
//   wasm-bindgen + serde-wasm-bindgen: parse_event builds serde_json's tree in Wasm, then
//     serde-wasm-bindgen builds the JS object from it, one property at a time across the boundary;
//   wasm-bindgen, tree then JSON.parse: the same validation, the object built by JSON.parse,
//     which isolates what serde-wasm-bindgen's conversion costs.
// Usage (after `make pkg`): bench/serde-wasm-bindgen/build.sh && node bench/serde-wasm-bindgen/run.mjs
import { deepStrictEqual } from 'node:assert';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { gzipSync } from 'node:zlib';

const root = new URL('../../', import.meta.url);
const require = createRequire(import.meta.url);
const swb = require(new URL('target/bench-swb/pkg/elenik_webhooks_bench_serde_wasm_bindgen.js', root).pathname);
const pkg = await import(new URL('pkg/index.js', root).href);

const decoder = new TextDecoder();
function payment(bytes) {
  const head = `{"event":"payment_verified","data":{"user_id":"u_1","amount":49.99,"currency":"USD","note":"`;
  return `${head}${'x'.repeat(bytes - head.length - 3)}"}}`;
}
// An event whose data has many small fields: object building dominates.
function wide(fields) {
  const data = { user_id: 'u_1', amount: 49.99, currency: 'USD' };
  for (let i = 0; i < fields; i += 1) data[`field_${i}`] = i % 3 === 0 ? i : i % 3 === 1 ? `value ${i}` : { nested: i % 2 === 0 };
  return JSON.stringify({ event: 'payment_verified', data });
}
const bodies = [
  ['1 KiB, one long string', payment(1024)],
  [`${(wide(100).length / 1024).toFixed(1)} KiB, 100 small fields`, wide(100)],
];

const cases = {
  'raw ABI: scan + JSON.parse (shipped parseEvent)': (bytes) => pkg.parseEvent(bytes),
  'wasm-bindgen: tree + serde-wasm-bindgen': (bytes) => swb.event_object(bytes),
  'wasm-bindgen: tree, then JSON.parse': (bytes) => {
    swb.event_checked(bytes);
    return JSON.parse(decoder.decode(bytes));
  },
  'JSON.parse alone (no validation)': (bytes) => JSON.parse(decoder.decode(bytes)),
};

const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];
for (const [label, text] of bodies) {
  const bytes = new TextEncoder().encode(text);
  // The same event every way (serde_json's map orders keys, so key order may differ).
  for (const fn of Object.values(cases)) deepStrictEqual(fn(bytes), JSON.parse(text));
  const n = 2000;
  const samples = Object.fromEntries(Object.keys(cases).map((name) => [name, []]));
  for (let round = 0; round < 23; round += 1) {
    for (const [name, fn] of Object.entries(cases)) {
      const started = process.cpuUsage();
      for (let i = 0; i < n; i += 1) fn(bytes);
      const { user, system } = process.cpuUsage(started);
      if (round >= 3) samples[name].push((user + system) / n);
    }
  }
  console.log(`\n${label} (${bytes.length} B): µs per call, median of 20 rounds of ${n} (process CPU time)`);
  for (const [name, values] of Object.entries(samples)) console.log(`  ${median(values).toFixed(2).padStart(7)}  ${name}`);
}

const size = (path) => {
  const bytes = readFileSync(new URL(path, root));
  return `${bytes.length} B raw, ${gzipSync(bytes, { level: 9 }).length} B gzip -9`;
};
const imports = (path) => WebAssembly.Module.imports(new WebAssembly.Module(readFileSync(new URL(path, root)))).length;
console.log(`\nshipped .wasm: ${size('pkg/elenik_webhooks_bg.wasm')}, ${imports('pkg/elenik_webhooks_bg.wasm')} imports`);
console.log(`wasm-bindgen scratch .wasm: ${size('target/bench-swb/pkg/elenik_webhooks_bench_serde_wasm_bindgen_bg.wasm')}, ${imports('target/bench-swb/pkg/elenik_webhooks_bench_serde_wasm_bindgen_bg.wasm')} imports; glue ${readFileSync(new URL('target/bench-swb/pkg/elenik_webhooks_bench_serde_wasm_bindgen.js', root)).length} B`);
