// The `queue` option on BullMQ, with real redis-servers started here: receiver processes answer
// once a job holds each delivery, worker processes run it through receiver.consume, once, across
// redeliveries, retries, a SIGKILLed worker, a forged job and Redis outages; failed jobs stay in
// the failed set with their original bytes and replay once.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { signature } from '../../examples/harness.mjs';
import { startRedis } from '../dedupe/redis-server.mjs';
import { delivery, linesOf, outcome, pool, post, retry, secret, startProcess, tally, until } from '../dedupe/harness.mjs';
import { Job, Queue, redis } from './package.mjs';

const PROCESS = new URL('./process.mjs', import.meta.url).pathname;
const LEASE_SECONDS = 3;
// Short locks, so that a SIGKILLed worker's job is found stalled in about two seconds; ten
// attempts 500 ms apart outlast the lease (README "Acknowledge fast": how they must relate).
const TIMINGS = { LEASE_SECONDS: String(LEASE_SECONDS), LOCK_MS: '2000', STALLED_MS: '1000', ATTEMPTS: '10', BACKOFF_MS: '500' };
const QUEUED = '200 queued';

/** A deployment: receivers and workers over the given Redis URLs, a runs file, a fix flag. */
async function deploy({ storeUrl, queueUrl, receivers, workers }) {
  const dir = await mkdtemp(join(tmpdir(), 'elenik-queue-'));
  const runsFile = join(dir, 'runs.log');
  await writeFile(runsFile, '');
  const env = { ...TIMINGS, SECRET: secret, STORE_URL: storeUrl, QUEUE_URL: queueUrl, QUEUE_NAME: 'webhooks', RUNS_FILE: runsFile, FIX_FILE: join(dir, 'fixed') };
  const processes = await Promise.all([
    ...receivers.map((name) => startProcess(name, PROCESS, { ...env, ROLE: 'receiver' })),
    ...workers.map((name) => startProcess(name, PROCESS, { ...env, ROLE: 'worker' })),
  ]);
  const probeConnection = redis(queueUrl, { blocking: true });
  const probe = new Queue('webhooks', { connection: probeConnection });
  probe.on('error', () => {}); // while a test has its Redis stopped
  const byName = Object.fromEntries(processes.map((p) => [p.name, p]));
  return {
    ...byName,
    probe,
    fixFile: env.FIX_FILE,
    runsOf: async (key, what = 'run') => (await linesOf(runsFile)).filter(([, w, k]) => w === what && k === key),
    lines: () => linesOf(runsFile),
    /** Jobs not yet settled. */
    pending: async () => {
      const counts = await probe.getJobCounts('waiting', 'active', 'delayed', 'prioritized', 'waiting-children');
      return Object.values(counts).reduce((a, b) => a + b, 0);
    },
    async stop() {
      await Promise.all(processes.map((p) => p.kill()));
      // close() waits for a Redis that may be down by now (a failed test leaves it stopped): give it
      // a moment, then drop the connection itself, which stops its reconnecting; the Queue's own
      // disconnect() waited for that Redis forever.
      await Promise.race([probe.close().catch(() => {}), new Promise((resolve) => setTimeout(resolve, 2000).unref())]);
      probeConnection.disconnect();
      await rm(dir, { recursive: true, force: true });
    },
  };
}

/** The job whose message carries `key`, in `states`. */
async function jobOf(probe, key, states) {
  const jobs = await probe.getJobs(states, 0, -1);
  return jobs.find((job) => job?.data?.key === key);
}

