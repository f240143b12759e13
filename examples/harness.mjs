// Shared by examples/test.mjs: installs an example against the packed tarball, starts it, sends
// it deliveries and stops it. Signatures come from node:crypto, independently of the package.
// freePort and wasmCopies serve tests/runtimes/matrix.mjs too.
import { spawn, execFile } from 'node:child_process';
import { createHmac } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { cp, lstat, readFile, rm, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { promisify } from 'node:util';
import assert from 'node:assert/strict';

export const root = new URL('..', import.meta.url).pathname;
export const tarball = `${root}target/elenik-webhooks-0.1.0.tgz`;
/** A binary from the shared runtime folder (wrangler, deno, bun), installed by scripts/setup.sh. */
export const runtimeBin = (name) => `${root}tests/runtimes/node_modules/.bin/${name}`;

export const signature = (body, secret) => `sha256=${createHmac('sha256', secret).update(body).digest('hex')}`;

/**
 * Copies examples/<name> to target/examples-<name> and installs it as a user would, except that
 * elenik-webhooks comes from the packed tarball instead of ../../pkg. Returns the copy's path.
 */
/**
 * Copies of the Wasm in the given files: a .wasm file counts one, a script (.js, .mjs, .cjs) or
 * page (.html) as many as it inlines as base64 (the base64 of "\0asm\1\0\0\0" begins each).
 */
export function wasmCopies(files) {
  let count = 0;
  for (const file of files) {
    if (file.endsWith('.wasm')) count += 1;
    else if (/\.(m?js|cjs|html)$/.test(file)) count += readFileSync(file, 'latin1').split('AGFzbQEAAAA').length - 1;
  }
  return count;
}

/** A port that is free on 127.0.0.1 right now, for a server that must be told its port. */
export async function freePort() {
  const server = createServer();
  await new Promise((resolve, reject) => server.listen(0, '127.0.0.1', resolve).once('error', reject));
  const { port } = server.address();
  await new Promise((resolve) => server.close(resolve));
  return port;
}

export async function installExample(name) {
  const source = `${root}examples/${name}`;
  const dir = `${root}target/examples-${name}`;
  await rm(dir, { recursive: true, force: true });
  await cp(source, dir, {
    recursive: true,
    filter: (path) => !/\/(node_modules|\.wrangler|\.dev\.vars)$/.test(path),
  });
  const manifest = JSON.parse(await readFile(`${dir}/package.json`, 'utf8'));
  manifest.dependencies['elenik-webhooks'] = `file:${tarball}`;
  await writeFile(`${dir}/package.json`, JSON.stringify(manifest, null, 2));
  // Dev dependencies (wrangler) are left out: the tests run the shared copy in tests/runtimes.
  const npmArgs = ['install', '--omit=dev', '--prefer-offline', '--no-audit', '--no-fund', '--loglevel=error'];
  await promisify(execFile)('npm', npmArgs, { cwd: dir });

  // A real folder unpacked from the tarball, not a link to pkg/.
  assert.ok((await lstat(`${dir}/node_modules/elenik-webhooks/package.json`)).isFile());
  assert.ok(!(await lstat(`${dir}/node_modules/elenik-webhooks`)).isSymbolicLink());
  // Every other dependency at the version the example's committed lockfile pins.
  const lock = JSON.parse(await readFile(`${source}/package-lock.json`, 'utf8'));
  for (const [path, entry] of Object.entries(lock.packages)) {
    if (!path.startsWith('node_modules/') || entry.link || entry.dev || path === 'node_modules/elenik-webhooks') continue;
    // Optional dependencies for other platforms (Next.js's per-OS compilers) are not installed here.
    if (entry.optional && !(await lstat(`${dir}/${path}`).catch(() => null))) continue;
    const installed = JSON.parse(await readFile(`${dir}/${path}/package.json`, 'utf8'));
    assert.equal(installed.version, entry.version, `${name}: ${path} differs from package-lock.json`);
  }
  return dir;
}

const running = new Set();
// Servers run in their own process groups, so a Ctrl-C or a killed test run does not reach them:
// stop them on the way out.
process.on('exit', () => {
  for (const child of running) killGroup(child, 'SIGKILL');
});
for (const signal of ['SIGINT', 'SIGTERM']) {
  process.once(signal, () => process.exit(128 + (signal === 'SIGINT' ? 2 : 15)));
}

function killGroup(child, signal) {
  try {
    process.kill(-child.pid, signal); // the whole group: wrangler runs workerd as a child
  } catch {
    // already gone
  }
}

/**
 * Starts a receiver in its own process group and waits for the first http://127.0.0.1:<port> it
 * prints. Returns its webhook URL, everything it printed so far, and stop().
 */
export async function startServer({ command, args, cwd, env = {}, timeoutMs = 60_000 }) {
  const child = spawn(command, args, {
    cwd,
    env: { ...process.env, ...env },
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  running.add(child);
  const exited = new Promise((resolve) => child.once('exit', resolve));
  let output = '';

  const stop = async () => {
    if (!running.delete(child)) return;
    killGroup(child, 'SIGTERM');
    const timer = setTimeout(() => killGroup(child, 'SIGKILL'), 5_000);
    await exited;
    clearTimeout(timer);
  };

  try {
    const origin = await new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`not listening after ${timeoutMs} ms:\n${output}`)), timeoutMs);
      const onData = (chunk) => {
        output += chunk;
        // Strip colours (wrangler) before looking for the address.
        const found = output.replace(/\x1b\[[0-9;]*m/g, '').match(/http:\/\/127\.0\.0\.1:\d+/);
        if (found) {
          clearTimeout(timer);
          resolve(found[0]);
        }
      };
      child.stdout.on('data', onData);
      child.stderr.on('data', onData);
      child.once('error', reject);
      child.once('exit', (code, signal) => {
        clearTimeout(timer);
        reject(new Error(`exited (${code ?? signal}) before listening:\n${output}`));
      });
    });
    return { url: `${origin}/webhooks/elenik`, output: () => output, stop };
  } catch (error) {
    await stop();
    throw error;
  }
}

/**
 * POSTs one delivery; the reply is parsed as JSON when it is JSON. `body` may be a function that
 * returns a fresh ReadableStream, sent chunked.
 */
export async function deliver(url, { body, headers = {} }) {
  const response = await fetch(url, {
    method: 'POST',
    ...(typeof body === 'function' ? { body: body(), duplex: 'half' } : { body }),
    headers: { 'content-type': 'application/json', ...headers },
    signal: AbortSignal.timeout(20_000),
  });
  const text = await response.text();
  let reply;
  try {
    reply = JSON.parse(text);
  } catch {
    reply = text;
  }
  return { status: response.status, reply };
}
