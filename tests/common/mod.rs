//! The binding layer inside Wasm: one suite, run by tests/node.rs under Node.js and by
//! tests/browser.rs in headless Chromium. It drives the raw exports of `src/bindings/` as the
//! package's JS glue does: bytes written into Wasm memory from JS (a `Uint8Array` over
//! `WebAssembly.Memory`) at the addresses the exports give, numbers in, numbers and text out.

use elenik_webhooks::bindings::{
    begin, constants, data, derive, finish_digest, finish_sign, finish_verify, header, keys, out,
    out_len, secret_count, signatures, update, validate_event, verify, verify_event, wipe, CHUNK,
    HEADER_MISSING, HEADER_PARSED, HEADER_TOO_LONG,
};
use elenik_webhooks::{sign, Error, ERRORS};
use js_sys::{Uint8Array, WebAssembly};
use wasm_bindgen::JsCast;
use wasm_bindgen_test::wasm_bindgen_test;

const BODY: &str =
    r#"{"event":"payment_verified","data":{"user_id":"u_1","amount":49.99,"currency":"USD"}}"#;
const SECRET: &str = "wasm-test-secret";

fn memory() -> Uint8Array {
    let memory: WebAssembly::Memory = wasm_bindgen::memory().unchecked_into();
    Uint8Array::new(&memory.buffer())
}

/// Writes `bytes` at `at`, from JS, as the glue does.
fn write(at: u32, bytes: &[u8]) {
    memory().set(&Uint8Array::from(bytes), at);
}

fn read(at: u32, len: u32) -> Vec<u8> {
    memory().subarray(at, at + len).to_vec()
}

fn out_text() -> String {
    String::from_utf8(read(out(), out_len())).unwrap()
}

/// The error code a negative answer stands for.
fn code(answer: i32) -> &'static str {
    assert!(answer < 0, "expected an error, got {answer}");
    ERRORS[(-1 - answer) as usize].code
}

/// The key state of each secret into the key slots, as `deriveKeys` in the glue does.
fn derive_keys(secrets: &[&str]) {
    assert_eq!(secret_count(secrets.len() as u32), 0);
    for (slot, secret) in secrets.iter().enumerate() {
        write(data(secret.len() as u32), secret.as_bytes());
        assert_eq!(derive(secret.len() as u32, slot as u32), 0);
    }
}

fn write_header(text: &str) -> i32 {
    write(header(), text.as_bytes());
    text.len() as i32
}

#[wasm_bindgen_test]
fn verify_matches_the_core_and_reports_the_matching_secret() {
    let signed = sign(BODY.as_bytes(), SECRET.as_bytes()).unwrap();
    derive_keys(&["old-secret", SECRET]);
    let header_len = write_header(&signed);
    write(data(0), BODY.as_bytes());
    assert_eq!(verify(2, BODY.len() as u32, header_len), 1);

    derive_keys(&["old-secret"]);
    assert_eq!(signatures(write_header(&signed)), 0);
    write(data(0), BODY.as_bytes());
    let answer = verify(1, BODY.len() as u32, HEADER_PARSED);
    assert_eq!(code(answer), "SIGNATURE_MISMATCH");
    assert!(out_text().starts_with("signature mismatch"));
}

#[wasm_bindgen_test]
fn verify_reports_a_bad_header_and_wipes_the_key_slots() {
    derive_keys(&[SECRET, "another"]);
    write(data(0), BODY.as_bytes());
    assert_eq!(
        code(verify(2, BODY.len() as u32, write_header("sha1=abcd"))),
        "UNSUPPORTED_ALGORITHM"
    );
    assert!(
        read(keys(), 128).iter().all(|&b| b == 0),
        "the key slots are wiped"
    );
    derive_keys(&[SECRET]);
    assert_eq!(
        code(verify(1, BODY.len() as u32, HEADER_MISSING)),
        "MISSING_SIGNATURE"
    );
    derive_keys(&[SECRET]);
    assert_eq!(
        code(verify(1, BODY.len() as u32, HEADER_TOO_LONG)),
        "MALFORMED_SIGNATURE"
    );
    // A failed parse leaves no earlier header for HEADER_PARSED to use.
    derive_keys(&[SECRET]);
    assert_eq!(
        code(verify(1, BODY.len() as u32, HEADER_PARSED)),
        "MISSING_SIGNATURE"
    );
}

#[wasm_bindgen_test]
fn a_body_fed_in_pieces_hashes_as_one() {
    let body = "é😀x".repeat(40_000); // over two pieces of CHUNK bytes
    assert!(body.len() > 2 * CHUNK);
    derive_keys(&[SECRET]);
    begin(1);
    for piece in body.as_bytes().chunks(CHUNK) {
        write(data(0), piece);
        update(piece.len() as u32);
    }
    assert_eq!(finish_sign(), 0);
    let signed = sign(body.as_bytes(), SECRET.as_bytes()).unwrap();
    assert_eq!(out_text(), signed);

    derive_keys(&["other", SECRET]);
    assert_eq!(signatures(write_header(&signed)), 0);
    begin(2);
    for piece in body.as_bytes().chunks(CHUNK) {
        write(data(0), piece);
        update(piece.len() as u32);
    }
    assert_eq!(finish_verify(), 1);

    begin(0);
    write(data(0), b"abc");
    update(3);
    assert_eq!(finish_digest(), 0);
    assert_eq!(out_text(), elenik_webhooks::delivery_key(b"abc"));
}