describe('BullMQ on one shared redis-server: 3 receiver processes, 2 worker processes', { timeout: 240_000 }, () => {
  let server;
  let d;
  before(async () => {
    server = await startRedis();
    d = await deploy({ storeUrl: server.url, queueUrl: server.url, receivers: ['a', 'b', 'c'], workers: ['w1', 'w2'] });
  });
  after(async () => {
    await d?.stop();
    await server?.kill();
  });

  test('fan-in: 200 deliveries × 3 concurrent copies on different receivers → 200 runs, none left waiting', async (t) => {
    const receivers = [d.a, d.b, d.c];
    const deliveries = Array.from({ length: 200 }, () => delivery({ delay_ms: 20 }));
    const copies = deliveries.flatMap((copy, i) => [0, 1, 2].map((j) => ({ copy, to: receivers[(i + j) % 3] })));
    const first = await pool(copies, 150, ({ copy, to }) => post(to.url, copy));
    t.diagnostic(`600 requests: ${JSON.stringify(tally(first.map(outcome)))}`);
    assert.ok(first.map(outcome).every((o) => [QUEUED, '200 duplicate', '409 DELIVERY_IN_PROGRESS'].includes(o)), JSON.stringify(tally(first.map(outcome))));
    assert.equal(first.map(outcome).filter((o) => o === QUEUED).length, 200);
    // Elenik retries each 409: it becomes 200 duplicate.
    const retried = await pool(copies.filter((_, i) => outcome(first[i]).startsWith('409')), 50, ({ copy, to }) =>
      retry(to.url, copy, ['409 DELIVERY_IN_PROGRESS'], 10_000));
    assert.ok(retried.every((seen) => seen.at(-1) === '200 duplicate'));
    const keys = new Set(deliveries.map((x) => x.key));
    const runs = async () => (await d.lines()).filter(([, what, key]) => what === 'run' && keys.has(key));
    await until('200 runs', async () => (await runs()).length >= 200, 60_000);
    await until('no job left waiting', async () => (await d.pending()) === 0, 30_000);
    const done = await runs();
    assert.equal(done.length, 200);
    assert.equal(new Set(done.map(([, , key]) => key)).size, 200);
    assert.equal((await d.probe.getFailedCount()), 0);
    t.diagnostic(`runs ${done.length} on ${JSON.stringify(tally(done.map(([name]) => name)))}`);
  });

  test('a 5 s handler: the answer comes back before the handler has finished', async () => {
    const copy = delivery({ delay_ms: 5000 });
    assert.equal(outcome(await post(d.a.url, copy)), QUEUED);
    assert.equal((await d.runsOf(copy.key)).length, 0, 'answered while the handler had not finished');
    await until('the slow run', async () => (await d.runsOf(copy.key)).length === 1, 20_000);
  });

  test('failing twice, then succeeding: 3 attempts, 1 completed run', async (t) => {
    const copy = delivery({ fail_times: 2 });
    assert.equal(outcome(await post(d.b.url, copy)), QUEUED);
    await until('the run', async () => (await d.runsOf(copy.key)).length === 1, 20_000);
    const job = await until('the completed job', () => jobOf(d.probe, copy.key, ['completed']), 5000);
    t.diagnostic(`attemptsMade ${job.attemptsMade}, returnvalue ${job.returnvalue}`);
    assert.equal((await d.runsOf(copy.key, 'start')).length, 3);
    assert.equal(job.attemptsMade, 3);
    assert.equal(job.returnvalue, 'ran');
  });

  test('always failing: the failed set holds it with its original bytes; replayed after the fix it runs once', async () => {
    const copy = delivery({ fail_until_fixed: true });
    assert.equal(outcome(await post(d.c.url, copy)), QUEUED);
    const failed = await until('the failed job', () => jobOf(d.probe, copy.key, ['failed']), 30_000);
    assert.equal(failed.attemptsMade, Number(TIMINGS.ATTEMPTS));
    assert.equal(failed.data.body, copy.body, 'the original bytes');
    assert.equal(failed.data.signature, copy.headers['x-elenik-signature']);
    assert.match(failed.failedReason, /failing until fixed/);
    assert.equal((await d.runsOf(copy.key)).length, 0);
    // The fix ships; replay the dead letter (README: BullMQ's failed set).
    await writeFile(d.fixFile, '');
    await failed.retry('failed');
    await until('the replayed run', async () => (await d.runsOf(copy.key)).length === 1, 20_000);
    const job = await until('the completed job', () => jobOf(d.probe, copy.key, ['completed']), 5000);
    assert.equal(job.returnvalue, 'ran');
    // A second replay of the same delivery finds it done: no second run.
    await job.retry('completed');
    await until('the second replay settled', async () => (await Job.fromId(d.probe, job.id))?.returnvalue === 'duplicate', 10_000);
    assert.equal((await d.runsOf(copy.key)).length, 1);
  });

  test('a forged or altered job added straight to the queue runs nothing and settles; the genuine one runs', async () => {
    const copy = delivery({});
    const message = { v: 1, key: copy.key, event: 'test_delivery', signature: copy.headers['x-elenik-signature'], body: copy.body, encoding: 'utf8', receivedAt: Date.now() };
    const forged = await d.probe.add('test_delivery', { ...message, signature: signature(copy.body, 'whsec_guessed') });
    const altered = await d.probe.add('test_delivery', { ...message, body: copy.body.replace('test_delivery', 'user_signup') });
    for (const job of [forged, altered]) {
      await until('the forged job settled', async () => (await job.getState()) === 'completed', 10_000);
      assert.equal((await Job.fromId(d.probe, job.id)).returnvalue, 'rejected');
    }
    assert.equal((await d.runsOf(copy.key, 'start')).length, 0);
    assert.equal(outcome(await post(d.a.url, copy)), QUEUED, 'the genuine delivery is not blocked');
    await until('the genuine run', async () => (await d.runsOf(copy.key)).length === 1, 10_000);
  });

  test('a worker SIGKILLed mid-handler: stalled-job recovery runs it on the other worker, once', async (t) => {
    const copy = delivery({ hang_first: true });
    assert.equal(outcome(await post(d.b.url, copy)), QUEUED);
    const [[hung]] = await until('the first start', () => d.runsOf(copy.key, 'start').then((s) => (s.length ? s : null)), 10_000);
    const killedAt = Date.now();
    await d[hung].kill('SIGKILL');
    const [[ranOn]] = await until('the recovered run', () => d.runsOf(copy.key).then((s) => (s.length ? s : null)), 30_000);
    t.diagnostic(`hung on ${hung}, killed; ran on ${ranOn} ${Date.now() - killedAt} ms later`);
    assert.notEqual(ranOn, hung);
    await until('the job settled', async () => (await jobOf(d.probe, copy.key, ['completed'])) !== undefined, 10_000);
    assert.equal((await d.runsOf(copy.key)).length, 1);
  });

  test('the one Redis stopped: 503 STORE_UNAVAILABLE (the store fails first); restarted, the retry is 200 and runs once', async () => {
    const copy = delivery({});
    await server.stop();
    assert.equal(outcome(await post(d.a.url, copy)), '503 STORE_UNAVAILABLE');
    await server.start();
    const seen = await retry(d.a.url, copy, ['503 STORE_UNAVAILABLE', '503 QUEUE_UNAVAILABLE'], 20_000);
    assert.equal(seen.at(-1), QUEUED);
    await until('the run after the restart', async () => (await d.runsOf(copy.key)).length === 1, 30_000);
    assert.equal(outcome(await post(d.c.url, copy)), '200 duplicate');
  });
});

