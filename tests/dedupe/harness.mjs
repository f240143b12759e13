// What the tests of several receiver processes share (tests/dedupe/cluster.test.mjs and the queue
// tests): signed deliveries, POSTs that never throw, processes that stop with the test, bounded
// waits. It imports no package: each suite installs its own (package.mjs).
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { signature } from '../../examples/harness.mjs';

export const secret = `whsec_${randomBytes(24).toString('base64url')}`;
export const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

/** A signed delivery of its own; `key` is its delivery key as documented: the body's hex SHA-256. */
export const delivery = (data = {}) => {
  const body = JSON.stringify({ event: 'test_delivery', data: { id: randomUUID(), ...data } });
  const key = createHash('sha256').update(body).digest('hex');
  return { body, key, headers: { 'content-type': 'application/json', 'x-elenik-signature': signature(body, secret) } };
};

export async function post(url, { body, headers }) {
  try {
    const response = await fetch(url, { method: 'POST', body, headers, signal: AbortSignal.timeout(15_000) });
    return { status: response.status, reply: await response.json() };
  } catch (error) {
    return { status: 'no answer', reply: String(error.cause?.code ?? error.message) };
  }
}

/** "200 event", "200 queued", "200 duplicate", "409 DELIVERY_IN_PROGRESS", "503 QUEUE_UNAVAILABLE"... */
export const outcome = ({ status, reply }) =>
  `${status} ${reply?.duplicate ? 'duplicate' : reply?.queued ? 'queued' : reply?.event ? 'event' : (reply?.error ?? reply)}`;
export const tally = (outcomes) => Object.fromEntries([...new Set(outcomes)].sort().map((o) => [o, outcomes.filter((x) => x === o).length]));

/** Runs fn over items with at most `limit` in flight. */
export async function pool(items, limit, fn) {
  const results = new Array(items.length);
  let next = 0;
  await Promise.all(Array.from({ length: limit }, async () => {
    while (next < items.length) {
      const i = next++;
      results[i] = await fn(items[i], i);
    }
  }));
  return results;
}

/** POSTs `copy` every 100 ms while the answer is one of `transient`, for at most `ms`. */
export async function retry(url, copy, transient, ms) {
  const seen = [];
  const started = Date.now();
  for (;;) {
    const result = outcome(await post(url, copy));
    seen.push(result);
    if (!transient.includes(result)) return seen;
    assert.ok(Date.now() - started < ms, `still ${result} after ${ms} ms`);
    await sleep(100);
  }
}

/** Polls `check` every 100 ms until it returns something truthy, for at most `ms`. */
export async function until(what, check, ms) {
  const started = Date.now();
  for (;;) {
    const value = await check();
    if (value) return value;
    assert.ok(Date.now() - started < ms, `${what}: not after ${ms} ms`);
    await sleep(100);
  }
}

/** Starts `node script` with env; resolves when its output matches `ready` (its first group, if any). */
export function startProcess(name, script, env, ready = /listening on (http:\/\/127\.0\.0\.1:\d+)|worker ready/) {
  const child = spawn(process.execPath, [script], { env: { ...process.env, ...env, INSTANCE: name }, stdio: ['ignore', 'pipe', 'pipe'] });
  const exited = new Promise((resolve) => child.once('exit', resolve));
  let output = '';
  const started = new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`${name} not ready after 20 s:\n${output}`)), 20_000);
    const onData = (chunk) => {
      output += chunk;
      const found = output.match(ready);
      if (found) resolve((clearTimeout(timer), found[1]));
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    child.once('exit', (code, signal) => reject((clearTimeout(timer), new Error(`${name} exited (${code ?? signal}):\n${output}`))));
  });
  const kill = async (signal = 'SIGKILL') => {
    if (child.exitCode === null && child.signalCode === null) child.kill(signal);
    await exited;
  };
  process.once('exit', () => child.kill('SIGKILL'));
  return started.then((url) => ({ name, url, kill, output: () => output }));
}

/** The lines of a runs file, as [instance, what, key]. */
export const linesOf = async (file) => (await readFile(file, 'utf8')).split('\n').filter(Boolean).map((l) => l.split(' '));
