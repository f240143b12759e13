// The README's Redis snippet ("Duplicates and replays"), run as written (node-redis) and in its
// ioredis form (its commented lines), each behind node:http in its own process, against a real
// redis-server that is stopped and started again while deliveries keep coming: 200, then 503
// STORE_UNAVAILABLE while Redis is down, then 200 again, and the process never dies.
import { after, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { createHmac } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = fileURLToPath(new URL('.', import.meta.url));
const project = join(here, '..');
const { startRedis } = await import(join(process.env.ELENIK_REPO, 'tests/dedupe/redis-server.mjs'));
const secret = 'whsec_redis_snippet';
const readme = readFileSync(join(project, 'node_modules/elenik-webhooks/README.md'), 'utf8');

/** The README's code block that imports `redis`. */
function snippet() {
  const blocks = [...readme.matchAll(/```js\n([\s\S]*?)```/g)].map((m) => m[1]);
  const found = blocks.filter((b) => b.includes("import { createClient } from 'redis'"));
  assert.equal(found.length, 1, 'one README block shows the Redis setup');
  return found[0];
}

/** The ioredis form: its commented lines instead of node-redis's. */
function ioredisForm(code) {
  const lines = code.split('\n');
  const start = lines.findIndex((l) => l.startsWith('const redis = createClient('));
  const end = lines.findIndex((l) => l.startsWith('await redis.connect()'));
  assert.ok(start >= 0 && end > start, 'the snippet creates, then connects a node-redis client');
  const ioredis = lines.filter((l) => l.startsWith('//   ')).map((l) => l.slice(5));
  assert.ok(ioredis.some((l) => l.includes('new Redis(')) && ioredis.some((l) => l.includes(".on('error'")), 'the ioredis lines say how, error listener included');
  lines.splice(start, end - start + 1, ...ioredis);
  return lines.join('\n').replace("import { createClient } from 'redis';", "import Redis from 'ioredis';");
}

const SERVER = `
receiver.on('payment_verified', (event) => console.log('RUN ' + event.data.user_id));
const { createServer } = await import('node:http');
const server = createServer(receiver.node).listen(0, '127.0.0.1', () => console.log('LISTENING http://127.0.0.1:' + server.address().port));
setTimeout(() => process.exit(0), 180_000).unref();
`;

function start(file, env) {
  const child = spawn(process.execPath, [file], { cwd: project, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  process.once('exit', () => child.kill('SIGKILL'));
  const exited = new Promise((resolve) => child.once('exit', resolve));
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`not listening:\n${output}`)), 30_000);
    const onData = (chunk) => {
      output += chunk;
      const found = output.match(/LISTENING (http:\/\/\S+)/);
      if (found) {
        clearTimeout(timer);
        resolve({
          base: found[1],
          alive: () => child.exitCode === null && child.signalCode === null,
          output: () => output,
          stop: async () => (child.exitCode === null && child.signalCode === null && child.kill('SIGKILL'), exited),
        });
      }
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    child.once('exit', (code) => (clearTimeout(timer), reject(new Error(`exited ${code}:\n${output}`))));
  });
}

let serial = 0;
async function deliver(base) {
  const id = `u_${++serial}`;
  const body = JSON.stringify({ event: 'payment_verified', data: { user_id: id, amount: 1, currency: 'USD' } });
  const signature = `sha256=${createHmac('sha256', secret).update(body).digest('hex')}`;
  try {
    const response = await fetch(base, { method: 'POST', body, headers: { 'x-elenik-signature': signature }, signal: AbortSignal.timeout(10_000) });
    const reply = await response.json();
    return { id, outcome: `${response.status} ${reply.error ?? 'ok'}` };
  } catch (error) {
    return { id, outcome: `no answer: ${error.cause?.code ?? error.message}` };
  }
}

/**
 * Keeps `concurrency` senders posting until `until(outcome)` has been seen, at most `max`
 * deliveries; returns every outcome.
 */
async function load(base, until, { concurrency = 4, max = 400 } = {}) {
  const seen = [];
  let done = false;
  const sender = async () => {
    while (!done && seen.length < max) {
      const result = await deliver(base);
      seen.push(result);
      if (until(result.outcome)) done = true;
      else if (result.outcome !== '200 ok') await new Promise((resolve) => setTimeout(resolve, 50));
    }
  };
  await Promise.all(Array.from({ length: concurrency }, sender));
  return seen;
}

for (const [client, form] of [['node-redis', (code) => code], ['ioredis', ioredisForm]]) {
  describe(`the README's Redis snippet on ${client}`, () => {
    let redis;
    let server;
    after(async () => {
      await server?.stop();
      await redis?.kill();
    });

    test('Redis stopped under load: 503 STORE_UNAVAILABLE, then 200 once it is back; the process lives', async () => {
      redis = await startRedis();
      const file = join(project, `snippet-${client}.mjs`);
      writeFileSync(file, form(snippet()) + SERVER);
      server = await start(file, { REDIS_URL: redis.url, ELENIK_WEBHOOK_SECRET: secret });

      const up = await load(server.base, (o) => o === '200 ok', { max: 20 });
      assert.equal(up.at(-1).outcome, '200 ok', JSON.stringify(up));
      await redis.stop();
      const down = await load(server.base, () => false, { max: 40 });
      const outcomes = new Set(down.map((r) => r.outcome));
      // Deliveries in flight when Redis died may still have been answered 200.
      assert.deepEqual([...outcomes].filter((o) => o !== '200 ok'), ['503 STORE_UNAVAILABLE'], server.output().slice(-2000));
      assert.ok(down.filter((r) => r.outcome === '503 STORE_UNAVAILABLE').length >= 36);
      await redis.start();
      const back = await load(server.base, (o) => o === '200 ok', { max: 800 });
      assert.equal(back.at(-1).outcome, '200 ok', `never 200 again: ${JSON.stringify(back.slice(-5))}`);
      assert.deepEqual(new Set(back.map((r) => r.outcome).filter((o) => o !== '200 ok' && o !== '503 STORE_UNAVAILABLE')), new Set());
      assert.equal(server.alive(), true, 'the process survived the outage');

      // Every delivery answered 200 ran its handler exactly once; none answered 503 ran.
      const ran = server.output().match(/^RUN \S+$/gm).map((l) => l.slice(4));
      const answered = [...up, ...down, ...back].filter((r) => r.outcome === '200 ok').map((r) => r.id);
      assert.deepEqual(ran.sort(), answered.sort());
    });
  });
}
