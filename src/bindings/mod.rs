//! The JavaScript face of the crate: converts JS values to bytes and strings, calls the core, and
//! turns [`Error`] into the JS `WebhookVerificationError`. No logic of its own lives here.
//!
//! Every export returns `Result`, and every JS call that can throw is imported with `catch`, so
//! no JS exception unwinds through Wasm frames and no Rust panic reaches JS.

use js_sys::{Array, Function, JsString, Reflect, Uint8Array};
use serde::Serialize;
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use zeroize::Zeroizing;

use crate::{Error, MAX_HEADER_BYTES, MAX_SECRETS, SIGNATURE_HEADER};

pub mod diagnose;

#[wasm_bindgen(module = "/js/error.js")]
extern "C" {
    #[wasm_bindgen(js_name = createError)]
    fn create_error(code: &str, message: &str) -> JsValue;
    #[wasm_bindgen(js_name = errorClass)]
    fn error_class() -> JsValue;
}

/// Reading the caller's values: the built-in getters for bytes, and every step that may run the
/// caller's code (a Proxy trap, a getter) in JS where its throw is caught. See `js/input.js`.
#[wasm_bindgen(module = "/js/input.js")]
extern "C" {
    /// A plain `Uint8Array` over exactly the bytes of an `ArrayBuffer` or view, or `undefined`.
    #[wasm_bindgen(js_name = bytesOf, catch)]
    fn bytes_of(value: &JsValue) -> Result<JsValue, JsValue>;
    /// The bytes of a real `Uint8Array` (a `Buffer`, any realm), or `undefined`.
    #[wasm_bindgen(js_name = uint8ArrayBytes, catch)]
    fn uint8_array_bytes(value: &JsValue) -> Result<JsValue, JsValue>;
    /// A plain copy of an array of at most `max` items, its length if longer, or `undefined`.
    #[wasm_bindgen(js_name = itemsOf, catch)]
    fn items_of(value: &JsValue, max: u32) -> Result<JsValue, JsValue>;
    /// `Object.keys`.
    #[wasm_bindgen(js_name = ownKeys, catch)]
    fn own_keys(value: &JsValue) -> Result<Array, JsValue>;
}

/// The bytes `bytes_of`/`uint8_array_bytes` found: copied out of a plain `Uint8Array`, whose
/// length and contents no caller code can change while they are read.
fn copied(found: Result<JsValue, JsValue>) -> Option<Vec<u8>> {
    found
        .ok()?
        .dyn_into::<Uint8Array>()
        .ok()
        .map(|bytes| bytes.to_vec())
}

/// `Array.isArray`, false for a revoked Proxy (which makes `Array.isArray` itself throw).
fn is_array(value: &JsValue) -> bool {
    !matches!(array_items(value, 0), Ok(None))
}

/// The items of an array (`Ok(None)` when `value` is none), or `Err(length)` past `max` items.
fn array_items(value: &JsValue, max: usize) -> Result<Option<Array>, f64> {
    let found =
        items_of(value, u32::try_from(max).unwrap_or(u32::MAX)).unwrap_or(JsValue::UNDEFINED);
    if let Some(length) = found.as_f64() {
        return Err(length);
    }
    Ok(found.dyn_into::<Array>().ok())
}

#[wasm_bindgen]
extern "C" {
    /// `JSON.parse` taking a JS string as is, so a string body is not copied back out of Wasm.
    #[wasm_bindgen(js_namespace = JSON, js_name = parse, catch)]
    fn json_parse(text: &JsValue) -> Result<JsValue, JsValue>;
}

fn to_js(error: Error) -> JsValue {
    create_error(error.code(), &error.to_string())
}

/// The `WebhookVerificationError` class, for the package's JS surface to re-export.
#[wasm_bindgen(js_name = errorClass, skip_typescript)]
pub fn export_error_class() -> JsValue {
    error_class()
}

/// The signature header name, lower-cased.
#[wasm_bindgen(js_name = signatureHeader, skip_typescript)]
pub fn signature_header() -> String {
    SIGNATURE_HEADER.to_owned()
}

/// The known event types.
#[wasm_bindgen(js_name = eventTypes, skip_typescript)]
pub fn event_types() -> Array {
    crate::EVENT_TYPES
        .iter()
        .map(|t| JsValue::from_str(t))
        .collect()
}

/// Every error code.
#[wasm_bindgen(js_name = errorCodes, skip_typescript)]
pub fn error_codes() -> Array {
    Error::CODES.iter().map(|c| JsValue::from_str(c)).collect()
}

/// A payload as bytes, remembering the JS string it came from (so `JSON.parse` can use it as is).
struct Payload {
    bytes: Vec<u8>,
    text: Option<JsValue>,
}

