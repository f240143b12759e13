//! The committed fuzz corpus (`fuzz/corpus/header`, `fuzz/corpus/event`) replayed on stable Rust
//! in `cargo test`, with the same checks as the fuzz targets: every input the fuzzer kept, and any
//! crash found later (copy it from `fuzz/artifacts/<target>/` into the corpus), stays a test.
#![cfg(not(target_arch = "wasm32"))]
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

use std::path::Path;

use elenik_webhooks::{
    parse_event, parse_event_with_serde_json, parse_signature_header, MAX_HEADER_BYTES,
    MAX_SIGNATURES,
};

fn corpus(target: &str) -> Vec<(String, Vec<u8>)> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("fuzz/corpus")
        .join(target);
    let inputs: Vec<_> = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .map(|entry| {
            let path = entry.unwrap().path();
            (path.display().to_string(), std::fs::read(&path).unwrap())
        })
        .collect();
    assert!(
        inputs.len() > 100,
        "{}: {} inputs",
        dir.display(),
        inputs.len()
    );
    inputs
}

#[test]
fn header_corpus() {
    for (name, data) in corpus("header") {
        let header = String::from_utf8_lossy(&data);
        match parse_signature_header(&header) {
            Ok(parsed) => {
                assert!(header.len() <= MAX_HEADER_BYTES, "{name}");
                assert!(
                    (1..=MAX_SIGNATURES).contains(&parsed.digests().len()),
                    "{name}"
                );
            }
            Err(e) => assert!(
                matches!(
                    e.code(),
                    "MISSING_SIGNATURE" | "MALFORMED_SIGNATURE" | "UNSUPPORTED_ALGORITHM"
                ),
                "{name}: {e}"
            ),
        }
    }
}

#[test]
fn event_corpus() {
    let mut accepted = 0;
    for (name, data) in corpus("event") {
        // The scan decides as the strict serde_json visitor it replaced (the fuzz target's check).
        let reference = parse_event_with_serde_json(&data);
        match (&parse_event(&data), &reference) {
            (Ok(ours), Ok(theirs)) => assert_eq!(ours, theirs, "{name}"),
            (Err(ours), Err(theirs)) => assert_eq!(ours.code(), theirs.code(), "{name}"),
            (ours, theirs) => panic!("{name}: scan {ours:?}, serde_json {theirs:?}"),
        }
        match parse_event(&data) {
            Ok(event) => {
                accepted += 1;
                let json: serde_json::Value = serde_json::from_slice(&data).unwrap();
                assert_eq!(event.into_json(), json, "{name}");
            }
            Err(e) => assert!(
                matches!(e.code(), "INVALID_JSON" | "INVALID_EVENT"),
                "{name}: {e}"
            ),
        }
    }
    assert!(accepted > 0, "the corpus holds valid events too");
}
