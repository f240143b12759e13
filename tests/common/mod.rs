//! The binding layer inside Wasm: one suite, run by tests/node.rs under Node.js and by
//! tests/browser.rs in headless Chromium.

use elenik_webhooks::bindings::{
    construct_event, error_codes, event_types, export_error_class, parse_event, sign, verify,
    JsVerifier,
};
use js_sys::{Array, ArrayBuffer, DataView, Function, Object, Reflect, Uint8Array, JSON};
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_test::wasm_bindgen_test;

const BODY: &str =
    r#"{"event":"payment_verified","data":{"user_id":"u_1","amount":49.99,"currency":"USD"}}"#;
const SECRET: &str = "wasm-test-secret";

fn s(text: &str) -> JsValue {
    JsValue::from_str(text)
}

fn header() -> JsValue {
    s(&sign(s(BODY), s(SECRET)).unwrap())
}

fn js(source: &str) -> Function {
    Function::new_with_args("a", source)
}

fn field(value: &JsValue, name: &str) -> JsValue {
    Reflect::get(value, &s(name)).unwrap()
}

fn assert_verification_error(error: &JsValue, code: &str) {
    assert!(
        error.is_instance_of::<js_sys::Error>(),
        "a real Error, with a stack"
    );
    assert!(
        js("return a instanceof this")
            .call1(&export_error_class(), error)
            .unwrap()
            .is_truthy(),
        "instanceof WebhookVerificationError"
    );
    assert_eq!(field(error, "name"), "WebhookVerificationError");
    assert_eq!(field(error, "code"), code);
    let message = field(error, "message").as_string().unwrap();
    assert!(
        !message.contains(SECRET),
        "the message must not reveal the secret"
    );
}

#[wasm_bindgen_test]
fn every_payload_kind_verifies() {
    let bytes = Uint8Array::from(BODY.as_bytes());
    let padded = Uint8Array::new_with_length(BODY.len() as u32 + 8);
    padded.set(&bytes, 4);
    let buffer: ArrayBuffer = padded.buffer();
    let payloads: [JsValue; 4] = [
        s(BODY),
        bytes.clone().into(),
        Uint8Array::new(&bytes).buffer().into(),
        DataView::new(&buffer, 4, BODY.len()).into(),
    ];
    for payload in payloads {
        assert_eq!(verify(payload, header(), s(SECRET)), Ok(true));
    }
    // A view means exactly its bytes: the padding around it changes the digest.
    assert_eq!(verify(buffer.into(), header(), s(SECRET)), Ok(false));
}

#[wasm_bindgen_test]
fn header_can_be_a_headers_object_or_a_record() {
    let fetch_headers = js("return new Headers({ 'X-Elenik-Signature': a })")
        .call1(&JsValue::NULL, &header())
        .unwrap();
    assert_eq!(verify(s(BODY), fetch_headers, s(SECRET)), Ok(true));
    let record = Object::new();
    Reflect::set(&record, &s("X-ELENIK-SIGNATURE"), &header()).unwrap();
    assert_eq!(verify(s(BODY), record.into(), s(SECRET)), Ok(true));
    let several = Object::new();
    let values = Array::of2(&s("sha1=ab"), &header());
    Reflect::set(&several, &s("x-elenik-signature"), &values).unwrap();
    assert_eq!(verify(s(BODY), several.into(), s(SECRET)), Ok(true));
    assert_eq!(verify(s(BODY), Object::new().into(), s(SECRET)), Ok(false));
    assert_eq!(verify(s(BODY), JsValue::UNDEFINED, s(SECRET)), Ok(false));
}

#[wasm_bindgen_test]
fn verify_throws_only_for_programming_errors() {
    let parsed = JSON::parse(BODY).unwrap();
    assert_verification_error(
        &verify(parsed, header(), s(SECRET)).unwrap_err(),
        "INVALID_PAYLOAD",
    );
    assert_verification_error(
        &verify(JsValue::NULL, header(), s(SECRET)).unwrap_err(),
        "INVALID_PAYLOAD",
    );
    assert_verification_error(
        &verify(s(BODY), header(), s("")).unwrap_err(),
        "INVALID_SECRET",
    );
    assert_verification_error(
        &verify(s(BODY), header(), JsValue::from(42)).unwrap_err(),
        "INVALID_SECRET",
    );
    for bad_header in ["", "sha1=00", "sha256=00", "sha256=zz"] {
        assert_eq!(
            verify(s(BODY), s(bad_header), s(SECRET)),
            Ok(false),
            "{bad_header}"
        );
    }
}

