// The receiver in hostile surroundings, under every adapter: `node` on node:http and Express,
// `receive` on Fastify (the README's way), `fetch` under @hono/node-server, Bun.serve, Deno.serve
// and workerd. Each server (app.mjs) runs in its own process; every case of cases.mjs runs in
// ROUNDS rounds, concurrently within a round, with client timeouts. Then: every handler ran
// exactly as often as the cases say, the process is alive, and (where the runtime can collect on
// demand) the heap after the last round is back near its level after the first.
import { after, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { CASES, getJson } from './cases.mjs';

const here = fileURLToPath(new URL('.', import.meta.url));
const project = join(here, '..'); // the consumer project (scripts/test-hostile.sh)
const runtimesBin = (tool) => join(process.env.ELENIK_REPO, 'tests/runtimes/node_modules/.bin', tool);
const ROUNDS = 4;
const HEAP_SLACK = 16 * 1024 * 1024;

/**
 * Starts `command args` in the project; resolves { base, alive(), output(), stop() } once it
 * prints LISTENING <url>, or, given `known` (a base URL), once GET <known>/__runs answers.
 */
function startServer(name, command, args, env = {}, known = undefined) {
  const child = spawn(command, args, { cwd: project, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  const exited = new Promise((resolve) => child.once('exit', resolve));
  let output = '';
  process.once('exit', () => child.kill('SIGKILL'));
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`${name}: not listening after 60 s:\n${output}`)), 60_000);
    const onData = (chunk) => {
      output += chunk;
      const found = output.match(/LISTENING (http:\/\/127\.0\.0\.1:\d+)/);
      if (found) {
        clearTimeout(timer);
        resolve({
          base: found[1],
          alive: () => child.exitCode === null && child.signalCode === null,
          output: () => output,
          stop: async () => {
            if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
            await exited;
          },
        });
      }
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    if (known) {
      (async () => {
        for (let i = 0; i < 200 && child.exitCode === null; i += 1) {
          const up = await fetch(`${known}/__runs`, { signal: AbortSignal.timeout(2000) }).then((r) => r.ok, () => false);
          if (up) return onData(`LISTENING ${known}\n`);
          await new Promise((r) => setTimeout(r, 250));
        }
      })();
    }
    child.once('exit', (code, signal) => (clearTimeout(timer), reject(new Error(`${name} exited (${code ?? signal}):\n${output}`))));
  });
}

/** Wrangler bundles worker.mjs (offline); workerd serves it on a free port. */
async function startWorkerd() {
  const outdir = join(project, 'dist-worker');
  const wrangler = spawn(runtimesBin('wrangler'), ['deploy', '--dry-run', '--config', 'wrangler.toml', '--outdir', outdir], {
    cwd: project,
    env: { ...process.env, WRANGLER_SEND_METRICS: 'false', WRANGLER_HIDE_BANNER: 'true', CLOUDFLARE_CF_FETCH_ENABLED: 'false', XDG_CONFIG_HOME: join(project, '.config'), CI: '1', NO_COLOR: '1' },
    stdio: ['ignore', 'pipe', 'pipe'],
    timeout: 120_000,
  });
  let log = '';
  wrangler.stdout.on('data', (d) => (log += d));
  wrangler.stderr.on('data', (d) => (log += d));
  const code = await new Promise((resolve) => wrangler.once('close', resolve));
  if (code !== 0) throw new Error(`wrangler exited ${code}:\n${log}`);
  const { freePort } = await import(join(process.env.ELENIK_REPO, 'examples/harness.mjs'));
  const port = await freePort();
  const wasm = readdirSync(outdir).filter((f) => f.endsWith('.wasm'));
  const modules = [`(name = "worker.js", esModule = embed "dist-worker/worker.js")`, ...wasm.map((f) => `(name = "${f}", wasm = embed "dist-worker/${f}")`)];
  writeFileSync(
    join(project, 'workerd.capnp'),
    `using Workerd = import "/workerd/workerd.capnp";
const config :Workerd.Config = (
  services = [ (name = "main", worker = .worker) ],
  sockets = [ (name = "http", address = "127.0.0.1:${port}", http = (), service = "main") ],
);
const worker :Workerd.Worker = (
  modules = [ ${modules.join(', ')} ],
  compatibilityDate = "2026-04-26",
);
`,
  );
  return startServer('workerd', runtimesBin('workerd'), ['serve', 'workerd.capnp', '--verbose'], {}, `http://127.0.0.1:${port}`);
}