#[wasm_bindgen]
extern "C" {
    /// `TextEncoder`, to write a string's UTF-8 straight into Wasm memory in one native call
    /// (`String` conversion copies ASCII one `charCodeAt` at a time in JS: 1.8x slower at 1 MiB).
    type TextEncoder;
    #[wasm_bindgen(constructor)]
    fn new() -> TextEncoder;
    #[wasm_bindgen(method, js_name = encodeInto)]
    fn encode_into(this: &TextEncoder, source: &JsString, destination: &mut [u8]) -> EncodeResult;
    type EncodeResult;
    #[wasm_bindgen(method, getter)]
    fn written(this: &EncodeResult) -> u32;
}

thread_local! {
    static ENCODER: TextEncoder = TextEncoder::new();
    /// The last payload's buffer, reused so a body costs no allocation.
    static SCRATCH: std::cell::Cell<Vec<u8>> = const { std::cell::Cell::new(Vec::new()) };
}

/// The largest reused buffer: enough for a 1 MiB string body (three bytes per UTF-16 unit at
/// most). Larger bodies get a buffer of their own, freed after the call, so one big delivery
/// does not keep Wasm memory (which never shrinks) occupied for the life of the process.
const SCRATCH_MAX_BYTES: usize = 3 << 20;

/// A string's UTF-8 bytes; lone surrogates become U+FFFD, as `TextEncoder` and `as_string` do.
fn utf8_of(text: &JsString) -> Vec<u8> {
    let units = text.length() as usize;
    if units * 3 > SCRATCH_MAX_BYTES {
        return String::from(text).into_bytes();
    }
    let mut bytes = SCRATCH.with(std::cell::Cell::take);
    // One UTF-16 unit never takes more than three UTF-8 bytes.
    bytes.resize(units * 3, 0);
    let written = ENCODER.with(|encoder| encoder.encode_into(text, &mut bytes).written());
    bytes.truncate(written as usize);
    bytes
}

impl Drop for Payload {
    fn drop(&mut self) {
        if self.bytes.capacity() <= SCRATCH_MAX_BYTES {
            let bytes = std::mem::take(&mut self.bytes);
            SCRATCH.with(|scratch| scratch.set(bytes));
        }
    }
}

fn payload(value: &JsValue) -> Result<Payload, Error> {
    if let Some(text) = value.dyn_ref::<JsString>() {
        return Ok(Payload {
            bytes: utf8_of(text),
            text: Some(value.clone()),
        });
    }
    // Any ArrayBuffer or view (DataView, Int32Array, another realm's): exactly the bytes it
    // views; detached or out of bounds, none.
    let view = bytes_of(value)
        .ok()
        .and_then(|found| found.dyn_into::<Uint8Array>().ok())
        .ok_or_else(|| not_bytes(value))?;
    Ok(Payload {
        bytes: copy_of(&view),
        text: None,
    })
}

/// A copy of the plain `Uint8Array` that `bytes_of` made, in the reused buffer (no allocation).
fn copy_of(view: &Uint8Array) -> Vec<u8> {
    let length = view.length() as usize;
    if length > SCRATCH_MAX_BYTES {
        return view.to_vec();
    }
    let mut bytes = SCRATCH.with(std::cell::Cell::take);
    bytes.resize(length, 0);
    view.copy_to(&mut bytes);
    bytes
}

fn not_bytes(value: &JsValue) -> Error {
    let kind = if value.is_null() {
        "null".to_owned()
    } else if value.is_object() {
        "an object (probably already parsed JSON)".to_owned()
    } else {
        format!("a {}", value.js_typeof().as_string().unwrap_or_default())
    };
    Error::InvalidPayload(format!(
        "got {kind}; pass the raw request body as a string, Buffer, Uint8Array or ArrayBuffer \
         (Express: express.raw({{ type: 'application/json' }}); fetch: await request.arrayBuffer())"
    ))
}

/// The signature header's text, from a string, a `Headers`-like object with `get`, or a plain
/// (Node-style) headers object looked up case-insensitively. `None` when there is none.
fn header_text(value: &JsValue) -> Option<String> {
    if value.is_string() {
        return string_within_limit(value);
    }
    if value.is_null() || value.is_undefined() || !value.is_object() {
        return None;
    }
    if let Some(values) = header_values(value) {
        return join_values(&values);
    }
    let name = JsValue::from_str(SIGNATURE_HEADER);
    let get = Reflect::get(value, &JsValue::from_str("get")).ok();
    let found = match get.and_then(|get| get.dyn_into::<Function>().ok()) {
        Some(get) => get.call1(value, &name).ok()?,
        None => {
            let key = own_keys(value).ok()?.iter().find(|key| {
                key.as_string()
                    .is_some_and(|k| k.eq_ignore_ascii_case(SIGNATURE_HEADER))
            })?;
            Reflect::get(value, &key).ok()?
        }
    };
    match header_values(&found) {
        Some(values) => join_values(&values),
        None => string_within_limit(&found),
    }
}

