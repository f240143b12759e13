//! `explainMismatch`: the core's diagnosis, with JavaScript's own `JSON.stringify` producing the
//! re-serialized bodies, so they are byte for byte what a JS body parser would have hashed (key
//! order, number formatting and escaping included) without emulating JS in Rust.

use js_sys::{JsString, JSON};
use wasm_bindgen::prelude::*;

use super::{header_text, is_array, json_parse, payload, secret_bytes, to_js};
use crate::{Error, JsonForms};

/// Why `header` is not a valid signature of `payload` with `secret`: a list of findings with
/// stable codes, empty when the signature is valid. Throws only for a payload or secret of the
/// wrong kind, like `verify`.
#[wasm_bindgen(js_name = explainMismatch, skip_typescript)]
pub fn explain_mismatch(
    payload: JsValue,
    header: JsValue,
    secret: JsValue,
) -> Result<JsValue, JsValue> {
    if is_array(&secret) {
        return Err(to_js(Error::InvalidSecret(
            "explainMismatch takes one secret; call it once per secret you rotate through".into(),
        )));
    }
    let secret = secret_bytes(&secret).map_err(to_js)?;
    let payload = self::payload(&payload).map_err(to_js)?;
    let header = header_text(&header).unwrap_or_default();
    let findings = crate::explain_mismatch_with(&payload.bytes, &header, &secret, |text| {
        js_forms(payload.text.as_ref(), text)
    })
    .map_err(to_js)?;
    serde_wasm_bindgen::to_value(&findings).map_err(JsValue::from)
}

/// `JSON.stringify(JSON.parse(body))` and the same with 2-space indentation; `None` when the
/// body is not JSON (or JS throws, e.g. on nesting too deep for its stack).
fn js_forms(original: Option<&JsValue>, text: &str) -> Option<JsonForms> {
    let value = match original {
        Some(original) => json_parse(original).ok()?,
        None => json_parse(&JsValue::from_str(text)).ok()?,
    };
    let compact = JSON::stringify(&value).ok()?;
    let indented =
        JSON::stringify_with_replacer_and_space(&value, &JsValue::NULL, &JsValue::from(2)).ok()?;
    let bytes = |s: JsString| String::from(s).into_bytes();
    Some(JsonForms {
        compact: bytes(compact),
        indented: bytes(indented),
    })
}
