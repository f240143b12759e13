// Renders BENCHMARKS.md from one run's results: machine, versions, budgets, tables, notes.
import { SIZES } from './fixtures.mjs';

export const sizeLabel = (size) => (size >= 1 << 20 ? `${size >> 20} MiB` : size >= 1024 ? `${size >> 10} KiB` : `${size} B`);
export const time = (ns) =>
  ns >= 1e6 ? `${(ns / 1e6).toFixed(2)} ms` : ns >= 1e4 ? `${(ns / 1e3).toFixed(1)} µs` : `${(ns / 1e3).toFixed(2)} µs`;
const mbps = (size, ns) => ((size / ns) * 1e3).toFixed(size >= 16384 ? 0 : 1); // bytes/ns * 1e3 = MB/s
const iqr = (row) => `±${(((row.p75 - row.p25) / 2 / row.median) * 100).toFixed(1)}%`;
const ratio = (x) => `${x.toFixed(2)}x`;

export function find(rows, name, kind, size) {
  const row = rows.find((r) => r.name === name && (kind === undefined || r.kind === kind) && r.size === size);
  if (!row) throw new Error(`no result for ${name} ${kind} ${size}`);
  return row;
}

// Each budget of issue 5 as [what, measured ratio or value, limit, passes?, how to read it].
export function budgets(results) {
  const n = (name, kind, size) => find(results.node, name, kind, size).median;
  const ours = (size) => n('Verifier.verify', 'bytes', size);
  const out = [];
  const at = (what, value, limit, pass, unit = 'x') => out.push({ what, value, limit, pass, unit });
  for (const [size, pre, one] of [[256, 0.7, 0.9], [1024, 1.0, 1.2]]) {
    const v = ours(size) / n('node:crypto createHmac', 'bytes', size);
    at(`${sizeLabel(size)}: Verifier.verify(bytes) time / createHmac+timingSafeEqual(bytes) time`, v, `≤ ${pre}`, v <= pre);
    const w = n('verify', 'string', size) / n('node:crypto createHmac', 'string', size);
    at(`${sizeLabel(size)}: verify(string, header, secret) time / createHmac+timingSafeEqual(string) time`, w, `≤ ${one}`, w <= one);
  }
  for (const [size, min] of [[256, 4], [1024, 3], [1 << 20, 2]]) {
    const v = n('@noble/hashes hmac', 'bytes', size) / ours(size);
    at(`${sizeLabel(size)}: speed-up of Verifier.verify(bytes) over @noble/hashes hmac`, v, `≥ ${min}`, v >= min);
  }
  for (const [size, min] of [[256, 5], [1024, 3]]) {
    const v = n('WebCrypto verify (imported key)', 'bytes', size) / ours(size);
    at(`${sizeLabel(size)}: speed-up over WebCrypto subtle.verify, key imported once`, v, `≥ ${min}`, v >= min);
    const w = n('WebCrypto importKey + verify', 'bytes', size) / ours(size);
    at(`${sizeLabel(size)}: speed-up over WebCrypto importKey + subtle.verify per call`, w, `≥ ${min}`, w >= min);
  }
  const mib = 1 << 20;
  const soft = find(results.native, 'Verifier::verify', undefined, mib);
  const nativeSoft = results.native.find((r) => r.backend === 'soft' && r.name === 'Verifier::verify' && r.size === mib);
  if (!nativeSoft) throw new Error(`no portable-backend native result (got ${soft.backend})`);
  const t = nativeSoft.median / ours(mib);
  at('1 MiB: Wasm Verifier.verify(bytes) throughput / native portable (soft) backend throughput', t, '≥ 0.9', t >= 0.9);
  const s = n('Verifier.verify', 'string', mib) / ours(mib);
  at('1 MiB: Verifier.verify(string) time / Verifier.verify(bytes) time', s, '≤ 1.25', s <= 1.25);
  for (const kind of ['string', 'bytes']) {
    const p = n('parseEvent', kind, 1024) / n('JSON.parse + hand validation', kind, 1024);
    at(`1 KiB event: parseEvent(${kind}) time / JSON.parse + hand validation(${kind}) time`, p, '≤ 1.5', p <= 1.5);
  }
  at('.wasm size, raw', results.wasm.raw / 1024, '≤ 48', results.wasm.raw <= 48 * 1024, ' KiB');
  at('.wasm size, gzip (zlib level 9)', results.wasm.gzip / 1024, '≤ 20', results.wasm.gzip <= 20 * 1024, ' KiB');
  const { process: wall } = results.startup;
  const importCost = wall.package.median - wall.bare.median;
  at(`Node: import + instantiate, whole process minus bare \`node -e 0\`, medians of ${wall.package.runs} processes`, importCost, '≤ 3', importCost <= 3, ' ms');
  const grow = results.memory.growth / 2 ** 20;
  at('Wasm memory growth over 1,000,000 verifications of 1 KiB bodies', grow, '< 2', grow < 2, ' MiB');
  return out;
}

