// Bodies, secrets and the sampling loop shared by every JS runtime the benchmark runs in
// (Node, Deno, Bun; workerd is timed from outside, see workerd.mjs). No runtime-specific APIs.

export const SIZES = [256, 1024, 16 * 1024, 1024 * 1024];
export const SECRET = 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw';

// A payment_verified event padded to exactly `size` bytes with realistic structure (line items,
// metadata), so JSON.parse and the validator see objects, arrays, numbers and strings.
export function eventBody(size) {
  const head = '{"event":"payment_verified","data":{"user_id":"u_123","amount":49.99,"currency":"USD","items":[';
  const tail = '],"note":"';
  const end = '"},"id":"evt_1"}';
  const items = [];
  let i = 0;
  const length = () => head.length + items.join(',').length + tail.length + end.length;
  for (;;) {
    const item = `{"sku":"sku_${i}","qty":${(i % 5) + 1},"price":${(i * 3.17).toFixed(2)},"gift":${i % 2 === 0}}`;
    items.push(item);
    if (length() > size - 8) {
      items.pop();
      break;
    }
    i++;
  }
  const body = head + items.join(',') + tail + 'x'.repeat(size - length()) + end;
  if (body.length !== size) throw new Error(`body is ${body.length} bytes, wanted ${size}`);
  return body;
}

export const encoder = new TextEncoder();

// Runs `fn` until a warm-up budget is spent, sizes a batch to about `sampleMs`, then times
// `samples` batches. Returns per-operation nanoseconds: median, quartiles, min, max.
export async function measure(fn, { now, warmupMs = 300, sampleMs = 25, samples = 21, isAsync = false }) {
  let sink = 0;
  const runBatch = isAsync
    ? async (n) => {
        for (let i = 0; i < n; i++) if (await fn()) sink++;
      }
    : (n) => {
        for (let i = 0; i < n; i++) if (fn()) sink++;
      };
  let batch = 1;
  let warm = now();
  const warmEnd = warm + warmupMs;
  let warmOps = 0;
  while (now() < warmEnd) {
    await runBatch(batch);
    warmOps += batch;
    batch = Math.min(batch * 2, 1 << 16);
  }
  const perOp = (now() - warm) / warmOps;
  const iterations = Math.max(1, Math.round(sampleMs / Math.max(perOp, 1e-6)));
  const times = [];
  for (let s = 0; s < samples; s++) {
    const t0 = now();
    await runBatch(iterations);
    times.push(((now() - t0) * 1e6) / iterations);
  }
  if (sink === 0) throw new Error('the benchmarked function never returned a truthy result');
  return summarize(times, iterations);
}

export function summarize(times, iterations) {
  const sorted = [...times].sort((a, b) => a - b);
  const q = (p) => sorted[Math.min(sorted.length - 1, Math.round(p * (sorted.length - 1)))];
  return { median: q(0.5), p25: q(0.25), p75: q(0.75), min: sorted[0], max: sorted.at(-1), samples: times.length, iterations };
}

// The package's own verify variants, for the runtime comparison (Deno, Bun, and Node for reference).
export function packageCases(api, size) {
  const text = eventBody(size);
  const bytes = encoder.encode(text);
  const header = api.sign(text, SECRET);
  const verifier = new api.Verifier(SECRET);
  return [
    ['verify', 'string', () => api.verify(text, header, SECRET)],
    ['verify', 'bytes', () => api.verify(bytes, header, SECRET)],
    ['Verifier.verify', 'string', () => verifier.verify(text, header)],
    ['Verifier.verify', 'bytes', () => verifier.verify(bytes, header)],
  ];
}
