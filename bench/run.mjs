// `make bench` (through scripts/bench.sh): one run that times this package against the
// alternatives in Node, the same core natively, and the package inside Deno, Bun and workerd;
// then writes bench/results.json, bench/chart.svg and BENCHMARKS.md (tables, budget ratios).
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { cpus, freemem, loadavg, totalmem } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { SIZES, eventBody, measure } from './fixtures.mjs';
import { checkCases, nodeCases } from './node.mjs';
import { workerdRuns } from './workerd.mjs';
import { renderChart } from './chart.mjs';
import { renderReport } from './report.mjs';
import { writeReport } from './benchmarks-md.mjs';

const here = dirname(fileURLToPath(import.meta.url));
const root = join(here, '..');
const bin = join(root, 'tests/runtimes/node_modules/.bin');
const target = join(root, 'target');
const log = (...args) => console.error('[bench]', ...args);
const lines = (text) => text.split('\n').filter((l) => l.startsWith('{')).map((l) => JSON.parse(l));
const run = (cmd, args, options = {}) => {
  const result = spawnSync(cmd, args, { encoding: 'utf8', maxBuffer: 1 << 26, ...options });
  if (result.status !== 0) throw new Error(`${cmd} ${args.join(' ')} failed:\n${result.stderr}`);
  return result.stdout;
};
const version = (cmd, args = ['--version']) => {
  try {
    return execFileSync(cmd, args, { encoding: 'utf8' }).split('\n')[0].trim();
  } catch {
    return 'unknown';
  }
};
const pkgVersion = (name) => JSON.parse(readFileSync(join(here, 'node_modules', name, 'package.json'), 'utf8')).version;

const results = { started: new Date().toISOString(), loadBefore: loadavg() };

// The bodies, for the native harness to hash exactly the same bytes.
const bodies = join(target, 'bench-bodies');
mkdirSync(bodies, { recursive: true });
for (const size of SIZES) writeFileSync(join(bodies, `${size}.json`), eventBody(size));

log('Node: checking every case gives the right answer');
for (const size of SIZES) await checkCases(size);
results.node = [];
for (const size of SIZES) {
  for (const [name, kind, fn, isAsync] of await nodeCases(size)) {
    const stats = await measure(fn, { now: () => performance.now(), isAsync });
    results.node.push({ name, kind, size, ...stats });
    log(`node ${name} (${kind}) ${size} B: ${(stats.median / 1000).toFixed(2)} µs`);
  }
}

log('native core (SHA-NI and portable backends)');
results.native = [
  ...lines(run(join(target, 'bench-native/release/elenik-webhooks-bench-native'), [bodies, ...SIZES.map(String)])),
  ...lines(run(join(target, 'bench-native-soft/release/elenik-webhooks-bench-native'), [bodies, ...SIZES.map(String)])),
];

log('Deno');
results.deno = lines(run(join(bin, 'deno'), ['run', '--no-lock', '--allow-read', '--allow-env', 'runtime.mjs'], { cwd: here }));
log('Bun');
results.bun = lines(run(join(bin, 'bun'), ['runtime.mjs'], { cwd: here }));
log('workerd');
results.workerd = await workerdRuns({
  workerd: join(bin, 'workerd'),
  packageDir: join(here, 'node_modules/elenik-webhooks'),
  workDir: join(target, 'bench-workerd'),
});

log('start-up and memory (fresh Node processes)');
// The floor: an empty module behind the package's own `exports` shape, imported by name the same
// way, so the tables can say what Node itself costs (resolving a package through `exports`, the ESM
// loader) and what is the package's.
const floor = join(here, 'node_modules/startup-floor');
mkdirSync(floor, { recursive: true });
const pkgJson = JSON.parse(readFileSync(join(here, 'node_modules/elenik-webhooks/package.json'), 'utf8'));
const emptyTargets = (node) =>
  typeof node === 'string'
    ? node.endsWith('.cjs') ? './index.cjs' : node.endsWith('.js') ? './index.js' : node
    : Object.fromEntries(Object.entries(node).map(([key, value]) => [key, emptyTargets(value)]));
