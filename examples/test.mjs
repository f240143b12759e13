// `make test-examples`: every example in examples/ is installed from the packed tarball (make pkg),
// started on 127.0.0.1 in its real runtime, and sent signed, tampered, forged, unsigned, bad-event,
// oversize and duplicate deliveries. Each example is a createReceiver receiver.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { readFile, rename, rm, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { promisify } from 'node:util';
import { deliver, freePort, installExample, runtimeBin, signature, startServer, wasmCopies } from './harness.mjs';

const secret = `whsec_${randomBytes(24).toString('base64url')}`;
const MIB = 1024 * 1024;
// Receivers on Node.js, Deno and Bun read the secret from the environment; wrangler gets it from
// .dev.vars only, so a Worker that passes has really read its binding.
const secretInEnv = { ELENIK_WEBHOOK_SECRET: secret };

// The same wrangler the runtime matrix uses, offline and without an account.
const wranglerDev = {
  command: runtimeBin('wrangler'),
  args: ['dev', '--ip', '127.0.0.1', '--port', '0', '--inspector-port', '0', '--log-level', 'log'],
  // No metrics, no fetch of Request.cf from workers.cloudflare.com, no update check banner.
  env: { WRANGLER_SEND_METRICS: 'false', CLOUDFLARE_CF_FETCH_ENABLED: 'false', WRANGLER_HIDE_BANNER: 'true', CI: '1' },
  // wrangler dev reads the secret from .dev.vars, as the README tells users to set it up.
  prepare: (dir) => writeFile(`${dir}/.dev.vars`, `ELENIK_WEBHOOK_SECRET=${secret}\n`),
};

const examples = [
  { name: 'node-http', dir: 'node-http', command: process.execPath, args: ['server.mjs'], env: secretInEnv, wholeEndpoint: true },
  { name: 'express', dir: 'express', command: process.execPath, args: ['server.mjs'], env: secretInEnv },
  // Fastify's own bodyLimit refuses oversize bodies, with its own error code.
  { name: 'fastify', dir: 'fastify', command: process.execPath, args: ['server.mjs'], env: secretInEnv, tooLarge: 'FST_ERR_CTP_BODY_TOO_LARGE' },
  { name: 'hono on Node.js', dir: 'hono', command: process.execPath, args: ['node.js'], env: secretInEnv },
  { name: 'hono on workerd', dir: 'hono', ...wranglerDev },
  { name: 'cloudflare-worker', dir: 'cloudflare-worker', ...wranglerDev, wholeEndpoint: true },
  {
    name: 'deno',
    dir: 'deno',
    command: runtimeBin('deno'),
    args: ['run', '--check', '--allow-net=127.0.0.1', '--allow-env=ELENIK_WEBHOOK_SECRET,PORT', 'server.ts'],
    env: { ...secretInEnv, DENO_NO_UPDATE_CHECK: '1', NO_COLOR: '1' },
    wholeEndpoint: true,
  },
  { name: 'bun', dir: 'bun', command: runtimeBin('bun'), args: ['server.js'], env: secretInEnv, wholeEndpoint: true },
  // Next.js, as `create-next-app` leaves it (no next.config): each build serves a Node.js-runtime
  // and an Edge-runtime route handler through `next start`, from another folder than it was built in.
  ...[
    ['next build --webpack (Node.js and Edge routes)', ['--webpack']],
    ['next build, Turbopack (Node.js and Edge routes)', []],
  ].map(([name, flags]) => ({
    name: `nextjs: ${name}`,
    dir: 'nextjs',
    timeout: 300_000,
    routes: ['/api/webhooks/node', '/api/webhooks/edge'],
    command: process.execPath,
    args: ({ port }) => [nextCli, 'start', '-H', '127.0.0.1', '-p', String(port)],
    env: { ...secretInEnv, NEXT_TELEMETRY_DISABLED: '1' },
    prepare: (dir) => nextBuild(dir, flags),
    checks: { 'the build is deployable: Wasm carried (Node.js), precompiled (Edge)': nextDeployable },
  })),
];

const body = (event, data) => JSON.stringify({ event, data });
const signed = (payload, key = secret) => ({ 'x-elenik-signature': signature(payload, key) });
/** A user_signup event padded to exactly `size` bytes. */
function eventOfSize(size) {
  const empty = body('user_signup', { user_id: 'u_big', padding: '' });
  return body('user_signup', { user_id: 'u_big', padding: 'x'.repeat(size - empty.length) });
}