function nodeTable(results, size) {
  const rows = results.node.filter((r) => r.size === size);
  const base = find(results.node, 'Verifier.verify', 'bytes', size).median;
  const out = [
    `| implementation | body | median | spread (IQR/2) | min – max | MB/s | time vs Verifier.verify(bytes) |`,
    `|---|---|---:|---:|---:|---:|---:|`,
  ];
  for (const r of rows) {
    out.push(
      `| ${r.name} | ${r.kind} | ${time(r.median)} | ${iqr(r)} | ${time(r.min)} – ${time(r.max)} | ${mbps(size, r.median)} | ${ratio(r.median / base)} |`,
    );
  }
  return out.join('\n');
}

function runtimeTable(results) {
  const out = [
    `| runtime | call | body | ${SIZES.map(sizeLabel).join(' | ')} | MB/s at 1 MiB |`,
    `|---|---|---|${SIZES.map(() => '---:').join('|')}|---:|`,
  ];
  const mib = 1 << 20;
  for (const [runtime, rows] of [['Node', results.node], ['Deno', results.deno], ['Bun', results.bun], ['workerd', results.workerd]]) {
    for (const name of ['verify', 'Verifier.verify']) {
      for (const kind of ['string', 'bytes']) {
        const cells = SIZES.map((s) => {
          const r = find(rows, name, kind, s);
          return `${time(r.median)} ${iqr(r)}`;
        });
        out.push(`| ${runtime} | ${name} | ${kind} | ${cells.join(' | ')} | ${mbps(mib, find(rows, name, kind, mib).median)} |`);
      }
    }
  }
  return out.join('\n');
}

function nativeTable(results) {
  const out = [
    `| backend | call | ${SIZES.map(sizeLabel).join(' | ')} | MB/s at 1 MiB |`,
    `|---|---|${SIZES.map(() => '---:').join('|')}|---:|`,
  ];
  const mib = 1 << 20;
  for (const backend of [...new Set(results.native.map((r) => r.backend))]) {
    for (const name of ['Verifier::verify', 'verify', 'parse_event']) {
      const rows = results.native.filter((r) => r.backend === backend && r.name === name);
      const cells = SIZES.map((s) => {
        const r = rows.find((x) => x.size === s);
        return r ? `${time(r.median)} ${iqr(r)}` : '–';
      });
      const big = rows.find((x) => x.size === mib);
      out.push(`| ${backend} | ${name} | ${cells.join(' | ')} | ${big ? mbps(mib, big.median) : '–'} |`);
    }
  }
  return out.join('\n');
}

