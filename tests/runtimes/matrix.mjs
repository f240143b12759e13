#!/usr/bin/env node
// The runtime matrix: installs the packed tarball into a fresh project (target/matrix-consumer)
// the way a user would, then runs the same check (check.mjs) in every runtime and bundler,
// each started here for real. Fails if any cell fails or computes different results from
// Node's `import`. Writes target/matrix.md, and with UPDATE_README=1 (`make matrix-readme`) the
// compatibility table of docs/compatibility.md (the README links it).
//
//   node tests/runtimes/matrix.mjs            # every cell
//   node tests/runtimes/matrix.mjs deno vite  # only the cells whose name contains a word
import { spawn, execFileSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { extname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';
import { deployCells } from '../deploy/cells.mjs';
import { freePort, wasmCopies } from '../../examples/harness.mjs';

const here = fileURLToPath(new URL('.', import.meta.url));
const root = resolve(here, '../..');
const bin = (tool) => join(here, 'node_modules/.bin', tool);
const toolVersion = (name) => JSON.parse(readFileSync(join(here, 'node_modules', name, 'package.json'), 'utf8')).version;
const tarball = join(root, 'target/elenik-webhooks-0.1.0.tgz');
const work = join(root, 'target/matrix-consumer');
const CHROMIUM = process.env.CHROMIUM ?? '/usr/bin/chromium';
const CHROMIUM_ARGS = [
  '--no-sandbox', '--headless=new', '--disable-gpu', '--disable-dev-shm-usage', '--disable-background-networking',
  '--disable-component-update', '--disable-sync', '--no-first-run',
];
const WORKER_SECRET = 'worker-matrix-secret'; // the secret in cells/worker.mjs
const COMPAT_DATES = ['2026-04-26', '2024-01-01']; // workerd 1.20260426.1's own date, and an old one
// The table's place in docs/compatibility.md, between these two markers.
const MATRIX_DOC = 'docs/compatibility.md';
const MATRIX_START = '<!-- runtime-matrix:start -->';
const MATRIX_END = '<!-- runtime-matrix:end -->';

// ---------------------------------------------------------------------------------------------
// Helpers

function run(command, args, { cwd = work, env = {}, timeoutMs = 120_000 } = {}) {
  return new Promise((resolvePromise) => {
    const child = spawn(command, args, { cwd, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'], timeout: timeoutMs });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    child.on('error', (error) => resolvePromise({ code: -1, stdout, stderr: stderr + String(error) }));
    child.on('close', (code, signal) => resolvePromise({ code: code ?? signal, stdout, stderr }));
  });
}

async function mustRun(command, args, options) {
  const out = await run(command, args, options);
  if (out.code !== 0) throw new Error(`${relative(root, command)} ${args.join(' ')} exited ${out.code}:\n${out.stderr || out.stdout}`);
  return out;
}

const failed = (message) => ({ ok: false, checks: 0, failures: [{ name: 'cell', message }], transcript: [] });

function resultFrom(text, what) {
  const line = text.split('\n').find((l) => l.startsWith('MATRIX-RESULT '));
  if (!line) return failed(`${what} printed no MATRIX-RESULT:\n${text.slice(-2000)}`);
  return JSON.parse(line.slice('MATRIX-RESULT '.length));
}

async function cellProcess(command, args, env, cwd = work) {
  const out = await run(command, args, { env, cwd });
  const result = resultFrom(out.stdout, `${relative(root, command)} ${args.join(' ')}`);
  if (out.code !== 0) result.failures.push({ name: 'exit code', message: `exited ${out.code}: ${out.stderr.slice(-2000)}` });
  result.ok = result.ok && out.code === 0;
  return result;
}

async function waitForHttp(url, child, seconds = 30) {
  const deadline = Date.now() + seconds * 1000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`server exited ${child.exitCode}`);
    try {
      await fetch(url);
      return;
    } catch {
      await new Promise((r) => setTimeout(r, 100));
    }
  }
  throw new Error(`${url} did not answer in ${seconds} s`);
}

function filesUnder(dir) {
  return readdirSync(dir, { recursive: true })
    .map((f) => join(dir, f))
    .filter((f) => statSync(f).isFile());
}

// Copies of the Wasm in a build: .wasm files, plus inlined ones (examples/harness.mjs).
const countWasmCopies = (dir) => wasmCopies(filesUnder(dir));

// ---------------------------------------------------------------------------------------------
// The consumer project: the tarball installed with npm, plus the check, the cells and the vectors.

async function prepareConsumer() {
  if (!existsSync(tarball)) throw new Error(`${relative(root, tarball)} is missing: run make pkg first`);
  rmSync(work, { recursive: true, force: true });
  mkdirSync(work, { recursive: true });
  writeFileSync(join(work, 'package.json'), JSON.stringify({ name: 'matrix-consumer', private: true, type: 'module' }, null, 2) + '\n');
  await mustRun('npm', ['install', '--no-audit', '--no-fund', '--loglevel=error', tarball]);
  cpSync(join(here, 'check.mjs'), join(work, 'check.mjs'));
  cpSync(join(root, 'tests/vectors/expand.mjs'), join(work, 'expand.mjs'));
  cpSync(join(here, 'cells'), work, { recursive: true });
  const vectors = {};
  for (const name of ['rfc4231', 'signatures', 'headers', 'events']) {
    vectors[name] = JSON.parse(readFileSync(join(root, 'tests/vectors', `${name}.json`), 'utf8'));
  }
  writeFileSync(join(work, 'vectors.json'), JSON.stringify(vectors));
}

// ---------------------------------------------------------------------------------------------
// Cloudflare Workers: wrangler bundles the Worker (offline, --dry-run), workerd serves it.

async function workerCell(date) {
  const outdir = `dist-worker-${date}`;
  writeFileSync(join(work, `wrangler-${date}.toml`), `name = "matrix"\nmain = "worker.mjs"\ncompatibility_date = "${date}"\n`);
  await mustRun(bin('wrangler'), ['deploy', '--dry-run', '--config', `wrangler-${date}.toml`, '--outdir', outdir], {
    // Offline: no metrics, no update check (the banner), no Cloudflare fetches.
    env: { WRANGLER_SEND_METRICS: 'false', WRANGLER_HIDE_BANNER: 'true', CLOUDFLARE_CF_FETCH_ENABLED: 'false', XDG_CONFIG_HOME: join(work, '.config'), CI: '1', NO_COLOR: '1' },
  });
  const files = readdirSync(join(work, outdir));
  const wasm = files.filter((f) => f.endsWith('.wasm'));
  const main = readFileSync(join(work, outdir, 'worker.js'), 'utf8');
  const problems = [];
  if (wasm.length !== 1) problems.push({ name: 'bundle', message: `expected one .wasm module, found ${wasm.length}` });
  if (main.includes('AGFzbQEAAAA')) problems.push({ name: 'bundle', message: 'the Worker inlines the Wasm: wrangler picked a non-workerd entry' });

  const port = await freePort();
  const modules = [`(name = "worker.js", esModule = embed "${outdir}/worker.js")`, ...wasm.map((f) => `(name = "${f}", wasm = embed "${outdir}/${f}")`)];
  writeFileSync(
    join(work, `workerd-${date}.capnp`),
    `using Workerd = import "/workerd/workerd.capnp";
const config :Workerd.Config = (
  services = [ (name = "main", worker = .worker) ],
  sockets = [ (name = "http", address = "127.0.0.1:${port}", http = (), service = "main") ],
);
const worker :Workerd.Worker = (
  modules = [ ${modules.join(', ')} ],
  compatibilityDate = "${date}",
);
`,
  );
  // workerd stops by itself after two minutes at most, and is killed as soon as the cell is done.
  const child = spawn(bin('workerd'), ['serve', `workerd-${date}.capnp`], { cwd: work, stdio: ['ignore', 'ignore', 'pipe'], timeout: 120_000 });
  let log = '';
  child.stderr.on('data', (d) => (log += d));
  try {
    const base = `http://127.0.0.1:${port}`;
    await waitForHttp(`${base}/ready`, child);
    const response = await fetch(`${base}/check`);
    const result = response.ok ? await response.json() : failed(`/check answered ${response.status}: ${await response.text()}`);
    result.failures.push(...problems, ...(await workerRequests(base)));
    result.ok = result.failures.length === 0;
    return result;
  } catch (error) {
    return failed(`${error.message}\n${log}`);
  } finally {
    child.kill();
  }
}

// Real requests through workerd's HTTP stack: signed, tampered, forged, unsigned.
async function workerRequests(base) {
  const body = '{"event":"payment_verified","data":{"user_id":"u_123","amount":49.99,"currency":"USD"}}';
  const { createHmac } = await import('node:crypto');
  const signature = 'sha256=' + createHmac('sha256', WORKER_SECRET).update(body).digest('hex');
  const forged = 'sha256=' + createHmac('sha256', 'not-the-secret').update(body).digest('hex');
  const post = (payload, headers) => fetch(base, { method: 'POST', body: payload, headers });
  const cases = [
    ['signed', post(body, { 'X-Elenik-Signature': signature }), 200, (j) => j.valid === true && j.event?.data?.amount === 49.99],
    ['tampered', post(body.replace('49.99', '4999'), { 'X-Elenik-Signature': signature }), 401, (j) => j.code === 'SIGNATURE_MISMATCH'],
    ['forged', post(body, { 'X-Elenik-Signature': forged }), 401, (j) => j.code === 'SIGNATURE_MISMATCH'],
    ['unsigned', post(body, {}), 401, (j) => j.code === 'MISSING_SIGNATURE'],
  ];
  const failures = [];
  for (const [name, pending, status, ok] of cases) {
    const response = await pending;
    const json = await response.json().catch(() => ({}));
    if (response.status !== status || !ok(json)) {
      failures.push({ name: `POST ${name}`, message: `expected ${status}, got ${response.status} ${JSON.stringify(json)}` });
    }
  }
  return failures;
}

// ---------------------------------------------------------------------------------------------
// Chromium: one browser; pages served from 127.0.0.1.

const MIME = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.json': 'application/json',
  '.wasm': 'application/wasm',
};

function serveStatic(dir) {
  const server = createServer((req, res) => {
    const path = join(dir, decodeURIComponent(new URL(req.url, 'http://x').pathname));
    if (!path.startsWith(dir) || !existsSync(path) || !statSync(path).isFile()) return res.writeHead(404).end();
    res.writeHead(200, { 'content-type': MIME[extname(path)] ?? 'application/octet-stream' }).end(readFileSync(path));
  });
  return new Promise((resolvePromise) => server.listen(0, '127.0.0.1', () => resolvePromise(server)));
}

let browserSession;
async function browser() {
  if (!browserSession) {
    const instance = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
    const server = await serveStatic(work);
    browserSession = { instance, server, base: `http://127.0.0.1:${server.address().port}` };
  }
  return browserSession;
}

async function closeBrowser() {
  if (!browserSession) return;
  await browserSession.instance.close();
  browserSession.server.closeAllConnections();
  browserSession.server.close();
}

async function pageCell(path) {
  const { instance, base } = await browser();
  const page = await instance.newPage();
  const errors = [];
  let timer;
  page.on('pageerror', (error) => errors.push(String(error)));
  page.on('response', (response) => response.status() >= 400 && errors.push(`${response.status()} ${response.url()}`));
  try {
    const result = new Promise((resolvePromise) => {
      page.on('console', (message) => {
        if (message.text().startsWith('MATRIX-RESULT ')) resolvePromise(resultFrom(message.text(), path));
      });
    });
    const response = await page.goto(`${base}/${path}`);
    if (!response.ok()) return failed(`${path} answered ${response.status()}`);
    const timeout = new Promise((r) => (timer = setTimeout(() => r(failed(`no result after 30 s: ${errors.join('\n')}`)), 30_000)));
    return await Promise.race([result, timeout]);
  } finally {
    clearTimeout(timer);
    await page.close();
  }
}

async function bundleCell(outdir, build, page) {
  await build();
  const copies = countWasmCopies(join(work, outdir));
  const result = await pageCell(`${outdir}/${page}`);
  if (copies !== 1) result.failures.push({ name: 'one copy of the Wasm', message: `the bundle in ${outdir} has ${copies} copies` });
  result.ok = result.failures.length === 0;
  result.note = `${copies} Wasm copy`;
  return result;
}

// ---------------------------------------------------------------------------------------------
// The cells.

const firstLine = async (command, args) => (await mustRun(command, args)).stdout.trim().split('\n')[0];
const chromiumVersion = async () => `Chromium ${(await browser()).instance.version()}`;
const denoEnv = () => ({ DENO_DIR: join(work, '.deno'), DENO_NO_UPDATE_CHECK: '1', NO_COLOR: '1' });

const cells = [
  { name: 'Node.js `import`', version: async () => process.version, run: () => cellProcess(process.execPath, ['cell.mjs']) },
  { name: 'Node.js `require`', version: async () => process.version, run: () => cellProcess(process.execPath, ['cell.cjs']) },
  ...COMPAT_DATES.map((date) => ({
    name: `Cloudflare Workers (workerd, compatibility_date ${date})`,
    version: async () => `workerd ${toolVersion('workerd')}, wrangler ${toolVersion('wrangler')}`,
    run: () => workerCell(date),
  })),
  {
    name: 'Deno (`deno run`, no `--allow-*`)',
    version: async () => (await firstLine(bin('deno'), ['--version'])).replace(/ \(.*/, ''),
    // No permission flag: the package needs none (the Wasm is inlined, no file or net access).
    run: () => cellProcess(bin('deno'), ['run', '--node-modules-dir=manual', 'cell.mjs'], denoEnv()),
  },
  { name: 'Bun `import`', version: async () => `bun ${await firstLine(bin('bun'), ['--version'])}`, run: () => cellProcess(bin('bun'), ['cell.mjs']) },
  { name: 'Bun `require`', version: async () => `bun ${await firstLine(bin('bun'), ['--version'])}`, run: () => cellProcess(bin('bun'), ['cell.cjs']) },
  { name: 'Chromium (`<script type="module">` + import map)', version: chromiumVersion, run: () => pageCell('browser.html') },
  {
    name: 'Vite → Chromium',
    version: async () => `vite ${toolVersion('vite')}, ${await chromiumVersion()}`,
    run: () => bundleCell('dist-vite', () => mustRun(bin('vite'), ['build', '--config', 'vite.config.mjs']), 'vite.html'),
  },
  {
    name: 'webpack → Chromium',
    version: async () => `webpack ${toolVersion('webpack')}, ${await chromiumVersion()}`,
    run: () =>
      bundleCell(
        'dist-webpack',
        async () => {
          await mustRun(bin('webpack'), ['--config', 'webpack.config.cjs']);
          writeFileSync(join(work, 'dist-webpack/index.html'), '<!doctype html>\n<meta charset="utf-8">\n<script src="bundle.js"></script>\n');
        },
        'index.html',
      ),
  },
  {
    name: 'esbuild → Chromium',
    version: async () => `esbuild ${toolVersion('esbuild')}, ${await chromiumVersion()}`,
    run: () =>
      bundleCell(
        'dist-esbuild',
        async () => {
          await mustRun(bin('esbuild'), ['cell.mjs', '--bundle', '--format=esm', '--platform=browser', '--outdir=dist-esbuild', '--log-level=warning']);
          writeFileSync(join(work, 'dist-esbuild/index.html'), '<!doctype html>\n<script type="module" src="cell.js"></script>\n');
        },
        'index.html',
      ),
  },
];

// Deploy targets (tests/deploy/cells.mjs, tools from tests/deploy): edge-runtime without Wasm
// code generation, Next.js webpack/Turbopack x Node.js/Edge, and installs from a local registry.
const deploy = deployCells({ work, root, run, mustRun, cellProcess, failed, freePort, waitForHttp, runtimeBin: bin });
cells.push(...deploy.cells);

// ---------------------------------------------------------------------------------------------
// Run, compare, report.

function table(rows) {
  const lines = ['| Runtime | Version | Result | Time |', '|---|---|---|---|'];
  for (const r of rows) {
    const result = r.ok ? `pass (${r.checks} checks${r.note ? `, ${r.note}` : ''})` : `**FAIL** (${r.failures.length} of ${r.checks})`;
    lines.push(`| ${r.name} | ${r.version} | ${result} | ${(r.ms / 1000).toFixed(1)} s |`);
  }
  return lines.join('\n');
}

function updateMatrixDoc(markdown) {
  const path = join(root, MATRIX_DOC);
  const text = readFileSync(path, 'utf8');
  const start = text.indexOf(MATRIX_START);
  const end = text.indexOf(MATRIX_END);
  if (start < 0 || end < start) {
    console.warn(`${MATRIX_DOC} has no ${MATRIX_START} … ${MATRIX_END} section; not updated`);
    return;
  }
  writeFileSync(path, text.slice(0, start + MATRIX_START.length) + '\n' + markdown + '\n' + text.slice(end));
}

async function main() {
  const only = process.argv.slice(2).map((w) => w.toLowerCase());
  const selected = only.length ? cells.filter((c) => only.some((w) => c.name.toLowerCase().includes(w))) : cells;
  const started = Date.now();
  await prepareConsumer();
  const rows = [];
  try {
    for (const cell of selected) {
      const t0 = performance.now();
      let result;
      try {
        result = await cell.run();
      } catch (error) {
        result = failed(String(error?.stack ?? error));
      }
      const ms = performance.now() - t0;
      const version = await cell.version().catch((error) => `unknown (${error.message})`);
      rows.push({ name: cell.name, version, ms, ...result });
      console.log(`${result.ok ? 'pass' : 'FAIL'}  ${cell.name}  (${version}, ${(ms / 1000).toFixed(1)} s)`);
    }
  } finally {
    await closeBrowser();
    deploy.stop();
  }

  // Every runtime must compute exactly what Node's `import` computed.
  const reference = rows.find((r) => r.name === 'Node.js `import`' && r.ok);
  for (const row of rows) {
    if (!reference || row === reference || !row.ok) continue;
    const at = row.transcript.findIndex((line, i) => line !== reference.transcript[i]);
    if (at >= 0 || row.transcript.length !== reference.transcript.length) {
      row.ok = false;
      row.failures.push({ name: 'same results as Node.js `import`', message: `first difference: ${row.transcript[at]} vs ${reference.transcript[at]}` });
    }
  }

  const markdown = table(rows);
  const failedRows = rows.filter((r) => !r.ok);
  const details = failedRows.map((r) => `### ${r.name}\n` + r.failures.slice(0, 20).map((f) => `- ${f.name}: ${f.message}`).join('\n')).join('\n\n');
  const generated = `Generated by \`make test-matrix\` (tests/runtimes/matrix.mjs) on ${new Date().toISOString().slice(0, 10)}: every cell runs tests/runtimes/check.mjs against the packed tarball installed with \`npm install\`.`;
  mkdirSync(join(root, 'target'), { recursive: true });
  writeFileSync(join(root, 'target/matrix.md'), `# Runtime matrix\n\n${generated}\n\n${markdown}\n${details ? `\n## Failures\n\n${details}\n` : ''}`);
  // docs/compatibility.md shows the full matrix only; a partial run would drop rows from it. It changes
  // only on request (`make matrix-readme`), so a test run leaves the work tree as it was.
  if (selected === cells && process.env.UPDATE_README === '1') updateMatrixDoc(markdown);
  console.log(`\n${markdown}\n\nwritten to target/matrix.md (${((Date.now() - started) / 1000).toFixed(1)} s in all)`);
  if (failedRows.length) {
    console.error(`\n${failedRows.length} cell(s) failed:\n\n${details}`);
    process.exit(1);
  }
}

await main();