/** A body sent with transfer-encoding: chunked, in 64 KiB pieces. */
function chunked(text) {
  const bytes = new TextEncoder().encode(text);
  return () => {
    let offset = 0;
    return new ReadableStream({
      pull(controller) {
        if (offset >= bytes.length) return controller.close();
        controller.enqueue(bytes.subarray(offset, (offset += 64 * 1024)));
      },
    });
  };
}

const payment = body('payment_verified', { user_id: 'u_123', amount: 49.99, currency: 'USD' });
// As a sender may format it: spaces, a trailing zero, an escape. JSON.stringify(JSON.parse(...))
// gives different bytes, so only a receiver that verifies the raw body accepts it.
const formatted = '{ "event": "payment_verified", "data": { "user_id": "u_\\u00e9", "amount": 49.90, "currency": "EUR" } }';
assert.notEqual(JSON.stringify(JSON.parse(formatted)), formatted);
const badAmount = body('payment_verified', { user_id: 'u_123', amount: '49.99', currency: 'USD' });
const exactlyOneMiB = eventOfSize(MIB);
const overOneMiB = eventOfSize(MIB + 1);

const deliveries = [
  ...Object.entries({
    task_complete: { task_id: 'task_8f2k1', status: 'completed', created_at: 1689824400 },
    payment_verified: { user_id: 'u_123', amount: 49.99, currency: 'USD' },
    user_signup: { user_id: 'u_456' },
    subscription_paid: { subscription_id: 'sub_789', amount: 19 },
    invoice_created: { invoice_id: 'inv_1' }, // unknown types are events too
  }).map(([type, data]) => {
    const payload = body(type, data);
    return { name: `signed ${type}`, body: payload, headers: signed(payload), status: 200, event: type };
  }),
  { name: 'signed, formatted by the sender', body: formatted, headers: signed(formatted), status: 200, event: 'payment_verified' },
  { name: 'signed, exactly 1 MiB', body: exactlyOneMiB, headers: signed(exactlyOneMiB), status: 200, event: 'user_signup' },
  { name: 'tampered (amount changed)', body: payment.replace('49.99', '0.01'), headers: signed(payment), status: 401, error: 'SIGNATURE_MISMATCH' },
  { name: 'forged (wrong secret)', body: payment, headers: signed(payment, 'guessed-secret'), status: 401, error: 'SIGNATURE_MISMATCH' },
  { name: 'unsigned', body: payment, headers: {}, status: 401, error: 'MISSING_SIGNATURE' },
  { name: 'malformed signature', body: payment, headers: { 'x-elenik-signature': 'sha256=nothex' }, status: 401, error: 'MALFORMED_SIGNATURE' },
  { name: 'signed, not JSON', body: '{"event":', headers: signed('{"event":'), status: 400, error: 'INVALID_JSON' },
  { name: 'signed, invalid event (data.amount a string)', body: badAmount, headers: signed(badAmount), status: 400, error: 'INVALID_EVENT' },
  { name: 'signed, over 1 MiB', body: overOneMiB, headers: signed(overOneMiB), status: 413, error: 'PAYLOAD_TOO_LARGE' },
  {
    // No content-length to refuse it by: the receiver has to count while reading.
    name: 'signed, over 1 MiB, chunked',
    body: chunked(overOneMiB),
    headers: signed(overOneMiB),
    status: 413,
    error: 'PAYLOAD_TOO_LARGE',
  },
];

const nextCli = 'node_modules/next/dist/bin/next';
// Hosts serve a build from another folder than the one it was built in (Vercel builds in one and
// runs functions from another): build in the install, then serve it moved to `<dir>-moved`.
async function nextBuild(dir, flags) {
  const moved = `${dir}-moved`;
  if (existsSync(moved)) {
    // The previous cell's build goes back to be rebuilt; one left by an earlier run goes away.
    if (existsSync(dir)) await rm(moved, { recursive: true, force: true });
    else await rename(moved, dir);
  }
  await rm(`${dir}/.next`, { recursive: true, force: true });
  await promisify(execFile)(process.execPath, [nextCli, 'build', ...flags], {
    cwd: dir,
    env: { ...process.env, NEXT_TELEMETRY_DISABLED: '1' },
    maxBuffer: 16 * 1024 * 1024,
  });
  await rename(dir, moved);
  return moved;
}

