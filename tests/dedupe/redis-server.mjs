// A real redis-server (Debian's, installed by scripts/setup.sh) for one test file: 127.0.0.1, a
// free port, a temporary directory, nothing persisted. stop() and start() again on the same port
// make the store-fault scenario; kill() is for `after`.
import { spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort } from '../../examples/harness.mjs';

export async function startRedis({ timeoutMs = 10_000 } = {}) {
  const dir = await mkdtemp(join(tmpdir(), 'elenik-redis-'));
  const port = await freePort();
  let child;
  let exited;

  const start = async () => {
    const args = ['--bind', '127.0.0.1', '--port', String(port), '--dir', dir, '--save', '', '--appendonly', 'no',
      '--protected-mode', 'yes', '--daemonize', 'no', '--loglevel', 'notice'];
    child = spawn('redis-server', args, { stdio: ['ignore', 'pipe', 'pipe'] });
    exited = new Promise((resolve) => child.once('exit', resolve));
    let output = '';
    await new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`redis-server not ready after ${timeoutMs} ms:\n${output}`)), timeoutMs);
      const onData = (chunk) => {
        output += chunk;
        if (output.includes('Ready to accept connections')) {
          clearTimeout(timer);
          resolve();
        }
      };
      child.stdout.on('data', onData);
      child.stderr.on('data', onData);
      child.once('error', (error) => (clearTimeout(timer), reject(error)));
      child.once('exit', (code) => (clearTimeout(timer), reject(new Error(`redis-server exited (${code}):\n${output}`))));
    });
  };
  const stop = async () => {
    if (!child || child.exitCode !== null || child.signalCode !== null) return;
    child.kill('SIGKILL');
    await exited;
  };
  process.once('exit', () => child?.kill('SIGKILL'));

  await start();
  return {
    port,
    url: `redis://127.0.0.1:${port}`,
    /** The running server's process id (the benches read its CPU time). */
    get pid() {
      return child?.pid;
    },
    start,
    stop,
    async kill() {
      await stop();
      await rm(dir, { recursive: true, force: true });
    },
  };
}