/// A `string[]` header value, or `None` when `value` is not an array. One with more items than
/// a header may have bytes is too long whatever they are, and stands for an over-long header.
fn header_values(value: &JsValue) -> Option<Array> {
    match array_items(value, MAX_HEADER_BYTES + 1) {
        Ok(values) => values,
        Err(_) => Some(Array::of1(&JsValue::from_str(
            &" ".repeat(MAX_HEADER_BYTES + 1),
        ))),
    }
}

/// Reads a JS string only if it can fit the header limit; a longer one becomes a string that is
/// just over the limit, so the core rejects it without the whole text being copied into Wasm.
fn string_within_limit(value: &JsValue) -> Option<String> {
    let text: &JsString = value.dyn_ref()?;
    // UTF-8 never takes fewer bytes than UTF-16 code units, so this length is a lower bound.
    let units = text.length() as usize;
    if units > MAX_HEADER_BYTES {
        return Some(" ".repeat(MAX_HEADER_BYTES + 1));
    }
    // One native `encodeInto` instead of `as_string`'s JS loop over each character.
    let mut bytes = vec![0; units * 3];
    let written = ENCODER.with(|encoder| encoder.encode_into(text, &mut bytes).written());
    bytes.truncate(written as usize);
    String::from_utf8(bytes).ok()
}

/// A `string[]` header value counts as several signatures.
fn join_values(values: &Array) -> Option<String> {
    let mut joined = String::new();
    for value in values.iter() {
        if !joined.is_empty() {
            joined.push(',');
        }
        joined.push_str(&string_within_limit(&value)?);
        if joined.len() > MAX_HEADER_BYTES {
            break;
        }
    }
    Some(joined)
}

/// A copy of a secret in Wasm memory, wiped when dropped (once the HMAC key state is computed).
fn secret_bytes(value: &JsValue) -> Result<Zeroizing<Vec<u8>>, Error> {
    if let Some(text) = value.as_string() {
        return Ok(Zeroizing::new(text.into_bytes()));
    }
    if let Some(bytes) = copied(uint8_array_bytes(value)) {
        return Ok(Zeroizing::new(bytes));
    }
    Err(Error::InvalidSecret(
        "pass the endpoint secret as a non-empty string or Uint8Array, or an array of them".into(),
    ))
}

fn secrets(value: &JsValue) -> Result<Vec<Zeroizing<Vec<u8>>>, Error> {
    match array_items(value, MAX_SECRETS) {
        Ok(Some(array)) => array.iter().map(|secret| secret_bytes(&secret)).collect(),
        Ok(None) => Ok(vec![secret_bytes(value)?]),
        // An integer, not the f64 itself: formatting a float links ~14 KB of `flt2dec` into the Wasm.
        Err(length) => Err(Error::InvalidSecret(format!(
            "pass at most {MAX_SECRETS} secrets, not {}",
            length as u64
        ))),
    }
}

fn verifier(secret: &JsValue) -> Result<crate::Verifier, Error> {
    crate::Verifier::new(&secrets(secret)?)
}

/// The event's JS object: `JSON.parse` of the body, after the core validated it.
fn event_object(payload: &Payload) -> Result<JsValue, Error> {
    crate::event::validate_event(&payload.bytes)?;
    let text = match &payload.text {
        Some(text) => text.clone(),
        // validate_event has checked the bytes are UTF-8.
        None => JsValue::from_str(&String::from_utf8_lossy(&payload.bytes)),
    };
    json_parse(&text)
        .map_err(|_| Error::InvalidJson("the body could not be parsed by JSON.parse".into()))
}

fn verified(
    verifier: &crate::Verifier,
    payload: &Payload,
    header: &JsValue,
) -> Result<usize, Error> {
    let header = header_text(header).ok_or(Error::MissingSignature)?;
    verifier.verify(&payload.bytes, &header)
}

/// Whether `header` is a valid signature of `payload` with `secret` (or any of several).
/// Throws only for a payload or secret of the wrong kind: programming errors, not attacks.
#[wasm_bindgen(skip_typescript)]
pub fn verify(payload: JsValue, header: JsValue, secret: JsValue) -> Result<bool, JsValue> {
    let verifier = verifier(&secret).map_err(to_js)?;
    let payload = self::payload(&payload).map_err(to_js)?;
    Ok(verified(&verifier, &payload, &header).is_ok())
}

