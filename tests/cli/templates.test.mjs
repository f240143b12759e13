// `elenik-webhooks init TEMPLATE` for every template: the project it writes is installed from the
// packed tarball (npm install), started with its own start script in its real runtime on
// 127.0.0.1, and sent a signed delivery (200), a tampered one (401) and a repeated one (handled
// once) with the CLI's trigger, reading the secret from the .env / .dev.vars that init wrote.
// Next.js is validated without a build: its route module is imported in Node.js and its POST
// export called with signed and tampered Requests. Run by scripts/test-cli.sh (ELENIK_ROOT set).
import { before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import { promisify } from 'node:util';
import { cli as run } from './run-cli.mjs';

const root = process.env.ELENIK_ROOT;
assert.ok(root, 'scripts/test-cli.sh sets ELENIK_ROOT');
const { startServer, runtimeBin } = await import(`${root}/examples/harness.mjs`);
const tarball = `${root}/target/elenik-webhooks-0.1.0.tgz`;
// Under the consumer project, so a module without its own node_modules (Next.js's route) resolves
// elenik-webhooks from the consumer's tarball install.
const base = new URL('../templates/', import.meta.url).pathname;

const cli = (args, { cwd = base } = {}) => run(args, { cwd });

const runtimes = { node: process.execPath, deno: runtimeBin('deno'), bun: runtimeBin('bun'), wrangler: runtimeBin('wrangler') };
const environment = {
  deno: { DENO_NO_UPDATE_CHECK: '1', NO_COLOR: '1' },
  wrangler: { WRANGLER_SEND_METRICS: 'false', CLOUDFLARE_CF_FETCH_ENABLED: 'false', WRANGLER_HIDE_BANNER: 'true', CI: '1' },
};
const served = ['node-http', 'express', 'fastify', 'hono', 'worker', 'deno', 'bun'];

const setup = {};
before(async () => {
  await rm(base, { recursive: true, force: true });
  await promisify(execFile)('mkdir', ['-p', base]);
  // Written and installed all at once; each describe then starts and probes its own.
  await Promise.all([...served, 'nextjs'].map(async (name) => {
    const dir = `${base}${name}`;
    const init = await cli(['init', name, '--dir', dir]);
    setup[name] = { dir, init };
    if (init.code !== 0 || name === 'nextjs') return;
    const manifestPath = `${dir}/package.json`;
    const manifest = JSON.parse(readFileSync(manifestPath, 'utf8'));
    manifest.dependencies['elenik-webhooks'] = `file:${tarball}`;
    writeFileSync(manifestPath, JSON.stringify(manifest, null, 2));
    // Dev dependencies (wrangler) are left out: the shared copy in tests/runtimes runs.
    await promisify(execFile)('npm', ['install', '--omit=dev', '--prefer-offline', '--no-audit', '--no-fund', '--loglevel=error'], { cwd: dir });
  }));
});

describe('init writes each template', () => {
  test('the files, a fresh secret each time, the next two commands; never an overwrite', async () => {
    const secrets = new Set();
    for (const name of [...served, 'nextjs']) {
      const { dir, init } = setup[name];
      assert.equal(init.code, 0, init.stderr);
      const envFile = name === 'worker' ? '.dev.vars' : '.env';
      const secret = readFileSync(`${dir}/${envFile}`, 'utf8').match(/^ELENIK_WEBHOOK_SECRET=(test_[A-Za-z0-9_-]{43})$/m)?.[1];
      assert.ok(secret, `${name}: a test secret in ${envFile}`);
      secrets.add(secret);
      assert.ok(!init.stdout.includes(secret), 'the secret is not printed');
      const next = init.stdout.split('\n').slice(init.stdout.split('\n').indexOf('next:') + 1, -1);
      assert.match(next[0], new RegExp(`^  cd \\S*${name} && npm install$`));
      assert.equal(next[1], name === 'nextjs' ? '  npm run dev' : '  npm start');
      // --secrets-file, not --env-file: Node.js 20 reads --env-file itself, even after the script name.
      assert.match(init.stdout, new RegExp(`^  npx elenik-webhooks trigger payment_verified --url http://127\\.0\\.0\\.1:8787/webhooks/elenik --secrets-file ${envFile.replace('.', '\\.')}$`, 'm'));
      assert.ok(!init.stdout.includes('--env-file'), init.stdout);
      assert.match(readFileSync(`${dir}/.gitignore`, 'utf8'), new RegExp(`^${envFile.replace('.', '\\.')}$`, 'm'));
      const manifest = JSON.parse(readFileSync(`${dir}/package.json`, 'utf8'));
      assert.equal(manifest.private, true);
    }
    assert.equal(secrets.size, served.length + 1, 'a fresh secret per project');

    // Any existing file: refused, exit 2, and nothing else written.
    const dir = `${base}refuse`;
    await promisify(execFile)('mkdir', ['-p', dir]);
    writeFileSync(`${dir}/server.mjs`, 'mine');
    const refused = await cli(['init', 'express', '--dir', dir]);
    assert.equal(refused.code, 2);
    assert.match(refused.stderr, /refusing to overwrite .*server\.mjs; nothing was written/);
    assert.equal(readFileSync(`${dir}/server.mjs`, 'utf8'), 'mine');
    assert.equal(existsSync(`${dir}/package.json`) || existsSync(`${dir}/.env`), false);
    for (const args of [['init'], ['init', 'rails'], ['init', 'express', 'extra']]) {
      assert.equal((await cli(args)).code, 2, args.join(' '));
    }
  });
});

for (const name of served) {
  describe(`template ${name}: installed from the tarball, started, probed`, { timeout: 180_000 }, () => {
    test('signed → 200, tampered → 401, the same delivery 3 times → handled once', async () => {
      const { dir } = setup[name];
      const envFile = name === 'worker' ? '.dev.vars' : '.env';
      const manifest = JSON.parse(readFileSync(`${dir}/package.json`, 'utf8'));
      // The template's own start script, with the runtime from tests/runtimes and a free port.
      const [command, ...args] = manifest.scripts.start.split(' ');
      const portAt = args.indexOf('--port');
      if (portAt >= 0) args.splice(portAt, 2, '--port', '0', '--inspector-port', '0');
      const server = await startServer({
        command: runtimes[command],
        args,
        cwd: dir,
        env: { PORT: '0', ...environment[command] },
      });
      try {
        const send = (...extra) => cli(['trigger', 'payment_verified', '--url', server.url, '--secrets-file', envFile, ...extra], { cwd: dir });
        const signed = await send();
        assert.equal(signed.code, 0, signed.stdout + signed.stderr + server.output());
        assert.match(signed.stdout, /^1  accepted  200 .*\{"received":true,"event":"payment_verified"\}$/m);
        const tampered = await send('--tamper');
        assert.equal(tampered.code, 0, tampered.stdout);
        assert.match(tampered.stdout, /^1  rejected  401 .*SIGNATURE_MISMATCH/m);
        const repeated = await send('--repeat', '3');
        assert.equal(repeated.code, 0, repeated.stdout);
        assert.match(repeated.stdout, /3 × 200; 1 handled as new, 2 answered as duplicates/);
        // The handler ran for the signed and the repeated delivery: twice, never for the tampered one.
        const deadline = Date.now() + 5_000;
        const ran = () => server.output().split('\n').filter((l) => /payment of [\d.]+ USD by u_/.test(l)).length;
        while (ran() < 2 && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 100));
        assert.equal(ran(), 2, server.output());
      } finally {
        await server.stop();
      }
    });
  });
}

