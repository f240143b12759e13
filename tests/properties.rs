//! Property tests: what must hold for every body, secret and header, not just the vectors.
#![cfg(not(target_arch = "wasm32"))]
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

use elenik_webhooks::{
    construct_event, parse_event, parse_event_with_serde_json, parse_signature_header, sign,
    verify, Error, Verifier, MAX_HEADER_BYTES, MAX_SIGNATURES,
};
use proptest::prelude::*;

fn body() -> impl Strategy<Value = Vec<u8>> {
    proptest::collection::vec(any::<u8>(), 0..2048)
}

fn secret() -> impl Strategy<Value = Vec<u8>> {
    // Up to 200 bytes: past SHA-256's 64-byte block, where HMAC hashes the key first.
    proptest::collection::vec(any::<u8>(), 1..200)
}

fn digest_of(header: &str) -> Vec<u8> {
    hex::decode(header.strip_prefix("sha256=").unwrap()).unwrap()
}

fn header_of(digest: &[u8]) -> String {
    format!("sha256={}", hex::encode(digest))
}

fn flip(bytes: &mut [u8], bit: usize) {
    bytes[bit / 8] ^= 1 << (bit % 8);
}

/// Header-shaped text: pieces of the grammar (prefixes, hex, commas, whitespace) mixed with noise,
/// so the parser's interesting paths are reached far more often than by uniform strings.
fn header_text() -> impl Strategy<Value = String> {
    let piece = prop_oneof![
        Just("sha256=".to_owned()),
        Just("SHA256 = ".to_owned()),
        Just("sha1=".to_owned()),
        Just("=".to_owned()),
        Just(",".to_owned()),
        Just(" \t".to_owned()),
        "[0-9a-fA-F]{64}",
        "[0-9a-fA-F]{0,70}",
        "[a-z0-9_-]{0,20}=",
        any::<String>(),
    ];
    proptest::collection::vec(piece, 0..24).prop_map(|pieces| pieces.concat())
}

/// JSON-shaped text: envelopes of the known and unknown kinds with arbitrary values, plus noise.
fn event_text() -> impl Strategy<Value = String> {
    let scalar = prop_oneof![
        Just("null".to_owned()),
        Just("true".to_owned()),
        any::<i64>().prop_map(|n| n.to_string()),
        any::<f64>().prop_map(|n| format!("{n:e}")),
        "\"[a-zA-Z0-9_ ]{0,8}\"",
        Just("\"USD\"".to_owned()),
        Just("\"\\ud800\"".to_owned()),
    ];
    let value = scalar.prop_recursive(4, 32, 4, |inner| {
        prop_oneof![
            proptest::collection::vec(inner.clone(), 0..4)
                .prop_map(|items| format!("[{}]", items.join(","))),
            proptest::collection::vec(("[a-z_]{1,10}", inner), 0..4).prop_map(|fields| {
                let fields: Vec<String> =
                    fields.iter().map(|(k, v)| format!("\"{k}\":{v}")).collect();
                format!("{{{}}}", fields.join(","))
            }),
        ]
    });
    let kind = prop_oneof![
        Just("task_complete"),
        Just("payment_verified"),
        Just("user_signup"),
        Just("subscription_paid"),
        Just("other"),
    ];
    let fields = proptest::collection::vec(
        (
            prop_oneof![
                Just("task_id"),
                Just("status"),
                Just("created_at"),
                Just("user_id"),
                Just("amount"),
                Just("currency"),
            ],
            value.clone(),
        ),
        0..6,
    );
    prop_oneof![
        (kind, fields).prop_map(|(kind, fields)| {
            let fields: Vec<String> = fields.iter().map(|(k, v)| format!("\"{k}\":{v}")).collect();
            format!("{{\"event\":\"{kind}\",\"data\":{{{}}}}}", fields.join(","))
        }),
        value,
        any::<String>(),
    ]
}

