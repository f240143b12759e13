//! The dudect-style constant-time check of `bench/timing.mjs`, natively on the Rust core:
//! Welch's t-test between signatures wrong in their first byte and in their last, classes
//! interleaved at random, each call timed alone, t on all samples and under several percentiles.
//! Run by `make bench-timing` (`cargo bench --bench timing`); a measurement, never a test.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing)]

use std::hint::black_box;
use std::time::Instant;

use elenik_webhooks::{sign, Verifier};

const BODY: &[u8] =
    br#"{"event":"payment_verified","data":{"user_id":"u_123","amount":49.99,"currency":"USD"}}"#;
const SECRET: &[u8] = b"timing-secret";

fn wrong_at(index: usize) -> String {
    let header = sign(BODY, SECRET).unwrap();
    let mut digest = hex::decode(header.trim_start_matches("sha256=")).unwrap();
    digest[index] ^= 0x01;
    format!("sha256={}", hex::encode(digest))
}

/// xorshift64*: enough to interleave the classes without a dependency.
fn classes(samples: usize) -> Vec<usize> {
    let mut state = 0x9E37_79B9_7F4A_7C15_u64 ^ u64::from(std::process::id());
    (0..samples)
        .map(|_| {
            state ^= state >> 12;
            state ^= state << 25;
            state ^= state >> 27;
            (state.wrapping_mul(0x2545_F491_4F6C_DD1D) >> 63) as usize
        })
        .collect()
}

fn measure(verifier: &Verifier, headers: &[String; 2], samples: usize) -> (Vec<usize>, Vec<f64>) {
    let classes = classes(samples);
    for i in 0..20_000 {
        black_box(verifier.verify(black_box(BODY), &headers[i & 1])).unwrap_err();
    }
    // Both classes are copied into one buffer, so they share an address and its cache lines:
    // otherwise the two strings' placement alone shows up as a fraction of a nanosecond.
    let mut header = String::with_capacity(128);
    let times = classes
        .iter()
        .map(|&class| {
            header.clear();
            header.push_str(&headers[class]);
            let start = Instant::now();
            let outcome = black_box(verifier.verify(black_box(BODY), black_box(&header)));
            let elapsed = start.elapsed();
            assert!(outcome.is_err(), "a wrong signature verified");
            elapsed.as_nanos() as f64
        })
        .collect();
    (classes, times)
}

/// The largest |t| over all samples and the samples under each percentile.
fn max_t(name: &str, (classes, times): (Vec<usize>, Vec<f64>)) -> f64 {
    let mut sorted = times.clone();
    sorted.sort_by(f64::total_cmp);
    let mut worst: f64 = 0.0;
    println!("\n{name}");
    for p in [1.0, 0.99, 0.95, 0.9, 0.75] {
        let limit = sorted[((p * sorted.len() as f64) as usize).min(sorted.len() - 1)];
        let mut s = [(0.0, 0.0, 0.0); 2];
        for (&class, &time) in classes.iter().zip(&times) {
            if p < 1.0 && time > limit {
                continue;
            }
            let (n, sum, sq) = &mut s[class];
            *n += 1.0;
            *sum += time;
            *sq += time * time;
        }
        let stats = s.map(|(n, sum, sq)| (n, sum / n, (sq - sum * sum / n) / (n - 1.0)));
        let [(n0, m0, v0), (n1, m1, v1)] = stats;
        let t = (m0 - m1) / (v0 / n0 + v1 / n1).sqrt();
        println!(
            "  p{:<3} n = {n0} + {n1}  means {m0:.1} / {m1:.1} ns  t = {t:.2}",
            (p * 100.0) as u32
        );
        worst = worst.max(t.abs());
    }
    println!("  max |t| = {worst:.2}");
    worst
}

fn main() {
    let samples: usize = std::env::var("TIMING_SAMPLES")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(2_000_000);
    let verifier = Verifier::new(&[SECRET]).unwrap();
    println!(
        "timing (native): Verifier::verify, {samples} samples, {}-byte body",
        BODY.len()
    );
    let worst = max_t(
        "first byte wrong vs last byte wrong (must stay under 4.5)",
        measure(&verifier, &[wrong_at(0), wrong_at(31)], samples),
    );
    let short = sign(BODY, SECRET).unwrap()[..70].to_owned();
    let control = max_t(
        "control: last byte wrong vs a 63-digit signature (rejected before hashing; must be large)",
        measure(&verifier, &[wrong_at(31), short], samples.min(200_000)),
    );
    if control <= 10.0 {
        eprintln!("timing: the control found no difference (|t| {control:.2}): the harness cannot see timing");
        std::process::exit(1);
    }
    if worst >= 4.5 {
        eprintln!("timing: |t| = {worst:.2} >= 4.5: the comparison time depends on where the signature differs");
        std::process::exit(1);
    }
    println!("\ntiming (native): |t| = {worst:.2} < 4.5 over {samples} samples");
}
