//! No secret and no expected signature in any error message or `Debug` output, natively (the JS
//! suite's `secrets.test.mjs` checks the package's errors, logs and Wasm memory).
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

use elenik_webhooks::{
    construct_event, parse_signature_header, sign, verify, Error, Verifier, MAX_SECRETS,
};

const SECRET: &str = "whsec-native-secret-do-not-print";
const BODY: &[u8] = br#"{"event":"user_signup","data":{"user_id":"u_1"}}"#;

#[test]
fn no_secret_in_errors_or_debug_output() {
    let expected = sign(BODY, SECRET.as_bytes()).unwrap();
    let hex = expected.trim_start_matches("sha256=").to_owned();
    let verifier = Verifier::new(&[SECRET, "second"]).unwrap();
    let signed = |body: &[u8]| sign(body, SECRET.as_bytes()).unwrap();
    let mut errors: Vec<Error> = vec![
        verify(
            BODY,
            &format!("sha256={}", "0".repeat(64)),
            SECRET.as_bytes(),
        )
        .unwrap_err(),
        verify(BODY, "sha256=zz", SECRET.as_bytes()).unwrap_err(),
        verify(BODY, &format!("sha1={}", "0".repeat(40)), SECRET.as_bytes()).unwrap_err(),
        verify(BODY, "", SECRET.as_bytes()).unwrap_err(),
        verify(BODY, &" ".repeat(5000), SECRET.as_bytes()).unwrap_err(),
        Verifier::new(&[SECRET, ""]).unwrap_err(),
        Verifier::new(&[SECRET; MAX_SECRETS + 1]).unwrap_err(),
        construct_event(&verifier, b"{\"event\":1", &signed(b"{\"event\":1")).unwrap_err(),
    ];
    let invalid =
        br#"{"event":"payment_verified","data":{"user_id":"u","amount":1,"currency":"usd"}}"#;
    errors.push(construct_event(&verifier, invalid, &signed(invalid)).unwrap_err());
    let mut shown = vec![
        format!("{verifier:?}"),
        format!("{:?}", parse_signature_header(&expected).unwrap()),
    ];
    for error in &errors {
        shown.push(error.to_string());
        shown.push(format!("{error:?}"));
        shown.push(format!("{error:#?}"));
    }
    let codes: std::collections::BTreeSet<_> = errors.iter().map(Error::code).collect();
    assert!(codes.len() >= 6, "{codes:?}");
    for text in &shown {
        assert!(!text.contains(SECRET), "secret in {text}");
        assert!(
            !text.to_lowercase().contains(&hex),
            "expected signature in {text}"
        );
    }
}
