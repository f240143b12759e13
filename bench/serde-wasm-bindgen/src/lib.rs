//! Scratch (bench/serde-wasm-bindgen/run.mjs): the event path as a wasm-bindgen crate would write it.
//! Each export validates with the core's strict `parse_event` (which also builds the serde_json
//! tree), then hands the event to JS one of two ways.
use serde::Serialize;
use wasm_bindgen::prelude::*;

fn parsed(body: &[u8]) -> Result<elenik_webhooks::Event, JsError> {
    elenik_webhooks::parse_event(body).map_err(|e| JsError::new(&e.to_string()))
}

/// The event as a JS object built by serde-wasm-bindgen (plain objects, as JSON.parse makes).
#[wasm_bindgen]
pub fn event_object(body: &[u8]) -> Result<JsValue, JsError> {
    let serializer = serde_wasm_bindgen::Serializer::json_compatible();
    parsed(body)?
        .into_json()
        .serialize(&serializer)
        .map_err(|e| JsError::new(&e.to_string()))
}

/// Validation only: JS then builds the object with JSON.parse on its own copy of the text.
#[wasm_bindgen]
pub fn event_checked(body: &[u8]) -> Result<(), JsError> {
    parsed(body).map(drop)
}