/// Verifies, then parses and validates the event.
#[wasm_bindgen(js_name = constructEvent, skip_typescript)]
pub fn construct_event(
    payload: JsValue,
    header: JsValue,
    secret: JsValue,
) -> Result<JsValue, JsValue> {
    let verifier = verifier(&secret).map_err(to_js)?;
    JsVerifier::construct(&verifier, &payload, &header).map_err(to_js)
}

/// Parses and validates the event without verifying its signature.
#[wasm_bindgen(js_name = parseEvent, skip_typescript)]
pub fn parse_event(payload: JsValue) -> Result<JsValue, JsValue> {
    self::payload(&payload)
        .and_then(|payload| event_object(&payload))
        .map_err(to_js)
}

/// The header value `sha256=<hex>` for `payload` signed with `secret`.
#[wasm_bindgen(skip_typescript)]
pub fn sign(payload: JsValue, secret: JsValue) -> Result<String, JsValue> {
    let payload = self::payload(&payload).map_err(to_js)?;
    let secret = secret_bytes(&secret).map_err(to_js)?;
    crate::sign(&payload.bytes, &secret).map_err(to_js)
}

/// The delivery key of `payload`: its lowercase hex SHA-256 (see `crate::delivery_key`).
#[wasm_bindgen(js_name = deliveryKey, skip_typescript)]
pub fn delivery_key(payload: JsValue) -> Result<String, JsValue> {
    let payload = self::payload(&payload).map_err(to_js)?;
    Ok(crate::delivery_key(&payload.bytes))
}

/// What `Verifier.tryVerify` returns: it never throws.
#[derive(Serialize)]
#[serde(untagged)]
enum Outcome {
    Valid {
        ok: bool,
        #[serde(rename = "secretIndex")]
        secret_index: usize,
    },
    Invalid {
        ok: bool,
        code: &'static str,
        message: String,
    },
}

/// Verifies with one or more secrets whose HMAC key state is computed once.
#[wasm_bindgen(js_name = Verifier, skip_typescript)]
pub struct JsVerifier {
    inner: crate::Verifier,
}

#[wasm_bindgen(js_class = Verifier)]
impl JsVerifier {
    /// One secret, or an array of 1 to 16 (during rotation any may match).
    #[wasm_bindgen(constructor)]
    pub fn new(secrets: JsValue) -> Result<JsVerifier, JsValue> {
        let inner = verifier(&secrets).map_err(to_js)?;
        Ok(JsVerifier { inner })
    }

    /// How many secrets this verifier tries.
    #[wasm_bindgen(getter, js_name = secretCount)]
    pub fn secret_count(&self) -> usize {
        self.inner.secret_count()
    }

    /// Whether `header` is a valid signature of `payload`.
    pub fn verify(&self, payload: JsValue, header: JsValue) -> Result<bool, JsValue> {
        let payload = self::payload(&payload).map_err(to_js)?;
        Ok(verified(&self.inner, &payload, &header).is_ok())
    }

    /// Verifies, then parses and validates the event.
    #[wasm_bindgen(js_name = constructEvent)]
    pub fn construct_event(&self, payload: JsValue, header: JsValue) -> Result<JsValue, JsValue> {
        Self::construct(&self.inner, &payload, &header).map_err(to_js)
    }

    /// `{ ok: true, secretIndex }` or `{ ok: false, code, message }`; never throws.
    #[wasm_bindgen(js_name = tryVerify)]
    pub fn try_verify(&self, payload: JsValue, header: JsValue) -> Result<JsValue, JsValue> {
        let outcome = match self::payload(&payload).and_then(|p| verified(&self.inner, &p, &header))
        {
            Ok(secret_index) => Outcome::Valid {
                ok: true,
                secret_index,
            },
            Err(error) => Outcome::Invalid {
                ok: false,
                code: error.code(),
                message: error.to_string(),
            },
        };
        serde_wasm_bindgen::to_value(&outcome).map_err(JsValue::from)
    }

    /// The header value `sha256=<hex>` for `payload`, signed with the first secret.
    pub fn sign(&self, payload: JsValue) -> Result<String, JsValue> {
        let payload = self::payload(&payload).map_err(to_js)?;
        Ok(self.inner.sign(&payload.bytes))
    }

    fn construct(
        verifier: &crate::Verifier,
        payload: &JsValue,
        header: &JsValue,
    ) -> Result<JsValue, Error> {
        let payload = self::payload(payload)?;
        verified(verifier, &payload, header)?;
        event_object(&payload)
    }
}
