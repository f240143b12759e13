// The load both Redis-side benches send (tests/dedupe/bench.mjs, tests/queue/bench.mjs): distinct
// signed 1 KiB payment_verified deliveries over keep-alive connections to a receiver on 127.0.0.1,
// two ways:
//   throughput: `concurrency` in flight at all times (closed loop), requests per second;
//   latency: deliveries due at a fixed `rate` (open loop, at most `concurrency` in flight), each
//     timed from the moment it was due, so a stall counts for every delivery it delays.
import { createHmac } from 'node:crypto';
import { Agent, request } from 'node:http';

export function load({ secret, concurrency, rate }) {
  let serial = 0;

  // A 1 KiB payment_verified event, distinct each time (so the guard claims a new key), signed.
  function delivery() {
    const id = `evt_${(serial++).toString().padStart(12, '0')}`;
    const head = JSON.stringify({ event: 'payment_verified', data: { user_id: id, amount: 49.99, currency: 'USD', note: '' } });
    const body = head.replace('"note":""', `"note":"${'x'.repeat(1024 - head.length)}"`);
    return { body, signature: `sha256=${createHmac('sha256', secret).update(body).digest('hex')}` };
  }

  function post(agent, port, { body, signature }) {
    return new Promise((resolve, reject) => {
      const headers = { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body), 'x-elenik-signature': signature };
      const req = request({ agent, host: '127.0.0.1', port, method: 'POST', path: '/', headers }, (res) => {
        res.resume();
        res.on('end', () => (res.statusCode === 200 ? resolve(performance.now()) : reject(new Error(`status ${res.statusCode}`))));
      });
      req.on('error', reject);
      req.end(body);
    });
  }

  /** Closed loop: `concurrency` deliveries in flight at all times; requests per second. */
  async function throughput(port, count) {
    const agent = new Agent({ keepAlive: true, maxSockets: concurrency });
    const bodies = Array.from({ length: count }, delivery);
    let next = 0;
    const started = performance.now();
    await Promise.all(
      Array.from({ length: concurrency }, async () => {
        while (next < count) await post(agent, port, bodies[next++]);
      }),
    );
    const seconds = (performance.now() - started) / 1000;
    agent.destroy();
    return count / seconds;
  }

  /** Open loop: one delivery due every 1/rate s; the latency of each from when it was due (ms). */
  async function latency(port, count) {
    const agent = new Agent({ keepAlive: true, maxSockets: concurrency });
    const bodies = Array.from({ length: count }, delivery);
    const latencies = new Array(count);
    const sent = [];
    const begin = performance.now() + 5;
    let i = 0;
    while (i < count) {
      const now = performance.now();
      for (; i < count && begin + (i * 1000) / rate <= now; i++) {
        const due = begin + (i * 1000) / rate;
        const index = i;
        sent.push(post(agent, port, bodies[index]).then((end) => (latencies[index] = end - due)));
      }
      await new Promise((resolve) => setTimeout(resolve, 1));
    }
    await Promise.all(sent);
    agent.destroy();
    return latencies;
  }

  return { delivery, throughput, latency };
}

export const quantile = (values, q) => {
  const sorted = Float64Array.from(values).sort();
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))];
};

export const median = (values) => quantile(values, 0.5);

/** Table cells: the median CPU µs per request of the receiver, Redis and the load generator over `results` (each with a `cpu`). */
export function cpuCells(results) {
  const cell = (name) => {
    const values = results.map((r) => r.cpu[name]).filter((v) => v !== null);
    return values.length === 0 ? 'n/a' : median(values).toFixed(1);
  };
  return ['receiver', 'redis', 'load'].map(cell).join(' / ');
}