// What a host deploys from .next: the Node.js function (its route file and everything its file
// trace lists) must carry the Wasm, which the package's Node.js entry holds inline, so there is no
// separate .wasm for the trace to miss; the Edge function must carry it as a precompiled Wasm
// module (middleware-manifest `wasm`, or Turbopack's edge chunk list), not compile bytes at run time.
async function nextDeployable(dir) {
  const route = `${dir}/.next/server/app/api/webhooks/node/route.js`;
  const trace = JSON.parse(await readFile(`${route}.nft.json`, 'utf8'));
  const copies = wasmCopies([route, ...trace.files.map((f) => join(dirname(route), f))]);
  assert.ok(copies >= 1, `no copy of the Wasm (inline base64 or .wasm) in the Node.js function: ${JSON.stringify(trace.files)}`);
  const manifest = JSON.parse(await readFile(`${dir}/.next/server/middleware-manifest.json`, 'utf8'));
  const edge = manifest.functions['/api/webhooks/edge/route'];
  assert.ok(edge, JSON.stringify(Object.keys(manifest.functions)));
  const wasmFiles = [...(edge.wasm ?? []).map((w) => w.filePath), ...edge.files.filter((f) => f.endsWith('.wasm'))];
  assert.equal(wasmFiles.length, 1, JSON.stringify(edge));
}

const installs = new Map(); // examples/hono serves two cells from one install
const install = (dir) => {
  if (!installs.has(dir)) installs.set(dir, installExample(dir));
  return installs.get(dir);
};

for (const example of examples) {
  describe(example.name, { timeout: example.timeout ?? 120_000 }, () => {
    let server;
    let cwd;
    before(async () => {
      cwd = await install(example.dir);
      cwd = (await example.prepare?.(cwd)) ?? cwd; // prepare may move the project
      const port = typeof example.args === 'function' ? await freePort() : 0;
      server = await startServer({
        command: example.command,
        args: typeof example.args === 'function' ? example.args({ port }) : example.args,
        cwd,
        env: { PORT: String(port), ...example.env },
      });
    });
    after(() => server?.stop());

    for (const [name, check] of Object.entries(example.checks ?? {})) test(name, () => check(cwd));

    // One server may serve several routes (Next.js: the Node.js and the Edge runtime).
    for (const [route, delivery] of (example.routes ?? [null]).flatMap((r) => deliveries.map((d) => [r, d]))) {
      test(route ? `${route}: ${delivery.name}` : delivery.name, async () => {
        const url = route ? new URL(route, server.url).href : server.url;
        const { status, reply } = await deliver(url, delivery);
        assert.equal(status, delivery.status, JSON.stringify(reply));
        if (delivery.event) assert.deepEqual(reply, { received: true, event: delivery.event });
        const error = delivery.status === 413 && example.tooLarge ? example.tooLarge : delivery.error;
        if (error) assert.equal(status === 413 && example.tooLarge ? reply.code : reply.error, error);
      });
    }

    (example.routes ?? [null]).forEach((route, index) => {
      test(`${route ? `${route}: ` : ''}the same delivery again: 200 duplicate, and the handlers ran once`, async () => {
        const url = route ? new URL(route, server.url).href : server.url;
        const amount = 5 + index; // one amount per route, to count each route's handler runs
        const payload = body('payment_verified', { user_id: `u_dup_${randomBytes(4).toString('hex')}`, amount, currency: 'EUR' });
        const first = await deliver(url, { body: payload, headers: signed(payload) });
        const again = await deliver(url, { body: payload, headers: signed(payload) });
        assert.deepEqual([first.status, first.reply], [200, { received: true, event: 'payment_verified' }]);
        assert.deepEqual([again.status, again.reply], [200, { received: true, duplicate: true }]);
        // The handler logs "payment 5 EUR" (Deno: "5.00"). Runtimes print asynchronously: wait for
        // the line, then give a second run time to show up.
        const line = new RegExp(`payment ${amount}(\\.00)? EUR`);
        const runs = () => server.output().split('\n').filter((text) => line.test(text)).length;
        for (let i = 0; i < 50 && runs() < 1; i++) await new Promise((resolve) => setTimeout(resolve, 100));
        await new Promise((resolve) => setTimeout(resolve, 300));
        assert.equal(runs(), 1, server.output());
      });
    });

    if (example.wholeEndpoint) {
      // Where the receiver serves the path for every method (not a framework's POST route).
      test('GET: 405 with Allow: POST', async () => {
        const response = await fetch(server.url, { signal: AbortSignal.timeout(20_000) });
        assert.equal(response.status, 405);
        assert.equal(response.headers.get('allow'), 'POST');
        assert.equal((await response.json()).error, 'METHOD_NOT_ALLOWED');
      });
    }

    test('never prints the secret', () => {
      assert.ok(server.output().length > 0);
      assert.ok(!server.output().includes(secret));
    });
  });
}