#[wasm_bindgen_test]
fn construct_event_returns_json_parse_of_the_body() {
    let event = construct_event(s(BODY), header(), s(SECRET)).unwrap();
    assert_eq!(
        JSON::stringify(&event).unwrap(),
        JSON::stringify(&JSON::parse(BODY).unwrap()).unwrap()
    );
    let error =
        construct_event(s(&BODY.replace("49.99", "4999")), header(), s(SECRET)).unwrap_err();
    assert_verification_error(&error, "SIGNATURE_MISMATCH");
    let error = construct_event(s(BODY), s("sha512=00"), s(SECRET)).unwrap_err();
    assert_verification_error(&error, "UNSUPPORTED_ALGORITHM");
}

#[wasm_bindgen_test]
fn parse_event_names_the_offending_path() {
    let error = parse_event(s(
        r#"{"event":"payment_verified","data":{"user_id":"u","amount":"1","currency":"USD"}}"#,
    ))
    .unwrap_err();
    assert_verification_error(&error, "INVALID_EVENT");
    assert!(field(&error, "message")
        .as_string()
        .unwrap()
        .contains("data.amount"));
    assert_verification_error(&parse_event(s("{")).unwrap_err(), "INVALID_JSON");
    let not_utf8 = Uint8Array::from(&[b'{', 0xff, b'}'][..]);
    assert_verification_error(&parse_event(not_utf8.into()).unwrap_err(), "INVALID_JSON");
}

#[wasm_bindgen_test]
fn verifier_rotates_secrets_and_never_throws_from_try_verify() {
    let verifier = JsVerifier::new(Array::of2(&s("old-secret"), &s(SECRET)).into()).unwrap();
    assert_eq!(verifier.secret_count(), 2);
    assert_eq!(verifier.verify(s(BODY), header()), Ok(true));
    let outcome = verifier.try_verify(s(BODY), header()).unwrap();
    assert_eq!(field(&outcome, "ok"), JsValue::TRUE);
    assert_eq!(field(&outcome, "secretIndex"), 1);
    let outcome = verifier.try_verify(JsValue::from(1), header()).unwrap();
    assert_eq!(field(&outcome, "ok"), JsValue::FALSE);
    assert_eq!(field(&outcome, "code"), "INVALID_PAYLOAD");
    let too_many = Array::new();
    for _ in 0..17 {
        too_many.push(&s("k"));
    }
    assert_verification_error(
        &JsVerifier::new(too_many.into()).err().unwrap(),
        "INVALID_SECRET",
    );
}

#[wasm_bindgen_test]
fn constants_come_from_the_core() {
    assert_eq!(event_types().length(), 4);
    assert_eq!(error_codes().length(), 9);
    assert!(error_codes().includes(&s("PAYLOAD_TOO_LARGE"), 0));
}

#[wasm_bindgen_test]
fn an_oversized_header_string_is_refused_without_hashing() {
    let long = format!("{}{}", " ".repeat(5000), header().as_string().unwrap());
    assert_eq!(verify(s(BODY), s(&long), s(SECRET)), Ok(false));
    let verifier = JsVerifier::new(s(SECRET)).unwrap();
    let outcome = verifier.try_verify(s(BODY), s(&long)).unwrap();
    assert_eq!(field(&outcome, "code"), "MALFORMED_SIGNATURE");
    let _ = JsValue::dyn_ref::<Object>(&outcome).unwrap();
}

#[wasm_bindgen_test]
fn explain_mismatch_uses_javascripts_own_json_forms() {
    use elenik_webhooks::bindings::diagnose::explain_mismatch;
    // Integer-like keys come first in JS objects and 1.0 prints as 1: only JSON.stringify itself
    // produces these bytes.
    let sent = r#"{ "event": "user_signup", "data": { "user_id": "u_1", "2": 1.0, "1": "x" } }"#;
    let compact = r#"{"event":"user_signup","data":{"1":"x","2":1,"user_id":"u_1"}}"#;
    let header = s(&sign(s(compact), s(SECRET)).unwrap());
    let bytes = Uint8Array::from(sent.as_bytes());
    for payload in [s(sent), bytes.into()] {
        let findings = explain_mismatch(payload, header.clone(), s(SECRET)).unwrap();
        let findings: &Array = findings.unchecked_ref();
        assert_eq!(findings.length(), 1);
        let finding = findings.get(0);
        assert_eq!(field(&finding, "code"), s("BODY_RESERIALIZED"));
        assert!(field(&finding, "message").is_string() && field(&finding, "fix").is_string());
    }
    let valid = explain_mismatch(s(compact), header.clone(), s(SECRET)).unwrap();
    assert_eq!(valid.unchecked_ref::<Array>().length(), 0);
    let parsed = JSON::parse(BODY).unwrap();
    let error = explain_mismatch(parsed, header.clone(), s(SECRET)).unwrap_err();
    assert_verification_error(&error, "INVALID_PAYLOAD");
    let error = explain_mismatch(s(BODY), header, Array::of1(&s(SECRET)).into()).unwrap_err();
    assert_verification_error(&error, "INVALID_SECRET");
}
