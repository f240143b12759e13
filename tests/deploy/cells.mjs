// The runtime matrix's deploy rows (issue 10), run by tests/runtimes/matrix.mjs with its helpers:
//   - Vercel's edge-runtime with Wasm code generation disallowed (the package's `edge-light` entry);
//   - Next.js 16, webpack and Turbopack builds, each with a Node.js and an Edge route (next start);
//   - a local registry (verdaccio, 127.0.0.1, its own storage, no uplinks) that the packed tarball
//     is `npm publish`ed to, then installed from with npm, pnpm, Yarn 4 Plug'n'Play (require,
//     import, `yarn elenik-webhooks`, `yarn dlx`), `bun add` and Deno `npm:` (no node_modules).
// Every row runs tests/runtimes/check.mjs; the driver compares its transcript with Node's.
import { spawn } from 'node:child_process';
import { createHmac } from 'node:crypto';
import { cpSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = fileURLToPath(new URL('.', import.meta.url));
const deployBin = (path) => join(here, 'node_modules', path);
const deployVersion = (name) => JSON.parse(readFileSync(join(here, 'node_modules', name, 'package.json'), 'utf8')).version;
const YARN = deployBin('@yarnpkg/cli-dist/bin/yarn.js');
const PNPM = deployBin('pnpm/bin/pnpm.mjs');
const VERDACCIO = deployBin('verdaccio/bin/verdaccio');

export function deployCells(h) {
  const { work, root, run, mustRun, cellProcess, failed, freePort, waitForHttp, runtimeBin } = h;
  const tarball = join(root, 'target/elenik-webhooks-0.1.0.tgz');
  // The files every consumer project gets: the check, its vectors and the two cells.
  const copyCheck = (dir) => {
    for (const file of ['check.mjs', 'expand.mjs', 'vectors.json', 'cell.mjs', 'cell.cjs']) cpSync(join(work, file), join(dir, file));
  };

  // -------------------------------------------------------------------------------------------
  // Vercel's edge-runtime, Wasm code generation off: esbuild bundles the cell with the
  // `edge-light` condition; the `.wasm?module` import becomes a Module the host compiled ahead of
  // time (in the host's realm, as Next.js and Vercel hand it over).
  async function edgeRuntimeCell() {
    const { build } = await import(join(root, 'tests/runtimes/node_modules/esbuild/lib/main.js'));
    const { EdgeRuntime } = await import(deployBin('edge-runtime/dist/index.js'));
    const wasmFiles = [];
    const precompiled = {
      name: 'precompiled-wasm',
      setup(b) {
        b.onResolve({ filter: /\.wasm\?module$/ }, (args) => ({ path: join(args.resolveDir, args.path.replace(/\?module$/, '')), namespace: 'wasm-module' }));
        b.onLoad({ filter: /.*/, namespace: 'wasm-module' }, (args) => {
          wasmFiles.push(args.path);
          return { contents: `export default globalThis.__precompiledWasm[${JSON.stringify(args.path)}];`, loader: 'js' };
        });
      },
    };
    const out = await build({
      entryPoints: [join(work, 'edge-cell.mjs')],
      bundle: true,
      write: false,
      format: 'iife',
      platform: 'neutral',
      mainFields: ['module', 'main'],
      conditions: ['edge-light', 'worker', 'browser'],
      loader: { '.json': 'json' },
      plugins: [precompiled],
      logLevel: 'silent',
    });
    const code = out.outputFiles[0].text;
    if (wasmFiles.length !== 1) return failed(`expected one precompiled .wasm import, found ${wasmFiles.length}: the bundle did not take the edge-light entry`);
    if (code.includes('AGFzbQEAAAA')) return failed('the bundle inlines the Wasm bytes: it took a non-edge entry');
    const runtime = new EdgeRuntime({
      codeGeneration: { strings: false, wasm: false },
      extend: (context) => Object.assign(context, { __precompiledWasm: { [wasmFiles[0]]: new WebAssembly.Module(readFileSync(wasmFiles[0])) } }),
    });
    // The sandbox really refuses to compile Wasm from bytes (what the other entries would do).
    let refused = '';
    try {
      runtime.evaluate('new WebAssembly.Module(new Uint8Array([0, 97, 115, 109, 1, 0, 0, 0]))');
    } catch (error) {
      refused = String(error?.message);
    }
    runtime.evaluate(code);
    const result = await runtime.evaluate('globalThis.__matrixResult');
    if (!/disallowed/i.test(refused)) result.failures.push({ name: 'codegen off', message: `the sandbox compiled Wasm from bytes (${refused || 'no error'})` });
    result.ok = result.failures.length === 0;
    return result;
  }

  // -------------------------------------------------------------------------------------------
  // Next.js: examples/nextjs plus two routes that run the check (GET /api/check/node and /edge),
  // installed from the tarball; one build per bundler serves both routes.
  const nextApp = join(root, 'target/matrix-next');
  let nextReady;
  async function prepareNext() {
    rmSync(nextApp, { recursive: true, force: true });
    cpSync(join(root, 'examples/nextjs'), nextApp, { recursive: true, filter: (p) => !/\/(node_modules|\.next)$/.test(p) });
    const manifest = JSON.parse(readFileSync(join(nextApp, 'package.json'), 'utf8'));
    manifest.dependencies['elenik-webhooks'] = `file:${tarball}`;
    writeFileSync(join(nextApp, 'package.json'), JSON.stringify(manifest, null, 2));
    await mustRun('npm', ['install', '--prefer-offline', '--no-audit', '--no-fund', '--loglevel=error'], { cwd: nextApp });
    mkdirSync(join(nextApp, 'check'));
    for (const file of ['check.mjs', 'expand.mjs', 'vectors.json']) cpSync(join(work, file), join(nextApp, 'check', file));
    for (const runtime of ['nodejs', 'edge']) {
      const dir = join(nextApp, 'app/api/check', runtime === 'nodejs' ? 'node' : 'edge');
      mkdirSync(dir, { recursive: true });
      writeFileSync(
        join(dir, 'route.js'),
        `import * as api from 'elenik-webhooks';\nimport vectors from '../../../../check/vectors.json';\nimport { runCheck } from '../../../../check/check.mjs';\n\n` +
          `export const runtime = '${runtime}';\nexport const dynamic = 'force-dynamic';\nexport async function GET() {\n  return Response.json(await runCheck(api, vectors));\n}\n`,
      );
    }
  }
  const nextServers = new Map();
  async function nextServer(bundler) {
    if (!nextServers.has(bundler)) {
      nextServers.set(bundler, (async () => {
        nextReady ??= prepareNext();
        await nextReady;
        const env = { NEXT_TELEMETRY_DISABLED: '1', ELENIK_WEBHOOK_SECRET: 'next-matrix-secret' };
        await mustRun(process.execPath, ['node_modules/next/dist/bin/next', 'build', ...(bundler === 'webpack' ? ['--webpack'] : [])], { cwd: nextApp, env, timeoutMs: 300_000 });
        const port = await freePort();
        const child = spawn(process.execPath, ['node_modules/next/dist/bin/next', 'start', '-H', '127.0.0.1', '-p', String(port)], {
          cwd: nextApp,
          env: { ...process.env, ...env },
          stdio: ['ignore', 'ignore', 'pipe'],
          timeout: 240_000,
        });
        const base = `http://127.0.0.1:${port}`;
        await waitForHttp(`${base}/`, child, 60);
        return { base, child };
      })());
    }
    return nextServers.get(bundler);
  }
  async function nextCell(bundler, route, last) {
    const { base, child } = await nextServer(bundler);
    try {
      const response = await fetch(`${base}/api/check/${route}`);
      const result = response.ok ? await response.json() : failed(`/api/check/${route} answered ${response.status}: ${(await response.text()).slice(0, 2000)}`);
      // Real deliveries through Next.js's server: signed -> 200, tampered -> 401.
      const body = '{"event":"payment_verified","data":{"user_id":"u_1","amount":49.99,"currency":"USD"}}';
      const signature = 'sha256=' + createHmac('sha256', 'next-matrix-secret').update(body).digest('hex');
      for (const [name, payload, status] of [['signed', body, 200], ['tampered', body.replace('49.99', '0.01'), 401]]) {
        const reply = await fetch(`${base}/api/webhooks/${route}`, { method: 'POST', body: payload, headers: { 'x-elenik-signature': signature } });
        await reply.arrayBuffer();
        if (reply.status !== status) result.failures.push({ name: `POST ${name}`, message: `expected ${status}, got ${reply.status}` });
      }
      result.ok = result.failures.length === 0;
      return result;
    } finally {
      if (last) child.kill();
    }
  }

  // -------------------------------------------------------------------------------------------
  // A local registry: verdaccio on 127.0.0.1, storage and config under target/, no uplinks (a
  // package it does not hold is a 404, never a fetch from elsewhere).
  const regDir = join(root, 'target/matrix-registry');
  let registry;
  async function startRegistry() {
    rmSync(regDir, { recursive: true, force: true });
    mkdirSync(regDir, { recursive: true });
    const port = await freePort();
    writeFileSync(
      join(regDir, 'config.yaml'),
      `storage: ${join(regDir, 'storage')}\nauth:\n  htpasswd:\n    file: ${join(regDir, 'htpasswd')}\n    max_users: 10\nuplinks: {}\npackages:\n  '**':\n    access: $all\n    publish: $authenticated\nlogs: { type: stdout, format: pretty, level: warn }\n`,
    );
    const child = spawn(process.execPath, [VERDACCIO, '--config', join(regDir, 'config.yaml'), '--listen', `127.0.0.1:${port}`], {
      cwd: regDir,
      stdio: ['ignore', 'ignore', 'pipe'],
      timeout: 600_000,
    });
    const url = `http://127.0.0.1:${port}/`;
    await waitForHttp(`${url}-/ping`, child, 60);
    // A user for `npm publish` (verdaccio's htpasswd plugin creates it on first login).
    const login = await fetch(`${url}-/user/org.couchdb.user:matrix`, {
      method: 'PUT',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ name: 'matrix', password: 'matrix-password' }),
    });
    const { token } = await login.json();
    if (!token) throw new Error(`verdaccio gave no token (${login.status})`);
    const npmrc = join(regDir, '.npmrc');
    writeFileSync(npmrc, `registry=${url}\n//127.0.0.1:${port}/:_authToken=${token}\n`);
    await mustRun('npm', ['publish', tarball, '--userconfig', npmrc, '--registry', url, '--loglevel=error'], { cwd: regDir });
    registry = { url, port, npmrc, child };
    return registry;
  }
  const withRegistry = async () => registry ?? (registry = await startRegistry());
  const npmEnv = () => ({ NPM_CONFIG_USERCONFIG: registry.npmrc, NPM_CONFIG_REGISTRY: registry.url });

  // A fresh project for one client, with the check.
  function consumer(name, manifest = {}) {
    const dir = join(regDir, name);
    rmSync(dir, { recursive: true, force: true });
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, 'package.json'), JSON.stringify({ name, private: true, ...manifest }, null, 2) + '\n');
    copyCheck(dir);
    return dir;
  }
  // Both cells (import and require) must pass; the row reports the import transcript.
  async function bothCells(command, args, cwd, env) {
    const esm = await cellProcess(command, [...args, 'cell.mjs'], env, cwd);
    const cjs = await cellProcess(command, [...args, 'cell.cjs'], env, cwd);
    if (!cjs.ok) esm.failures.push(...cjs.failures.map((f) => ({ ...f, name: `require: ${f.name}` })));
    if (cjs.transcript.join('\n') !== esm.transcript.join('\n')) esm.failures.push({ name: 'require', message: 'require computed different results from import' });
    esm.ok = esm.failures.length === 0;
    return esm;
  }

  async function npmRegistryCell() {
    await withRegistry();
    const dir = consumer('npm-consumer');
    await mustRun('npm', ['install', 'elenik-webhooks@0.1.0', '--no-audit', '--no-fund', '--loglevel=error'], { cwd: dir, env: npmEnv() });
    return bothCells(process.execPath, [], dir);
  }

  async function pnpmRegistryCell() {
    await withRegistry();
    const dir = consumer('pnpm-consumer');
    const env = { ...npmEnv(), PNPM_HOME: join(regDir, '.pnpm-home'), npm_config_store_dir: join(regDir, '.pnpm-store') };
    await mustRun(process.execPath, [PNPM, 'add', 'elenik-webhooks@0.1.0', '--reporter=silent'], { cwd: dir, env });
    return bothCells(process.execPath, [], dir);
  }

  const yarnEnv = () => ({
    YARN_ENABLE_TELEMETRY: '0',
    YARN_ENABLE_IMMUTABLE_INSTALLS: 'false', // CI=true would make `yarn add` refuse to write yarn.lock
    YARN_ENABLE_GLOBAL_CACHE: 'false',
    YARN_GLOBAL_FOLDER: join(regDir, '.yarn-global'),
    YARN_NPM_REGISTRY_SERVER: registry.url.replace(/\/$/, ''),
    YARN_UNSAFE_HTTP_WHITELIST: '127.0.0.1',
    YARN_NODE_LINKER: 'pnp',
    YARN_NPM_MINIMAL_AGE_GATE: '0', // Yarn quarantines versions published minutes ago

    YARN_ENABLE_PROGRESS_BARS: 'false',
  });
  async function yarnPnpCell() {
    await withRegistry();
    const dir = consumer('yarn-consumer');
    writeFileSync(join(dir, 'yarn.lock'), '');
    const env = yarnEnv();
    await mustRun(process.execPath, [YARN, 'add', 'elenik-webhooks@0.1.0'], { cwd: dir, env });
    const result = await bothCells(process.execPath, [YARN, 'node'], dir, env);
    const problems = [];
    try {
      readFileSync(join(dir, '.pnp.cjs'));
    } catch {
      problems.push({ name: 'Plug\'n\'Play', message: 'no .pnp.cjs: yarn did not install with the pnp linker' });
    }
    // The CLI, as `yarn elenik-webhooks` and as `yarn dlx`: its signature must equal node:crypto's.
    writeFileSync(join(dir, 'body.json'), '{"event":"user_signup","data":{"user_id":"u_1"}}');
    const expected = 'sha256=' + createHmac('sha256', 'cli-secret').update(readFileSync(join(dir, 'body.json'))).digest('hex');
    for (const [name, args] of [
      ['yarn elenik-webhooks', [YARN, 'elenik-webhooks', 'sign', '--secret', 'cli-secret', 'body.json']],
      ['yarn dlx', [YARN, 'dlx', '-q', 'elenik-webhooks@0.1.0', 'sign', '--secret', 'cli-secret', join(dir, 'body.json')]],
    ]) {
      const out = await run(process.execPath, args, { cwd: dir, env });
      const printed = out.stdout.trim().split('\n').at(-1);
      if (out.code !== 0 || printed !== expected) problems.push({ name, message: `exited ${out.code}, printed ${printed}: ${out.stderr.slice(-1000)}` });
    }
    result.failures.push(...problems);
    result.ok = result.failures.length === 0;
    result.note = 'require, import, CLI, dlx';
    return result;
  }

  async function bunRegistryCell() {
    await withRegistry();
    const dir = consumer('bun-consumer');
    const env = { ...npmEnv(), BUN_CONFIG_REGISTRY: registry.url, BUN_INSTALL_CACHE_DIR: join(regDir, '.bun-cache') };
    await mustRun(runtimeBin('bun'), ['add', 'elenik-webhooks@0.1.0'], { cwd: dir, env });
    return bothCells(runtimeBin('bun'), [], dir, env);
  }

  async function denoRegistryCell() {
    await withRegistry();
    const dir = consumer('deno-consumer');
    // No package.json dependency, no node_modules: the cell imports npm:elenik-webhooks@0.1.0.
    const source = readFileSync(join(work, 'cell.mjs'), 'utf8').replace("from 'elenik-webhooks'", "from 'npm:elenik-webhooks@0.1.0'");
    writeFileSync(join(dir, 'cell.mjs'), source);
    rmSync(join(dir, 'package.json'));
    // Its own (empty) config, so Deno does not take the repository's package.json as the project.
    writeFileSync(join(dir, 'deno.json'), '{}\n');
    const env = { NPM_CONFIG_REGISTRY: registry.url, DENO_DIR: join(regDir, '.deno'), DENO_NO_UPDATE_CHECK: '1', NO_COLOR: '1' };
    // A version published minutes ago: Deno refuses it for 24 hours without this flag.
    const result = await cellProcess(runtimeBin('deno'), ['run', '--no-lock', '--node-modules-dir=none', '--minimum-dependency-age=0', 'cell.mjs'], env, dir);
    let leftovers = false;
    try {
      readFileSync(join(dir, 'node_modules/elenik-webhooks/package.json'));
      leftovers = true;
    } catch {
      // expected: no node_modules
    }
    if (leftovers) result.failures.push({ name: 'no node_modules', message: 'deno created node_modules' });
    result.ok = result.failures.length === 0;
    return result;
  }

  const firstLine = async (command, args, env) => (await mustRun(command, args, { env })).stdout.trim().split('\n')[0];
  // Next.js and React as examples/nextjs's lockfile pins them (installed in target/matrix-next).
  const appVersion = (name) => JSON.parse(readFileSync(join(nextApp, 'node_modules', name, 'package.json'), 'utf8')).version;
  const nextVersion = () => `next ${appVersion('next')}, react ${appVersion('react')}`;

  const cells = [
    {
      name: 'Vercel edge-runtime, Wasm code generation disallowed (`edge-light`)',
      version: async () => `edge-runtime ${deployVersion('edge-runtime')}`,
      run: edgeRuntimeCell,
    },
    ...[
      ['webpack', 'node', 'Node.js'],
      ['webpack', 'edge', 'Edge'],
      ['turbopack', 'node', 'Node.js'],
      ['turbopack', 'edge', 'Edge'],
    ].map(([bundler, route, runtime]) => ({
      name: `Next.js ${bundler === 'webpack' ? '`next build --webpack`' : '`next build` (Turbopack)'}, ${runtime} runtime, \`next start\``,
      version: async () => nextVersion(),
      run: () => nextCell(bundler, route, route === 'edge'),
    })),
    { name: 'Registry (verdaccio) → `npm install`', version: async () => `verdaccio ${deployVersion('verdaccio')}, npm ${await firstLine('npm', ['--version'])}`, run: npmRegistryCell },
    { name: 'Registry → `pnpm add`', version: async () => `pnpm ${deployVersion('pnpm')}`, run: pnpmRegistryCell },
    { name: 'Registry → Yarn 4 Plug\'n\'Play (`require`, `import`, `yarn elenik-webhooks`, `yarn dlx`)', version: async () => `yarn ${deployVersion('@yarnpkg/cli-dist')}`, run: yarnPnpCell },
    { name: 'Registry → `bun add`', version: async () => `bun ${await firstLine(runtimeBin('bun'), ['--version'])}`, run: bunRegistryCell },
    {
      name: 'Registry → Deno `npm:` specifier (no node_modules, `--minimum-dependency-age=0`)',
      version: async () => (await firstLine(runtimeBin('deno'), ['--version'])).replace(/ \(.*/, ''),
      run: denoRegistryCell,
    },
  ];
  // Servers this module started, stopped by the driver when the run ends.
  const stop = () => {
    registry?.child.kill();
    for (const pending of nextServers.values()) pending.then(({ child }) => child.kill(), () => {});
  };
  return { cells, stop };
}