writeFileSync(join(floor, 'package.json'), JSON.stringify({ name: 'startup-floor', type: 'module', exports: { '.': emptyTargets(pkgJson.exports['.']) } }));
writeFileSync(join(floor, 'index.js'), 'export const empty = true;\n');
writeFileSync(join(floor, 'index.cjs'), 'exports.empty = true;\n');
const median = (times) => {
  const sorted = [...times].sort((a, b) => a - b);
  return { median: sorted[sorted.length >> 1], min: sorted[0], max: sorted.at(-1), runs: sorted.length };
};
results.startup = {};
for (const mode of ['cold', 'warm', 'require']) {
  for (const name of ['elenik-webhooks', 'startup-floor']) {
    const times = Array.from({ length: 21 }, () => lines(run(process.execPath, ['startup.mjs', mode, name], { cwd: here }))[0].ms);
    results.startup[name === 'elenik-webhooks' ? mode : `${mode}Floor`] = median(times);
  }
}
// Issue 9's measure: whole fresh processes, `import` of the package against a bare `node -e 0`
// (and against the floor; `require` the same way), interleaved so that a drift in the machine's
// load hits every case alike.
const processes = {
  bare: ['-e', '0'],
  floor: ['--input-type=module', '-e', "await import('startup-floor')"],
  package: ['--input-type=module', '-e', "await import('elenik-webhooks')"],
  requireFloor: ['-e', "require('startup-floor')"],
  require: ['-e', "require('elenik-webhooks')"],
};
const wall = Object.fromEntries(Object.keys(processes).map((key) => [key, []]));
for (let i = 0; i < 41; i += 1) {
  for (const [key, args] of Object.entries(processes)) {
    const t0 = process.hrtime.bigint();
    run(process.execPath, args, { cwd: here });
    wall[key].push(Number(process.hrtime.bigint() - t0) / 1e6);
  }
}
results.startup.process = Object.fromEntries(Object.entries(wall).map(([key, times]) => [key, median(times)]));
results.memory = lines(run(process.execPath, ['memory.mjs'], { cwd: here }))[0];

const wasm = readFileSync(join(here, 'node_modules/elenik-webhooks/elenik_webhooks_bg.wasm'));
results.wasm = { raw: wasm.length, gzip: gzipSync(wasm, { level: 9 }).length };

results.machine = {
  cpu: cpus()[0].model,
  cores: cpus().length,
  memoryGiB: Math.round(totalmem() / 2 ** 30),
  freeGiB: Math.round(freemem() / 2 ** 30),
  os: version('uname', ['-sr']),
};
results.versions = {
  node: process.version,
  v8: process.versions.v8,
  openssl: process.versions.openssl,
  deno: version(join(bin, 'deno')),
  bun: version(join(bin, 'bun')),
  workerd: version(join(bin, 'workerd')),
  rustc: version('rustc'),
  'elenik-webhooks': pkgVersion('elenik-webhooks'),
  '@noble/hashes': pkgVersion('@noble/hashes'),
  '@octokit/webhooks-methods': pkgVersion('@octokit/webhooks-methods'),
  standardwebhooks: pkgVersion('standardwebhooks'),
};
results.loadAfter = loadavg();
results.finished = new Date().toISOString();

writeFileSync(join(here, 'results.json'), JSON.stringify(results, null, 1) + '\n');
writeFileSync(join(here, 'chart.svg'), renderChart(results));
const notes = readFileSync(join(here, 'NOTES.md'), 'utf8');
writeReport(join(root, 'BENCHMARKS.md'), renderReport(results, notes));
log('wrote BENCHMARKS.md, bench/chart.svg and bench/results.json');
