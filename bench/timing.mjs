// A dudect-style constant-time check of signature comparison, through the installed package
// (the Wasm that ships), on Node: Welch's t-test between two classes of wrong signatures, one
// wrong in its first byte and one wrong in its last. An early-exit comparison would take longer
// for the second; a constant-time one takes the same. |t| above 4.5 means a detectable leak
// (dudect's threshold). `make bench-timing` runs it; it is part of `make bench`, not `make test`:
// it is a measurement and needs a quiet machine.
//
// Method (Reparaz, Balasch, Verbauwhede, "Dude, is my code constant time?", 2017): classes are
// interleaved at random so drift and noise hit both alike; each call is timed alone with
// process.hrtime.bigint(); t is computed on all samples and on the samples under several
// percentiles (cropping the long tail of interrupts and GC), and the largest |t| is reported.
// A positive control (a signature of the wrong length, rejected before any hashing) shows the
// harness does detect a difference when there is one.
import { createHmac, randomBytes } from 'node:crypto';
import { Verifier } from 'elenik-webhooks';

const SAMPLES = Number(process.env.TIMING_SAMPLES ?? 2_000_000);
const SECRET = 'timing-secret';
const BODY = '{"event":"payment_verified","data":{"user_id":"u_123","amount":49.99,"currency":"USD"}}';
const digest = createHmac('sha256', SECRET).update(BODY).digest();
const wrongAt = (index) => {
  const d = Buffer.from(digest);
  d[index] ^= 0x01;
  return `sha256=${d.toString('hex')}`;
};

/** Welch's t of two samples, from running sums. */
function welch(a, b) {
  const mean = (s) => s.sum / s.n;
  const variance = (s) => (s.sq - (s.sum * s.sum) / s.n) / (s.n - 1);
  return (mean(a) - mean(b)) / Math.sqrt(variance(a) / a.n + variance(b) / b.n);
}

function measure(verifier, headers, samples) {
  const classes = randomBytes(samples);
  const times = new Float64Array(samples);
  for (let i = 0; i < 20_000; i += 1) verifier.verify(BODY, headers[i & 1]); // warm up the JIT
  for (let i = 0; i < samples; i += 1) {
    const header = headers[classes[i] & 1];
    const start = process.hrtime.bigint();
    const ok = verifier.verify(BODY, header);
    const end = process.hrtime.bigint();
    if (ok) throw new Error('a wrong signature verified');
    times[i] = Number(end - start);
  }
  return { classes, times };
}

function tTests({ classes, times }) {
  const sorted = Float64Array.from(times).sort();
  const cuts = [1, 0.99, 0.95, 0.9, 0.75].map((p) => ({
    p,
    limit: sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))],
  }));
  return cuts.map(({ p, limit }) => {
    const s = [{ n: 0, sum: 0, sq: 0 }, { n: 0, sum: 0, sq: 0 }];
    for (let i = 0; i < times.length; i += 1) {
      if (times[i] > limit && p < 1) continue;
      const c = s[classes[i] & 1];
      c.n += 1;
      c.sum += times[i];
      c.sq += times[i] * times[i];
    }
    return { p, t: welch(s[0], s[1]), n: [s[0].n, s[1].n], means: [s[0].sum / s[0].n, s[1].sum / s[1].n] };
  });
}

function report(name, results) {
  const worst = Math.max(...results.map((r) => Math.abs(r.t)));
  console.log(`\n${name}: max |t| = ${worst.toFixed(2)}`);
  for (const r of results) {
    const crop = r.p === 1 ? 'all samples     ' : `under p${String(Math.round(r.p * 100)).padEnd(3)}        `;
    console.log(`  ${crop} n = ${r.n[0]} + ${r.n[1]}  means ${r.means[0].toFixed(1)} / ${r.means[1].toFixed(1)} ns  t = ${r.t.toFixed(2)}`);
  }
  return worst;
}

const verifier = new Verifier(SECRET);
console.log(`timing: Verifier#verify, ${SAMPLES} samples per test, ${BODY.length}-byte body, Node ${process.version}`);
const worst = report(
  'first byte wrong vs last byte wrong (must stay under 4.5)',
  tTests(measure(verifier, [wrongAt(0), wrongAt(31)], SAMPLES)),
);
const control = report(
  'control: last byte wrong vs a 63-digit signature (rejected before hashing; must be large)',
  tTests(measure(verifier, [wrongAt(31), `sha256=${digest.toString('hex').slice(1)}`], Math.min(SAMPLES, 200_000))),
);
verifier.free();
if (!(control > 10)) {
  console.error(`timing: the control found no difference (|t| ${control.toFixed(2)}): the harness cannot see timing`);
  process.exit(1);
}
if (!(worst < 4.5)) {
  console.error(`timing: |t| = ${worst.toFixed(2)} >= 4.5: the comparison time depends on where the signature differs`);
  process.exit(1);
}
console.log(`\ntiming: |t| = ${worst.toFixed(2)} < 4.5 over ${SAMPLES} samples: no detectable dependence on where the signature differs`);