describe('BullMQ on its own redis-server, apart from the store\'s', { timeout: 120_000 }, () => {
  let store;
  let queue;
  let d;
  before(async () => {
    [store, queue] = await Promise.all([startRedis(), startRedis()]);
    d = await deploy({ storeUrl: store.url, queueUrl: queue.url, receivers: ['r'], workers: ['w'] });
  });
  after(async () => {
    await d?.stop();
    await Promise.all([store?.kill(), queue?.kill()]);
  });

  test("the queue's Redis stopped: 503 QUEUE_UNAVAILABLE, the claim released; restarted, the retry is 200 and runs once", async () => {
    const copy = delivery({});
    await queue.stop();
    assert.equal(outcome(await post(d.r.url, copy)), '503 QUEUE_UNAVAILABLE');
    const probe = redis(store.url, { blocking: true });
    try {
      assert.equal(await probe.exists(`elenik:dedupe:${copy.key}`), 0, 'no claim left behind');
    } finally {
      probe.disconnect();
    }
    await queue.start();
    const seen = await retry(d.r.url, copy, ['503 QUEUE_UNAVAILABLE'], 20_000);
    assert.equal(seen.at(-1), QUEUED);
    await until('the run after the restart', async () => (await d.runsOf(copy.key)).length === 1, 30_000);
    assert.equal(outcome(await post(d.r.url, copy)), '200 duplicate');
  });
});
