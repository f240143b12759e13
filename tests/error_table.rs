//! The error codes are defined once, in `elenik_webhooks::ERRORS` (src/error.rs): code, HTTP
//! status, meaning and fix. The JS package reads codes and statuses from the Wasm core at load
//! (`ERROR_CODES`, `WebhookVerificationError.status`); this test proves the two hand-written
//! copies agree with the table: the README's error table and the `.d.ts` types.
#![cfg(not(target_arch = "wasm32"))]
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing)]

use elenik_webhooks::{Error, ERRORS};

const README: &str = include_str!("../README.md");
const TYPES: &str = include_str!("../pkg-template/index.d.ts");

#[test]
fn the_readme_table_is_the_core_table() {
    let start = README
        .find("| code | `status` | meaning | typical fix |")
        .expect("the README's error table");
    let rows: Vec<Vec<String>> = README[start..]
        .lines()
        .skip(2)
        .take_while(|line| line.starts_with('|'))
        .map(|line| {
            line.trim_matches('|')
                .split(" | ")
                .map(|cell| cell.trim().to_owned())
                .collect()
        })
        .collect();
    let expected: Vec<Vec<String>> = ERRORS
        .iter()
        .map(|e| {
            vec![
                format!("`{}`", e.code),
                e.status.to_string(),
                e.meaning.to_owned(),
                e.fix.to_owned(),
            ]
        })
        .collect();
    assert_eq!(rows, expected);
}

#[test]
fn the_typescript_union_is_the_core_table() {
    let start = TYPES.find("export type ErrorCode =").unwrap();
    let union = &TYPES[start..TYPES[start..].find(';').unwrap() + start];
    let codes: Vec<&str> = union.split('\'').skip(1).step_by(2).collect();
    assert_eq!(codes, Error::CODES);

    let mut statuses: Vec<u16> = ERRORS.iter().map(|e| e.status).collect();
    statuses.sort_unstable();
    statuses.dedup();
    let declared = statuses
        .iter()
        .map(u16::to_string)
        .collect::<Vec<_>>()
        .join(" | ");
    assert!(
        TYPES.contains(&format!("readonly status: {declared};")),
        "index.d.ts should declare `readonly status: {declared};`"
    );
}

#[test]
fn each_error_knows_its_row() {
    let samples = [
        Error::MissingSignature,
        Error::MalformedSignature(elenik_webhooks::MalformedReason::NotHex),
        Error::UnsupportedAlgorithm("sha1".into()),
        Error::SignatureMismatch,
        Error::InvalidPayload("x".into()),
        Error::InvalidSecret("x".into()),
        Error::PayloadTooLarge(1),
        Error::InvalidJson("x".into()),
        Error::InvalidEvent {
            path: "data".into(),
            reason: "is missing".into(),
        },
    ];
    for (index, error) in samples.iter().enumerate() {
        assert_eq!(error.index(), index);
        assert_eq!(error.code(), ERRORS[index].code);
        assert_eq!(error.status(), ERRORS[index].status);
    }
}
