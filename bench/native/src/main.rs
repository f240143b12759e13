//! Times the core natively on the bodies `bench/run.mjs` writes, printing one JSON line per case:
//! `bench-native <bodies dir> <sizes...>`. Same sampling as the JS harness: warm up, size a batch
//! to about 25 ms, time 21 batches, report per-operation nanoseconds.

use std::hint::black_box;
use std::time::{Duration, Instant};

use elenik_webhooks::{parse_event, sign, verify, Verifier};

const SECRET: &str = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
const SAMPLES: usize = 21;

fn measure(mut op: impl FnMut() -> bool) -> Vec<f64> {
    let mut ok = 0u64;
    let warm = Instant::now();
    let mut ops = 0u64;
    while warm.elapsed() < Duration::from_millis(300) {
        ok += u64::from(op());
        ops += 1;
    }
    let per_op = warm.elapsed().as_secs_f64() / ops as f64;
    let iterations = ((0.025 / per_op).round() as u64).max(1);
    let mut times: Vec<f64> = (0..SAMPLES)
        .map(|_| {
            let t0 = Instant::now();
            for _ in 0..iterations {
                ok += u64::from(op());
            }
            t0.elapsed().as_secs_f64() * 1e9 / iterations as f64
        })
        .collect();
    assert!(ok > 0, "the benchmarked operation never succeeded");
    times.sort_by(f64::total_cmp);
    times
}

fn report(backend: &str, name: &str, size: usize, times: &[f64]) {
    let q = |p: f64| times[((times.len() - 1) as f64 * p).round() as usize];
    println!(
        r#"{{"backend":"{backend}","name":"{name}","size":{size},"median":{},"p25":{},"p75":{},"min":{},"max":{}}}"#,
        q(0.5),
        q(0.25),
        q(0.75),
        times[0],
        times[times.len() - 1]
    );
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let mut args = std::env::args().skip(1);
    let dir = args
        .next()
        .ok_or("usage: bench-native <bodies dir> <sizes...>")?;
    let backend = if cfg!(sha2_backend = "soft") {
        "soft"
    } else if std::arch::is_x86_feature_detected!("sha") {
        "sha-ni"
    } else {
        "auto (no SHA instructions on this CPU)"
    };
    let verifier = Verifier::new(&[SECRET])?;
    for size in args {
        let size: usize = size.parse()?;
        let body = std::fs::read(format!("{dir}/{size}.json"))?;
        let header = sign(&body, SECRET.as_bytes())?;
        assert!(verify(&body, &header, b"other").is_err());
        let times = measure(|| {
            verifier
                .verify(black_box(&body), black_box(&header))
                .is_ok()
        });
        report(backend, "Verifier::verify", size, &times);
        let times =
            measure(|| verify(black_box(&body), black_box(&header), SECRET.as_bytes()).is_ok());
        report(backend, "verify", size, &times);
        if size <= 16 * 1024 {
            let times = measure(|| parse_event(black_box(&body)).is_ok());
            report(backend, "parse_event", size, &times);
        }
    }
    Ok(())
}
