//! `src/event/events.json` is the one table of event types and their fields (build.rs writes the
//! validation's part; scripts/gen-events.mjs the .d.ts and the samples). The native validation
//! follows it: the same types in the same order, and exactly its `required` fields required,
//! each with its type's check. (tests/js/event-table.test.mjs checks the Wasm build and the
//! samples the same way.)
#![cfg(not(target_arch = "wasm32"))]
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic
)]

use elenik_webhooks::{parse_event, EventKind, EVENT_TYPES};
use serde_json::{json, Map, Value};

fn table() -> Vec<Value> {
    let table: Value = serde_json::from_str(include_str!("../src/event/events.json")).unwrap();
    table["types"].as_array().unwrap().clone()
}

/// A valid value of a field's type, and one of the wrong type.
fn values(field_type: &str) -> (Value, Value) {
    match field_type {
        "id" => (json!("x_1"), json!("")),
        "string" => (json!(""), json!(7)),
        "timestamp" => (json!(1_700_000_000), json!(1.5)),
        "number" => (json!(-0.5), json!("1")),
        "currency" => (json!("EUR"), json!("eur")),
        other => panic!("unknown field type {other}"),
    }
}

fn parses(name: &str, data: &Map<String, Value>) -> Result<EventKind, String> {
    let body = json!({ "event": name, "data": data }).to_string();
    parse_event(body.as_bytes())
        .map(|event| event.kind())
        .map_err(|e| e.to_string())
}

#[test]
fn event_types_follow_the_table() {
    let names: Vec<String> = table()
        .iter()
        .map(|t| t["name"].as_str().unwrap().to_owned())
        .collect();
    assert_eq!(EVENT_TYPES.to_vec(), names);
    for name in EVENT_TYPES {
        assert_ne!(EventKind::from_name(name), EventKind::Unknown, "{name}");
    }
}

#[test]
fn required_fields_are_exactly_the_validated_ones() {
    for spec in table() {
        let name = spec["name"].as_str().unwrap();
        let fields = spec["fields"].as_array().unwrap();
        let full: Map<String, Value> = fields
            .iter()
            .map(|f| {
                let (good, _) = values(f["type"].as_str().unwrap());
                (f["name"].as_str().unwrap().to_owned(), good)
            })
            .collect();
        assert_eq!(parses(name, &full), Ok(EventKind::from_name(name)));
        for field in fields {
            let field_name = field["name"].as_str().unwrap();
            let (_, bad) = values(field["type"].as_str().unwrap());
            let mut missing = full.clone();
            missing.remove(field_name);
            let mut wrong = full.clone();
            wrong.insert(field_name.to_owned(), bad);
            let path = format!("data.{field_name}");
            if field["required"] == Value::Bool(true) {
                let error = parses(name, &missing).unwrap_err();
                assert!(
                    error.contains(&format!("`{path}` is missing")),
                    "{name}: {error}"
                );
                let error = parses(name, &wrong).unwrap_err();
                assert!(error.contains(&path), "{name}: {error}");
            } else {
                assert!(parses(name, &missing).is_ok(), "{name}.{field_name}");
                assert!(parses(name, &wrong).is_ok(), "{name}.{field_name}");
            }
        }
    }
}