#[wasm_bindgen_test]
fn key_material_is_wiped_from_wasm_memory() {
    derive_keys(&[SECRET, "another"]);
    assert!(
        read(keys(), 128).iter().any(|&b| b != 0),
        "the key slots hold the states"
    );
    assert!(
        read(data(0), SECRET.len() as u32).iter().all(|&b| b == 0),
        "derive wipes the secret"
    );
    begin(2);
    assert!(
        read(keys(), 128).iter().all(|&b| b == 0),
        "begin wipes the key slots"
    );
    assert_eq!(finish_sign(), 0);
    derive_keys(&[SECRET]);
    wipe();
    assert!(
        read(keys(), 64).iter().all(|&b| b == 0),
        "wipe clears the slots"
    );
}

#[wasm_bindgen_test]
fn header_problems_come_back_as_typed_errors() {
    assert_eq!(code(signatures(HEADER_MISSING)), "MISSING_SIGNATURE");
    assert_eq!(code(signatures(HEADER_TOO_LONG)), "MALFORMED_SIGNATURE");
    assert!(out_text().contains("longer than 4096 bytes"));
    assert_eq!(
        code(signatures(write_header("sha1=00"))),
        "UNSUPPORTED_ALGORITHM"
    );
    assert_eq!(
        code(signatures(write_header("sha256=zz"))),
        "MALFORMED_SIGNATURE"
    );
    let nine = vec![format!("sha256={}", "a".repeat(64)); 9].join(",");
    assert_eq!(code(signatures(write_header(&nine))), "MALFORMED_SIGNATURE");
}

#[wasm_bindgen_test]
fn secrets_are_checked_by_the_core() {
    assert_eq!(code(secret_count(0)), "INVALID_SECRET");
    assert_eq!(code(secret_count(17)), "INVALID_SECRET");
    assert_eq!(code(derive(0, 0)), "INVALID_SECRET");
    assert!(out_text().contains("the secret is empty"));
    assert_eq!(code(secret_count(u32::MAX)), "INVALID_SECRET");
    assert_eq!(
        out_text(),
        "invalid secret: pass 1 to 16 secrets, not 4294967295"
    );
}

#[wasm_bindgen_test]
fn verify_event_verifies_validates_and_keys_in_one_call() {
    let signed = sign(BODY.as_bytes(), SECRET.as_bytes()).unwrap();
    derive_keys(&["old-secret", SECRET]);
    let header_len = write_header(&signed);
    write(data(0), BODY.as_bytes());
    assert_eq!(verify_event(2, BODY.len() as u32, header_len, 1), 1);
    assert_eq!(out_text(), elenik_webhooks::delivery_key(BODY.as_bytes()));
    assert!(
        read(keys(), 128).iter().all(|&b| b == 0),
        "the key slots are wiped"
    );

    // Without a key, `out` is left as it was.
    derive_keys(&[SECRET]);
    assert_eq!(constants(), 0);
    let before = out_text();
    write(data(0), BODY.as_bytes());
    assert_eq!(verify_event(1, BODY.len() as u32, header_len, 0), 0);
    assert_eq!(out_text(), before);

    // A wrong signature, then an invalid event: the first error, and no key.
    derive_keys(&["old-secret"]);
    assert_eq!(
        code(verify_event(1, BODY.len() as u32, header_len, 1)),
        "SIGNATURE_MISMATCH"
    );
    let bad = r#"{"event":"payment_verified","data":{}}"#;
    derive_keys(&[SECRET]);
    let header_len = write_header(&sign(bad.as_bytes(), SECRET.as_bytes()).unwrap());
    write(data(0), bad.as_bytes());
    assert_eq!(
        code(verify_event(1, bad.len() as u32, header_len, 1)),
        "INVALID_EVENT"
    );
}

#[wasm_bindgen_test]
fn validate_event_names_the_offending_path() {
    let bad =
        r#"{"event":"payment_verified","data":{"user_id":"u","amount":"1","currency":"USD"}}"#;
    write(data(bad.len() as u32), bad.as_bytes());
    assert_eq!(code(validate_event(bad.len() as u32)), "INVALID_EVENT");
    assert!(out_text().contains("data.amount"));
    write(data(3), &[b'{', 0xff, b'}']);
    assert_eq!(code(validate_event(3)), "INVALID_JSON");
    write(data(0), BODY.as_bytes());
    assert_eq!(validate_event(BODY.len() as u32), 0);
}

#[wasm_bindgen_test]
fn constants_come_from_the_core() {
    assert_eq!(constants(), 0);
    let text = out_text();
    let parts: Vec<&str> = text.split('\t').collect();
    assert_eq!(parts[0], "x-elenik-signature");
    assert_eq!(parts[1].split(',').count(), 4);
    assert!(parts[2].contains("PAYLOAD_TOO_LARGE=413"));
    assert_eq!(parts[2].split(',').count(), Error::CODES.len());
    let abi: Vec<&str> = parts[3].split(',').collect();
    assert!(abi.contains(&format!("CHUNK={CHUNK}").as_str()));
    assert!(abi.contains(&"MAX_SECRETS=16"));
    assert!(abi.contains(&"MAX_HEADER_BYTES=4096"));
    assert!(abi.contains(&format!("HEADER_MISSING={HEADER_MISSING}").as_str()));
    assert!(abi.contains(&format!("HEADER_PARSED={HEADER_PARSED}").as_str()));
}