/// JSON pieces for the scanner's differential test: every token kind, the escapes and surrogate
/// cases serde_json refuses, numbers at the edges of its `u64`/`f64` arithmetic, and the keys the
/// envelope cares about (also escaped), so duplicates and events turn up often.
fn json_token() -> impl Strategy<Value = String> {
    let fixed = prop_oneof![
        Just("{"),
        Just("}"),
        Just("["),
        Just("]"),
        Just(","),
        Just(":"),
        Just(" "),
        Just("\n"),
        Just("\"event\""),
        Just("\"data\""),
        Just("\"\\u0064ata\""),
        Just("\"ev\\u0065nt\""),
        Just("\"task_complete\""),
        Just("\"task\\u005fcomplete\""),
        Just("\"user_signup\""),
        Just("\"payment_verified\""),
        Just("\"user_id\""),
        Just("\"amount\""),
        Just("\"currency\""),
        Just("\"created_at\""),
        Just("\"task_id\""),
        Just("\"status\""),
        Just("\"USD\""),
        Just("\"\\u0055SD\""),
        Just("\"US\""),
        Just("\"\""),
        Just("\"a\""),
        Just("\"\\ud83d\\ude80\""),
        Just("\"\\ud800\""),
        Just("\"\\udc00\""),
        Just("\"\\ud800\\u0041\""),
        Just("\"\\ud800x\""),
        Just("\"\\x\""),
        Just("\"\\u12\""),
        Just("\"\t\""),
        Just("\"é🚀\""),
        Just("\"\\/\\b\\f\\n\\r\\t\\\"\\\\\""),
        Just("null"),
        Just("true"),
        Just("false"),
        Just("nul"),
        Just("tru"),
        Just("nulll"),
        Just("0"),
        Just("-0"),
        Just("01"),
        Just("-"),
        Just("1."),
        Just("1.5"),
        Just("1e"),
        Just("1e+"),
        Just("1E-2"),
        Just("9007199254740991"),
        Just("9007199254740992"),
        Just("18446744073709551615"),
        Just("18446744073709551616"),
        Just("-9223372036854775809"),
        Just("1e308"),
        Just("1.7976931348623157e308"),
        Just("1.7976931348623159e308"),
        Just("2e308"),
        Just("1e309"),
        Just("0e999999"),
        Just("1e2147483648"),
        Just("0e2147483648"),
        Just("1e-2147483648"),
        Just("1e-400"),
        Just("184467440737095516150.0e289"),
        Just("17976931348623157000000e286"),
        Just("0.000000000000000000001e330"),
    ];
    prop_oneof![
        8 => fixed.prop_map(str::to_owned),
        1 => any::<u64>().prop_map(|n| n.to_string()),
        1 => (1u64..u64::MAX, 280i32..320).prop_map(|(m, e)| format!("{m}e{e}")),
        1 => "[ -~]{0,3}",
    ]
}

