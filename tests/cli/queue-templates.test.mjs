// `elenik-webhooks init express-queue | worker-queue` (bin/init-queue.js): each project installed
// from the packed tarball and run as written: express-queue's server and worker against a
// redis-server started here, worker-queue in wrangler dev with its local queue. A signed delivery
// is answered 200 queued and its handler runs once from the queue; repeats are duplicates.
// Run by scripts/test-cli.sh (ELENIK_ROOT set).
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile, spawn } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import { promisify } from 'node:util';
import { cli as run } from './run-cli.mjs';

const root = process.env.ELENIK_ROOT;
assert.ok(root, 'scripts/test-cli.sh sets ELENIK_ROOT');
const { startServer, runtimeBin } = await import(`${root}/examples/harness.mjs`);
const { startRedis } = await import(`${root}/tests/dedupe/redis-server.mjs`);
const tarball = `${root}/target/elenik-webhooks-0.1.0.tgz`;
const base = new URL('../queue-templates/', import.meta.url).pathname;
const cli = (args, cwd = base) => run(args, { cwd });

async function init(name) {
  const dir = `${base}${name}`;
  const result = await cli(['init', name, '--dir', dir]);
  assert.equal(result.code, 0, result.stderr);
  const manifestPath = `${dir}/package.json`;
  const manifest = JSON.parse(readFileSync(manifestPath, 'utf8'));
  manifest.dependencies['elenik-webhooks'] = `file:${tarball}`;
  writeFileSync(manifestPath, JSON.stringify(manifest, null, 2));
  await promisify(execFile)('npm', ['install', '--omit=dev', '--prefer-offline', '--no-audit', '--no-fund', '--loglevel=error'], { cwd: dir });
  return { dir, manifest, stdout: result.stdout };
}

/** Polls until `count()` reaches `n`, for at most `ms`. */
async function until(count, n, ms, what) {
  const deadline = Date.now() + ms;
  while (count() < n && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 100));
  assert.equal(count(), n, what());
}

const payments = (output) => output.split('\n').filter((l) => /payment of [\d.]+ USD by u_/.test(l)).length;

before(async () => {
  await rm(base, { recursive: true, force: true });
  await promisify(execFile)('mkdir', ['-p', base]);
});

describe('template express-queue: Express receiver + BullMQ worker on a real redis-server', { timeout: 180_000 }, () => {
  let redis;
  let server;
  let worker;
  let workerOutput = '';
  after(async () => {
    await server?.stop();
    worker?.kill('SIGKILL');
    await redis?.kill();
  });

  test('signed → 200 queued and the worker runs it once; repeats are duplicates; tampered → 401', async () => {
    const { dir, manifest, stdout } = await init('express-queue');
    assert.deepEqual(Object.keys(manifest.dependencies).sort(), ['bullmq', 'elenik-webhooks', 'express', 'ioredis']);
    assert.match(stdout, /npm run worker/);
    redis = await startRedis();
    const env = { PORT: '0', REDIS_URL: redis.url };
    const [command, ...args] = manifest.scripts.start.split(' ');
    server = await startServer({ command: command === 'node' ? process.execPath : command, args, cwd: dir, env });
    const [, ...workerArgs] = manifest.scripts.worker.split(' ');
    worker = spawn(process.execPath, workerArgs, { cwd: dir, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    worker.stdout.on('data', (chunk) => (workerOutput += chunk));
    worker.stderr.on('data', (chunk) => (workerOutput += chunk));
    process.once('exit', () => worker.kill('SIGKILL'));
    await until(() => (/worker consuming/.test(workerOutput) ? 1 : 0), 1, 20_000, () => workerOutput);

    const send = (...extra) => cli(['trigger', 'payment_verified', '--url', server.url, '--secrets-file', '.env', ...extra], dir);
    const signed = await send();
    assert.match(signed.stdout, /^1  accepted  200 .*\{"received":true,"event":"payment_verified","queued":true\}$/m, signed.stdout + server.output());
    assert.match((await send('--tamper')).stdout, /^1  rejected  401 .*SIGNATURE_MISMATCH/m);
    const repeated = await send('--repeat', '3');
    assert.match(repeated.stdout, /3 × 200; 1 handled as new, 2 answered as duplicates/);
    // Two distinct deliveries (the signed one, the repeated one): two runs, in the worker only.
    await until(() => payments(workerOutput), 2, 15_000, () => workerOutput);
    assert.equal(payments(server.output()), 0, 'no handler ran in the request');
  });
});

describe('template worker-queue: Cloudflare Queues in wrangler dev', { timeout: 180_000 }, () => {
  let server;
  after(() => server?.stop());

  test('signed → 200 queued and the queue handler runs it once; repeats are duplicates; tampered → 401', async () => {
    const { dir, manifest } = await init('worker-queue');
    assert.match(readFileSync(`${dir}/.gitignore`, 'utf8'), /^\.wrangler\/$/m);
    const [, ...args] = manifest.scripts.start.split(' ');
    args.splice(args.indexOf('--port'), 2, '--port', '0', '--inspector-port', '0');
    server = await startServer({
      command: runtimeBin('wrangler'),
      args,
      cwd: dir,
      env: { WRANGLER_SEND_METRICS: 'false', CLOUDFLARE_CF_FETCH_ENABLED: 'false', WRANGLER_HIDE_BANNER: 'true', CI: '1' },
      timeoutMs: 90_000,
    });
    const send = (...extra) => cli(['trigger', 'payment_verified', '--url', server.url, '--secrets-file', '.dev.vars', ...extra], dir);
    const signed = await send();
    assert.match(signed.stdout, /^1  accepted  200 .*"queued":true\}$/m, signed.stdout + server.output());
    assert.match((await send('--tamper')).stdout, /^1  rejected  401 .*SIGNATURE_MISMATCH/m);
    assert.match((await send('--repeat', '3')).stdout, /3 × 200; 1 handled as new, 2 answered as duplicates/);
    await until(() => payments(server.output()), 2, 30_000, () => server.output());
  });
});
