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

const SAMPLES = Number(process.env.TIMING_SAMPLES ?? 1_000_000);
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

// Each class is a pool of equal strings at different heap addresses, picked at random per call:
// with one string per class, where each happens to sit (a cache-line boundary, say) showed up as
// a fraction-of-a-nanosecond difference that is about the strings, not the comparison.
const POOL = 64;
const pool = (header) => Array.from({ length: POOL }, () => Buffer.from(header).toString('latin1'));

function measure(verifier, [first, second], samples) {
  const pools = [pool(first), pool(second)];
  const classes = randomBytes(samples);
  const picks = randomBytes(samples);
  const times = new Float64Array(samples);
  for (let i = 0; i < 20_000; i += 1) verifier.verify(BODY, pools[i & 1][i % POOL]); // warm up the JIT
  for (let i = 0; i < samples; i += 1) {
    const header = pools[classes[i] & 1][picks[i] % POOL];
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

// The same harness on two classes that are the same signature (an A/A test): what |t| the
// noise of this machine reaches on its own. On a shared 2-core VM it has reached 3.2, so one
// |t| just over 4.5 is not yet a leak. A leak is a difference that comes back: the check fails
// only if all of ROUNDS rounds reach 4.5. An early-exit comparison gives |t| in the hundreds
// (compare the control below) and fails every round.
const ROUNDS = 3;
const noise = report('A/A: first byte wrong vs the same (the noise floor)', tTests(measure(verifier, [wrongAt(0), wrongAt(0)], SAMPLES)));
const rounds = [];
for (let round = 1; round <= ROUNDS; round += 1) {
  const t = report(
    `round ${round}: first byte wrong vs last byte wrong (must stay under 4.5)`,
    tTests(measure(verifier, [wrongAt(0), wrongAt(31)], SAMPLES)),
  );
  rounds.push(t);
  if (t < 4.5) break;
}
const control = report(
  'control: last byte wrong vs a 63-digit signature (rejected before hashing; must be large)',
  tTests(measure(verifier, [wrongAt(31), `sha256=${digest.toString('hex').slice(1)}`], Math.min(SAMPLES, 200_000))),
);
verifier.free();
const shown = rounds.map((t) => t.toFixed(2)).join(', ');
if (!(control > 10)) {
  console.error(`timing: the control found no difference (|t| ${control.toFixed(2)}): the harness cannot see timing`);
  process.exit(1);
}
if (!rounds.some((t) => t < 4.5)) {
  console.error(`timing: |t| = ${shown} >= 4.5 in every round: the comparison time depends on where the signature differs`);
  process.exit(1);
}
console.log(
  `\ntiming: |t| = ${shown} (A/A noise floor ${noise.toFixed(2)}) over ${SAMPLES} samples per round: ` +
    'no detectable dependence on where the signature differs',
);
