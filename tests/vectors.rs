#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]
//! The data-file vectors in tests/vectors/, natively. The JS tests read the same files.

use elenik_webhooks::{parse_event, parse_signature_header, sign, verify, EventKind, Verifier};
use hmac::{Hmac, KeyInit, Mac};
use serde::Deserialize;
use serde_json::Value;
use sha2::Sha256;

fn hex(text: &str) -> Vec<u8> {
    hex::decode(text).unwrap_or_else(|e| panic!("bad hex in a vector file: {e}"))
}

#[derive(Deserialize)]
struct Rfc4231 {
    vectors: Vec<RfcVector>,
}

#[derive(Deserialize)]
struct RfcVector {
    name: String,
    key_hex: String,
    data_hex: String,
    mac_hex: String,
    truncated_bytes: Option<usize>,
}

#[test]
fn rfc4231_hmac_sha256() {
    let file: Rfc4231 = serde_json::from_str(include_str!("vectors/rfc4231.json")).unwrap();
    assert_eq!(file.vectors.len(), 7);
    for v in &file.vectors {
        let header = sign(&hex(&v.data_hex), &hex(&v.key_hex)).unwrap();
        let digest = header.strip_prefix("sha256=").unwrap();
        let expected_len = v.truncated_bytes.map_or(64, |n| n * 2);
        assert_eq!(&digest[..expected_len], v.mac_hex, "{}", v.name);
        if v.truncated_bytes.is_none() {
            verify(
                &hex(&v.data_hex),
                &format!("sha256={}", v.mac_hex),
                &hex(&v.key_hex),
            )
            .unwrap_or_else(|e| panic!("{}: {e}", v.name));
        }
    }
    // The RustCrypto hmac used directly agrees too (the crate adds no transformation).
    let v = &file.vectors[0];
    let mut mac = Hmac::<Sha256>::new_from_slice(&hex(&v.key_hex)).unwrap();
    mac.update(&hex(&v.data_hex));
    assert_eq!(hex::encode(mac.finalize().into_bytes()), v.mac_hex);
}

#[derive(Deserialize)]
struct Signatures {
    vectors: Vec<SignatureVector>,
}

#[derive(Deserialize)]
struct SignatureVector {
    name: String,
    payload_utf8: Option<String>,
    payload_hex: Option<String>,
    secret_utf8: Option<String>,
    secret_hex: Option<String>,
    header: String,
}

fn text_or_hex(text: &Option<String>, hex_text: &Option<String>) -> Vec<u8> {
    match (text, hex_text) {
        (Some(text), _) => text.as_bytes().to_vec(),
        (None, Some(h)) => hex(h),
        (None, None) => panic!("vector without a value"),
    }
}

#[test]
fn signatures_match_node_crypto() {
    let file: Signatures = serde_json::from_str(include_str!("vectors/signatures.json")).unwrap();
    assert!(file.vectors.len() >= 7);
    for v in &file.vectors {
        let payload = text_or_hex(&v.payload_utf8, &v.payload_hex);
        let secret = text_or_hex(&v.secret_utf8, &v.secret_hex);
        assert_eq!(sign(&payload, &secret).unwrap(), v.header, "{}", v.name);
        verify(&payload, &v.header, &secret).unwrap_or_else(|e| panic!("{}: {e}", v.name));
        let mut tampered = payload.clone();
        tampered.push(b' ');
        assert!(verify(&tampered, &v.header, &secret).is_err(), "{}", v.name);
    }
}

#[derive(Deserialize)]
struct Headers {
    payload: String,
    secret: String,
    other: String,
    vectors: Vec<HeaderVector>,
}

#[derive(Deserialize)]
struct HeaderVector {
    name: String,
    header: Option<String>,
    header_repeat: Option<Repeat>,
    header_pad: Option<Pad>,
    expect: String,
}

#[derive(Deserialize)]
struct Repeat {
    part: String,
    times: usize,
    first: Option<String>,
    then: Option<String>,
}