export function renderReport(results, notes) {
  const b = budgets(results);
  const fmt = (x) => (x.unit === 'x' ? ratio(x.value) : `${x.value.toFixed(2)}${x.unit}`);
  const v = results.versions;
  const m = results.machine;
  return `# Benchmarks

<!-- Generated by \`make bench\` (bench/run.mjs) from one run; edit bench/NOTES.md, not this file. -->

Run ${results.started} – ${results.finished} on ${m.cpu}, ${m.cores} cores, ${m.memoryGiB} GiB (${m.os}); load
average ${results.loadBefore.map((x) => x.toFixed(2)).join(' / ')} before and ${results.loadAfter.map((x) => x.toFixed(2)).join(' / ')} after.
Node ${v.node} (V8 ${v.v8}, OpenSSL ${v.openssl}), ${v.deno}, Bun ${v.bun}, ${v.workerd}, ${v.rustc}; elenik-webhooks ${v['elenik-webhooks']},
@noble/hashes ${v['@noble/hashes']}, @octokit/webhooks-methods ${v['@octokit/webhooks-methods']}, standardwebhooks ${v.standardwebhooks}.

Method: every case is first checked to give the right answer (a valid signature verifies, a wrong one does not,
events equal \`JSON.parse\` of the body), then run for 300 ms of warm-up, then timed in 21 samples of about 25 ms
each (\`performance.now()\` around a batch). Tables give the **median** time per operation, the spread as half the
interquartile range relative to the median, and min – max over the samples. Bodies are \`payment_verified\` events
padded to exactly 256 B, 1 KiB, 16 KiB and 1 MiB with line items; "string" is the body as a JS string, "bytes" as a
\`Uint8Array\`. The secret is a 38-byte string. Ratios below are from this one run, so load from other processes
affects both sides alike.

![Median time per verification at each body size](bench/chart.svg)

## Budgets

| budget | measured | limit | met |
|---|---:|---:|:---:|
${b.map((x) => `| ${x.what} | ${fmt(x)} | ${x.limit}${x.unit === 'x' ? 'x' : x.unit} | ${x.pass ? 'yes' : '**no**'} |`).join('\n')}

.wasm: ${results.wasm.raw} bytes raw, ${results.wasm.gzip} bytes gzipped with zlib level 9.

Node import + instantiate, ${startupText(results.startup)}

Wasm memory: ${results.memory.afterFirst} bytes after the first verification,
${results.memory.afterAll} after ${results.memory.verifications.toLocaleString('en')} (growth ${results.memory.growth} bytes).

## Node: this package against the alternatives

${SIZES.map((s) => `### ${sizeLabel(s)}\n\n${nodeTable(results, s)}`).join('\n\n')}

## The package in each runtime (median per call, spread)

workerd freezes its clocks while JavaScript runs, so it is timed from outside: the same request runs the call n
times and 0 times, and the difference is divided by n.

${runtimeTable(results)}

## The same core, native (the reference for what Wasm can reach)

\`bench/native\`, built with the release profile; "soft" is sha2's portable backend
(\`RUSTFLAGS='--cfg sha2_backend="soft"'\`), the code plain Wasm runs; "sha-ni" uses the CPU's SHA instructions.

${nativeTable(results)}

${notes.trim()}
`;
}

// Start-up in words: issue 9's whole-process measure, what an empty package with the same `exports`
// costs measured the same ways (Node's own part), and the in-process timings.
function startupText(startup) {
  const ms = (value) => `${value.toFixed(2)} ms`;
  const { bare, floor, package: pkg } = startup.process;
  return `whole fresh processes (medians of ${pkg.runs}, interleaved): \`node --input-type=module -e "await import('elenik-webhooks')"\` ${ms(pkg.median)}, \`node -e 0\` ${ms(bare.median)}, so ${ms(pkg.median - bare.median)}; an empty module behind the same \`exports\` shape imported the same way costs ${ms(floor.median - bare.median)} (Node's ESM loader and its \`exports\` resolution), so the package's own share is ${ms(pkg.median - floor.median)}. Through \`require\` (\`node -e "require('elenik-webhooks')"\`, no ESM loader): ${ms(startup.process.require.median - bare.median)}, the empty package ${ms(startup.process.requireFloor.median - bare.median)}. Timed inside the process (medians of ${startup.warm.runs}): ${ms(startup.warm.median)} after the ESM loader started (the empty package: ${ms(startup.warmFloor.median)}), ${ms(startup.cold.median)} as the process's first ES module import (empty: ${ms(startup.coldFloor.median)}), ${ms(startup.require.median)} through \`require\` (empty: ${ms(startup.requireFloor.median)}).`;
}
