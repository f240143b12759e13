#!/usr/bin/env node
// `make release-check` (also run by `make test`): what must hold before `npm publish`
// (RELEASING.md). Runs publint and attw on the packed tarball and `npm pack --dry-run` on pkg/, then:
//   - the tarball's file list equals tests/release/tarball.json's (a new or missing file fails);
//   - its packed and unpacked sizes are within TOLERANCE of the recorded ones (so a Wasm that
//     grows or shrinks a little needs no hand edit, a doubled one does);
//   - the .wasm stays within issue 9's budget: 48 KiB raw and 20 KiB at zlib level 9 (what every
//     `import` compiles; bench/NOTES.md says what it is made of);
//   - the version agrees in Cargo.toml, pkg-template/package.json and the tarball;
//   - CHANGELOG.md has a `## <version>` entry, and ships in the tarball as it is in the repository;
//   - the packed package.json names its `repository`, `homepage` and `bugs` (the npm page's links).
// UPDATE=1 rewrites tests/release/tarball.json from this build (review the diff before committing).
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';

const root = fileURLToPath(new URL('..', import.meta.url));
const TOLERANCE = 0.1; // ±10 % of the recorded sizes
const expectedPath = join(root, 'tests/release/tarball.json');
const bin = (tool) => join(root, 'tests/runtimes/node_modules/.bin', tool);
const problems = [];
const step = (text) => console.log(`==> ${text}`);

const cargoVersion = readFileSync(join(root, 'Cargo.toml'), 'utf8').match(/^\[package\][^[]*?^version\s*=\s*"([^"]+)"/ms)?.[1];
const packageVersion = JSON.parse(readFileSync(join(root, 'pkg-template/package.json'), 'utf8')).version;
step(`version: Cargo.toml ${cargoVersion}, pkg-template/package.json ${packageVersion}`);
if (!cargoVersion || cargoVersion !== packageVersion) problems.push(`the versions differ: Cargo.toml ${cargoVersion}, package.json ${packageVersion}`);
const tarball = join(root, `target/elenik-webhooks-${packageVersion}.tgz`);
if (!existsSync(tarball)) problems.push(`${tarball} is missing: make pkg packs the tarball under package.json's version`);

const changelog = existsSync(join(root, 'CHANGELOG.md')) ? readFileSync(join(root, 'CHANGELOG.md'), 'utf8') : '';
const escaped = packageVersion.replace(/\./g, '\\.');
if (!new RegExp(`^## \\[?${escaped}\\]?(\\s|$)`, 'm').test(changelog)) problems.push(`CHANGELOG.md has no "## ${packageVersion}" entry`);

if (existsSync(tarball)) {
  step('publint --strict');
  execFileSync(bin('publint'), ['run', tarball, '--strict'], { stdio: 'inherit' });
  step('attw --profile strict');
  execFileSync(bin('attw'), [tarball, '--profile', 'strict', '--format', 'table-flipped', '--no-color', '--no-emoji'], { stdio: 'inherit' });
}

const packed = JSON.parse(readFileSync(join(root, 'pkg/package.json'), 'utf8'));
step(`repository ${packed.repository?.url}, homepage ${packed.homepage}, bugs ${packed.bugs?.url}`);
for (const key of ['repository', 'homepage', 'bugs']) if (!packed[key]) problems.push(`pkg/package.json has no ${key}: the npm page links it`);
const shippedChangelog = join(root, 'pkg/CHANGELOG.md');
if (!existsSync(shippedChangelog) || readFileSync(shippedChangelog, 'utf8') !== changelog) problems.push('pkg/CHANGELOG.md is missing or differs from CHANGELOG.md: the README links it');

step('npm pack --dry-run (pkg/)');
const [pack] = JSON.parse(execFileSync('npm', ['pack', '--dry-run', '--json', '--loglevel=error'], { cwd: join(root, 'pkg'), encoding: 'utf8' }));
if (pack.version !== packageVersion) problems.push(`pkg/package.json says ${pack.version}, pkg-template says ${packageVersion}`);
const actual = { files: pack.files.map((f) => f.path).sort(), size: pack.size, unpackedSize: pack.unpackedSize };
console.log(`${actual.files.length} files, ${pack.size} bytes packed, ${pack.unpackedSize} unpacked`);

if (process.env.UPDATE === '1') {
  writeFileSync(expectedPath, JSON.stringify(actual, null, 2) + '\n');
  console.log(`wrote ${expectedPath}`);
} else {
  const expected = JSON.parse(readFileSync(expectedPath, 'utf8'));
  const without = (from, other) => {
    const left = [...other];
    return from.filter((f) => {
      const at = left.indexOf(f);
      if (at === -1) return true;
      left.splice(at, 1);
      return false;
    });
  };
  const added = without(actual.files, expected.files);
  const missing = without(expected.files, actual.files);
  if (added.length) problems.push(`files not in tests/release/tarball.json: ${added.join(', ')}`);
  if (missing.length) problems.push(`files missing from the tarball: ${missing.join(', ')}`);
  for (const key of ['size', 'unpackedSize']) {
    const ratio = actual[key] / expected[key];
    if (Math.abs(ratio - 1) > TOLERANCE) {
      problems.push(`${key} ${actual[key]} is ${((ratio - 1) * 100).toFixed(1)} % off the recorded ${expected[key]} (tolerance ±${TOLERANCE * 100} %)`);
    }
  }
}

const WASM_BUDGET = { raw: 48 * 1024, gzip: 20 * 1024 };
const wasm = readFileSync(join(root, 'pkg/elenik_webhooks_bg.wasm'));
const wasmSize = { raw: wasm.length, gzip: gzipSync(wasm, { level: 9 }).length };
step(`.wasm: ${wasmSize.raw} bytes raw, ${wasmSize.gzip} at zlib level 9 (budget ${WASM_BUDGET.raw} / ${WASM_BUDGET.gzip})`);
for (const key of ['raw', 'gzip']) {
  if (wasmSize[key] > WASM_BUDGET[key]) problems.push(`the .wasm is ${wasmSize[key]} bytes ${key}, over the budget of ${WASM_BUDGET[key]}`);
}

if (problems.length) {
  console.error(`\nrelease-check failed:\n${problems.map((p) => `  - ${p}`).join('\n')}\n(see RELEASING.md; UPDATE=1 make release-check records a deliberate file list or size change)`);
  process.exit(1);
}
console.log('release-check passed');