/// The scan and the strict serde_json visitor it replaced give the same outcome: the same event,
/// or errors of the same code (and the same message for event errors, which name the path).
fn same_outcome(body: &[u8]) -> Result<(), TestCaseError> {
    match (parse_event(body), parse_event_with_serde_json(body)) {
        (Ok(ours), Ok(reference)) => prop_assert_eq!(ours, reference),
        (Err(ours), Err(reference)) => {
            prop_assert_eq!(ours.code(), reference.code(), "{} / {}", ours, reference);
            if reference.code() == "INVALID_EVENT" {
                prop_assert_eq!(ours.to_string(), reference.to_string());
            }
            prop_assert_eq!(
                ours.to_string().contains("duplicate key"),
                reference.to_string().contains("duplicate key"),
                "{} / {}",
                ours,
                reference
            );
        }
        (ours, reference) => prop_assert!(false, "scan {:?}, serde_json {:?}", ours, reference),
    }
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(4096))]

    #[test]
    fn scan_agrees_with_serde_json_on_token_soup(
        tokens in proptest::collection::vec(json_token(), 0..24)
    ) {
        same_outcome(tokens.concat().as_bytes())?;
    }

    #[test]
    fn scan_agrees_with_serde_json_on_events(
        text in event_text(),
        cut in any::<prop::sample::Index>(),
        token in json_token(),
    ) {
        same_outcome(text.as_bytes())?;
        // The same event with a token spliced in somewhere: mostly broken, sometimes still valid.
        let at = cut.index(text.len() + 1);
        let at = (0..=at).rev().find(|&i| text.is_char_boundary(i)).unwrap_or(0);
        same_outcome(format!("{}{}{}", &text[..at], token, &text[at..]).as_bytes())?;
        same_outcome(&text.as_bytes()[..at])?;
    }

    #[test]
    fn scan_agrees_with_serde_json_on_large_objects(
        keys in proptest::collection::vec((0u32..48, any::<bool>()), 0..40),
        nested in any::<bool>(),
    ) {
        // Past 16 keys the scan finds duplicates by sorting: escaped and plain spellings mixed.
        let members: Vec<String> = keys
            .iter()
            .map(|&(k, escape)| match escape {
                true => format!("\"\\u006b{k}\":{k}"),
                false => format!("\"k{k}\":{k}"),
            })
            .collect();
        let object = format!("{{{}}}", members.join(","));
        let body = match nested {
            true => format!("{{\"event\":\"a\",\"data\":{{\"x\":[{object}]}}}}"),
            false => object,
        };
        same_outcome(body.as_bytes())?;
    }

    #[test]
    fn scan_agrees_with_serde_json_on_bytes(bytes in proptest::collection::vec(any::<u8>(), 0..64)) {
        same_outcome(&bytes)?;
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]

    /// The crate's HMAC (RFC 2104 over sha2's SHA-256, src/mac.rs) against RustCrypto's
    /// `hmac`, for every body length and key length around SHA-256's 64-byte block.
    #[test]
    fn sign_agrees_with_rustcrypto_hmac(body in body(), secret in secret()) {
        use hmac::{Hmac, KeyInit, Mac};
        let mut mac = Hmac::<sha2::Sha256>::new_from_slice(&secret).unwrap();
        mac.update(&body);
        prop_assert_eq!(sign(&body, &secret).unwrap(), header_of(&mac.finalize().into_bytes()));
    }

    #[test]
    fn sign_then_verify_round_trips(body in body(), secret in secret()) {
        let header = sign(&body, &secret).unwrap();
        prop_assert_eq!(verify(&body, &header, &secret), Ok(()));
        let verifier = Verifier::new(&[&secret]).unwrap();
        prop_assert_eq!(verifier.sign(&body), header.clone());
        prop_assert_eq!(verifier.verify(&body, &header.to_uppercase()), Ok(0));
    }

    #[test]
    fn a_flipped_body_bit_fails(body in proptest::collection::vec(any::<u8>(), 1..2048),
                                secret in secret(), bit in any::<prop::sample::Index>()) {
        let header = sign(&body, &secret).unwrap();
        let mut tampered = body.clone();
        flip(&mut tampered, bit.index(body.len() * 8));
        prop_assert_eq!(verify(&tampered, &header, &secret), Err(Error::SignatureMismatch));
    }

    #[test]
    fn a_flipped_signature_bit_fails(body in body(), secret in secret(), bit in 0usize..256) {
        let mut digest = digest_of(&sign(&body, &secret).unwrap());
        flip(&mut digest, bit);
        prop_assert_eq!(verify(&body, &header_of(&digest), &secret), Err(Error::SignatureMismatch));
    }

    #[test]
    fn a_flipped_secret_bit_fails(body in body(), secret in secret(),
                                  bit in any::<prop::sample::Index>()) {
        let header = sign(&body, &secret).unwrap();
        let mut other = secret.clone();
        flip(&mut other, bit.index(secret.len() * 8));
        // HMAC zero-pads short keys, so `k` and `k || 0x00` are one key; a bit flip keeps the
        // length and changes a byte, so it always gives a different key.
        prop_assert_eq!(verify(&body, &header, &other), Err(Error::SignatureMismatch));
    }

    #[test]
    fn any_one_of_several_signatures_passes(body in body(), secret in secret(),
                                            others in proptest::collection::vec(any::<[u8; 32]>(), 0..MAX_SIGNATURES),
                                            at in any::<prop::sample::Index>()) {
        let good = sign(&body, &secret).unwrap();
        let mut parts: Vec<String> = others.iter().map(|d| header_of(d)).collect();
        parts.insert(at.index(parts.len() + 1), good);
        prop_assert_eq!(verify(&body, &parts.join(", "), &secret), Ok(()));
    }

    #[test]
    fn header_parser_never_panics(header in header_text()) {
        match parse_signature_header(&header) {
            Ok(parsed) => {
                prop_assert!(header.len() <= MAX_HEADER_BYTES);
                prop_assert!((1..=MAX_SIGNATURES).contains(&parsed.digests().len()));
            }
            Err(e) => prop_assert!(matches!(
                e.code(),
                "MISSING_SIGNATURE" | "MALFORMED_SIGNATURE" | "UNSUPPORTED_ALGORITHM"
            )),
        }
    }

    #[test]
    fn verify_never_panics(body in body(), header in header_text(),
                           secrets in proptest::collection::vec(
                               proptest::collection::vec(any::<u8>(), 0..80), 0..20)) {
        match Verifier::new(&secrets) {
            Ok(verifier) => {
                match verifier.verify(&body, &header) {
                    Ok(index) => prop_assert_eq!(verify(&body, &header, &secrets[index]), Ok(())),
                    Err(e) => prop_assert!(matches!(
                        e.code(),
                        "MISSING_SIGNATURE" | "MALFORMED_SIGNATURE" | "UNSUPPORTED_ALGORITHM"
                            | "SIGNATURE_MISMATCH"
                    )),
                }
            }
            Err(e) => {
                prop_assert_eq!(e.code(), "INVALID_SECRET");
                prop_assert!(secrets.is_empty() || secrets.len() > 16 || secrets.iter().any(Vec::is_empty));
            }
        }
    }

    #[test]
    fn event_parser_never_panics(text in event_text()) {
        match parse_event(text.as_bytes()) {
            // Nothing dropped or renamed: the event is the JSON as any parser reads it.
            Ok(event) => prop_assert_eq!(
                event.into_json(),
                serde_json::from_str::<serde_json::Value>(&text).unwrap()
            ),
            Err(e) => prop_assert!(matches!(e.code(), "INVALID_JSON" | "INVALID_EVENT")),
        }
    }

    #[test]
    fn event_parser_never_panics_on_bytes(bytes in proptest::collection::vec(any::<u8>(), 0..512)) {
        if let Err(e) = parse_event(&bytes) {
            prop_assert!(matches!(e.code(), "INVALID_JSON" | "INVALID_EVENT"));
        }
    }

    #[test]
    fn construct_event_agrees_with_its_parts(text in event_text(), secret in secret()) {
        let verifier = Verifier::new(&[&secret]).unwrap();
        let header = sign(text.as_bytes(), &secret).unwrap();
        prop_assert_eq!(
            construct_event(&verifier, text.as_bytes(), &header),
            parse_event(text.as_bytes())
        );
        prop_assert_eq!(
            construct_event(&verifier, text.as_bytes(), &header_of(&[0; 32])),
            Err(Error::SignatureMismatch)
        );
    }
}
