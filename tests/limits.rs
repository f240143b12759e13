//! Every limit, at and just past its bound. `tests/js/limits.test.mjs` checks the same through
//! the npm package, plus `verifyRequest`'s `maxBodyBytes`.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

use elenik_webhooks::{
    parse_event, parse_signature_header, sign, verify, Verifier, MAX_HEADER_BYTES, MAX_SECRETS,
    MAX_SIGNATURES,
};

const BODY: &[u8] = br#"{"event":"user_signup","data":{"user_id":"u_limits"}}"#;
const SECRET: &[u8] = b"limits-secret";
const OTHER: &str = "sha256=abababababababababababababababababababababababababababababababab";

/// The deepest JSON accepted: serde_json refuses the 128th nested array or object.
const MAX_JSON_DEPTH: usize = 127;

fn code<T>(result: elenik_webhooks::Result<T>) -> Result<(), &'static str> {
    result.map(drop).map_err(|e| e.code())
}

fn padded_to(len: usize, header: &str) -> String {
    format!("{}{header}", " ".repeat(len - header.len()))
}

/// A valid event whose JSON nests `depth` levels in all: the root object, `data`, then arrays.
fn event_nested(depth: usize) -> String {
    let arrays = depth - 2;
    format!(
        r#"{{"event":"deep","data":{{"a":{}{}}}}}"#,
        "[".repeat(arrays),
        "]".repeat(arrays)
    )
}

#[test]
fn header_of_4096_bytes_passes_and_4097_does_not() {
    let good = sign(BODY, SECRET).unwrap();
    assert_eq!(MAX_HEADER_BYTES, 4096);
    let at = padded_to(MAX_HEADER_BYTES, &good);
    let past = padded_to(MAX_HEADER_BYTES + 1, &good);
    assert_eq!(at.len(), 4096);
    assert_eq!(code(verify(BODY, &at, SECRET)), Ok(()));
    assert_eq!(
        code(verify(BODY, &past, SECRET)),
        Err("MALFORMED_SIGNATURE")
    );
    // Bytes, not characters: 4095 bytes of signature and padding plus one 2-byte `é` is over.
    let multibyte = format!("{}é", padded_to(MAX_HEADER_BYTES - 1, &good));
    assert_eq!(multibyte.chars().count(), 4096);
    assert_eq!(
        code(verify(BODY, &multibyte, SECRET)),
        Err("MALFORMED_SIGNATURE")
    );
}

#[test]
fn eight_signatures_pass_and_nine_do_not() {
    let good = sign(BODY, SECRET).unwrap();
    assert_eq!(MAX_SIGNATURES, 8);
    let mut parts = vec![OTHER.to_owned(); MAX_SIGNATURES - 1];
    parts.push(good.clone());
    assert_eq!(code(verify(BODY, &parts.join(","), SECRET)), Ok(()));
    assert_eq!(
        parse_signature_header(&parts.join(","))
            .unwrap()
            .digests()
            .len(),
        8
    );
    // Nine is refused even when the good one comes first: nothing is hashed past the limit.
    let mut nine = vec![good];
    nine.extend(vec![OTHER.to_owned(); MAX_SIGNATURES]);
    assert_eq!(
        code(verify(BODY, &nine.join(","), SECRET)),
        Err("MALFORMED_SIGNATURE")
    );
    // Empty parts are not signatures: eight with commas to spare still pass.
    let sparse = format!(",,{},,", parts.join(", ,"));
    assert_eq!(code(verify(BODY, &sparse, SECRET)), Ok(()));
}

#[test]
fn sixteen_secrets_pass_and_seventeen_do_not() {
    assert_eq!(MAX_SECRETS, 16);
    let mut secrets: Vec<Vec<u8>> = (0..MAX_SECRETS - 1)
        .map(|i| format!("old-{i}").into_bytes())
        .collect();
    secrets.push(SECRET.to_vec());
    let verifier = Verifier::new(&secrets).unwrap();
    assert_eq!(verifier.verify(BODY, &sign(BODY, SECRET).unwrap()), Ok(15));
    secrets.push(b"one-too-many".to_vec());
    assert_eq!(code(Verifier::new(&secrets)), Err("INVALID_SECRET"));
}

#[test]
fn json_nests_127_levels_and_not_128() {
    assert_eq!(
        code(parse_event(event_nested(MAX_JSON_DEPTH).as_bytes())),
        Ok(())
    );
    assert_eq!(
        code(parse_event(event_nested(MAX_JSON_DEPTH + 1).as_bytes())),
        Err("INVALID_JSON")
    );
    // Far past the limit, no stack overflow: the parser stops at the limit.
    for deep in [
        format!("{}{}", "[".repeat(10_000), "]".repeat(10_000)),
        "{\"a\":".repeat(10_000),
        "[".repeat(1_000_000),
    ] {
        assert_eq!(code(parse_event(deep.as_bytes())), Err("INVALID_JSON"));
    }
}