describe('template nextjs (without next build)', () => {
  test('app/webhooks/elenik/route.js exports POST = receiver.fetch: signed → 200, tampered → 401, GET → 405', async (t) => {
    const { dir } = setup.nextjs;
    const manifest = JSON.parse(readFileSync(`${dir}/package.json`, 'utf8'));
    assert.deepEqual(Object.keys(manifest.dependencies).sort(), ['elenik-webhooks', 'next', 'react', 'react-dom']);
    assert.equal(manifest.scripts.dev, 'next dev --port 8787');
    const secret = readFileSync(`${dir}/.env`, 'utf8').match(/^ELENIK_WEBHOOK_SECRET=(.+)$/m)[1];
    // `next build` imports the route without the runtime's secrets: that must not throw.
    const saved = process.env.ELENIK_WEBHOOK_SECRET;
    delete process.env.ELENIK_WEBHOOK_SECRET;
    const route = await import(`${dir}/app/webhooks/elenik/route.js`);
    // At run time Next.js has loaded .env into process.env; the secret is read on the first request.
    process.env.ELENIK_WEBHOOK_SECRET = secret;
    t.after(() => {
      if (saved === undefined) delete process.env.ELENIK_WEBHOOK_SECRET;
      else process.env.ELENIK_WEBHOOK_SECRET = saved;
    });
    assert.deepEqual(Object.keys(route), ['POST']);
    const { createTestRequest } = await import('elenik-webhooks/testing');
    const ok = await route.POST(createTestRequest({ type: 'payment_verified', secret }));
    assert.equal(ok.status, 200);
    assert.equal((await ok.json()).event, 'payment_verified');
    const bad = await route.POST(createTestRequest({ type: 'payment_verified', secret, tamper: true }));
    assert.deepEqual([bad.status, (await bad.json()).error], [401, 'SIGNATURE_MISMATCH']);
    const get = await route.POST(new Request('http://localhost/webhooks/elenik'));
    assert.equal(get.status, 405);
  });
});