#[derive(Deserialize)]
struct Pad {
    header: String,
    to: usize,
}

/// Expands a header vector the way tests/vectors/expand.mjs does.
fn expand(v: &HeaderVector, sig: &str, other: &str) -> String {
    let fill = |t: &str| {
        t.replace("{sig_short}", &sig[1..])
            .replace("{sig}", sig)
            .replace("{SIG}", &sig.to_uppercase())
            .replace("{other}", other)
    };
    if let Some(h) = &v.header {
        return fill(h);
    }
    if let Some(r) = &v.header_repeat {
        let mut parts: Vec<String> = Vec::new();
        parts.extend(r.first.iter().map(|f| fill(f)));
        parts.extend(std::iter::repeat_n(fill(&r.part), r.times));
        parts.extend(r.then.iter().map(|t| fill(t)));
        return parts.join(",");
    }
    let pad = v
        .header_pad
        .as_ref()
        .expect("a header, header_repeat or header_pad");
    let header = fill(&pad.header);
    format!("{}{header}", " ".repeat(pad.to - header.len()))
}

#[test]
fn header_variants() {
    let file: Headers = serde_json::from_str(include_str!("vectors/headers.json")).unwrap();
    let signed = sign(file.payload.as_bytes(), file.secret.as_bytes()).unwrap();
    let sig = signed.strip_prefix("sha256=").unwrap();
    let verifier = Verifier::new(&[&file.secret]).unwrap();
    for v in &file.vectors {
        let header = expand(v, sig, &file.other);
        let outcome = verifier
            .verify(file.payload.as_bytes(), &header)
            .map(|_| "valid")
            .unwrap_or_else(|e| e.code());
        assert_eq!(outcome, v.expect, "{}", v.name);
        if v.expect == "MALFORMED_SIGNATURE" || v.expect == "UNSUPPORTED_ALGORITHM" {
            // Rejected by the parser alone, before any hashing.
            assert!(parse_signature_header(&header).is_err(), "{}", v.name);
        }
    }
}

#[derive(Deserialize)]
struct Events {
    valid: Vec<ValidEvent>,
    invalid: Vec<InvalidEvent>,
}

#[derive(Deserialize)]
struct ValidEvent {
    name: String,
    kind: String,
    body: String,
}

#[derive(Deserialize)]
struct InvalidEvent {
    name: String,
    body: Option<String>,
    body_hex: Option<String>,
    body_nested: Option<usize>,
    code: String,
    path: Option<String>,
}

#[test]
fn events() {
    let file: Events = serde_json::from_str(include_str!("vectors/events.json")).unwrap();
    for v in &file.valid {
        let event = parse_event(v.body.as_bytes()).unwrap_or_else(|e| panic!("{}: {e}", v.name));
        let kind = match event.kind() {
            EventKind::TaskComplete => "task_complete",
            EventKind::PaymentVerified => "payment_verified",
            EventKind::UserSignup => "user_signup",
            EventKind::SubscriptionPaid => "subscription_paid",
            _ => "unknown",
        };
        assert_eq!(kind, v.kind, "{}", v.name);
        let plain: Value = serde_json::from_str(&v.body).unwrap();
        assert_eq!(
            event.into_json(),
            plain,
            "{}: nothing dropped or renamed",
            v.name
        );
    }
    for v in &file.invalid {
        let body = match (&v.body, &v.body_hex, v.body_nested) {
            (Some(b), _, _) => b.as_bytes().to_vec(),
            (_, Some(h), _) => hex(h),
            (_, _, Some(depth)) => {
                format!("{}{}", "[".repeat(depth), "]".repeat(depth)).into_bytes()
            }
            _ => panic!("{}: no body", v.name),
        };
        let error = parse_event(&body).expect_err(&v.name);
        assert_eq!(error.code(), v.code, "{}: {error}", v.name);
        if let Some(path) = &v.path {
            assert!(
                error.to_string().contains(&format!("`{path}`")),
                "{}: {error}",
                v.name
            );
        }
    }
}