const denoEnv = { DENO_DIR: join(project, '.deno'), DENO_NO_UPDATE_CHECK: '1', NO_COLOR: '1' };
const ADAPTERS = {
  'node on node:http': () => startServer('node:http', process.execPath, ['--expose-gc', 'test/serve-node.mjs', 'node:http']),
  'node on Express 5': () => startServer('express', process.execPath, ['--expose-gc', 'test/serve-node.mjs', 'express']),
  'receive on Fastify 5': () => startServer('fastify', process.execPath, ['--expose-gc', 'test/serve-node.mjs', 'fastify']),
  'fetch under @hono/node-server 2': () => startServer('hono', process.execPath, ['--expose-gc', 'test/serve-node.mjs', 'hono']),
  'fetch under @hono/node-server 1.19': () => startServer('hono-1.19', process.execPath, ['--expose-gc', 'test/serve-node.mjs', 'hono-1.19']),
  'fetch on Bun.serve': () => startServer('bun', runtimesBin('bun'), ['test/serve-fetch.mjs']),
  'fetch on Deno.serve': () =>
    startServer('deno', runtimesBin('deno'), ['run', '--node-modules-dir=manual', '--allow-net', '--allow-env', '--allow-read', '--v8-flags=--expose-gc', 'test/serve-fetch.mjs'], denoEnv),
  'fetch on workerd': startWorkerd,
};

// workerd's isolate reports no heap usage to the Worker: its memory is not checked.
for (const [adapter, start] of Object.entries(ADAPTERS)) {
  describe(adapter, () => {
    let server;
    after(() => server?.stop());

    test('every case, in rounds: the README answers, each handler run counted, alive, heap back near its level', async () => {
      if (adapter === 'fetch on workerd' && !existsSync(runtimesBin('workerd'))) assert.fail('workerd is not installed (scripts/setup.sh)');
      server = await start();
      const expected = {};
      let baseline;
      for (let round = 0; round < ROUNDS; round += 1) {
        const tag = `r${round}`;
        const results = await Promise.allSettled(Object.entries(CASES).map(([name, run]) => run(server.base, `${tag}_${name.slice(0, 12).replace(/\W/g, '')}`, { methods: !adapter.includes('Fastify') })));
        const failures = results.map((r, i) => [Object.keys(CASES)[i], r]).filter(([, r]) => r.status === 'rejected');
        assert.deepEqual(failures.map(([name, r]) => `${name}: ${r.reason?.stack ?? r.reason}`), [], `round ${round}\n${server.output().slice(-3000)}`);
        for (const r of results) Object.assign(expected, r.value);
        if (round === 0) baseline = (await getJson(server.base, '/__memory')).heapUsed;
      }
      const runs = await getJson(server.base, '/__runs');
      for (const [id, count] of Object.entries(expected)) assert.equal(runs[id] ?? 0, count, `handler runs for ${id}`);
      // Nothing ran that no case expected (no second run of a delivery anywhere).
      for (const [id, count] of Object.entries(runs)) assert.equal(expected[id], count, `unexpected runs for ${id}`);
      assert.equal(server.alive(), true, `the ${adapter} process is alive`);
      const final = (await getJson(server.base, '/__memory')).heapUsed;
      if (baseline !== null && final !== null) {
        assert.ok(final <= baseline + HEAP_SLACK, `heap after ${ROUNDS} rounds: ${final} bytes, after the first: ${baseline}`);
      }
    });
  });
}
