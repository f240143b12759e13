//! Validating an event body: `{"event": "<type>", "data": {...}}`, with checks per known type.

use alloc::vec::Vec;
#[cfg(not(feature = "pkg"))]
use core::cell::RefCell;

#[cfg(not(feature = "pkg"))]
use serde_json::{Map, Value};

use crate::error::{Error, Result};

mod scan;

#[cfg(target_arch = "wasm32")] // for src/bindings/
pub(crate) use scan::Key;
#[cfg(not(target_arch = "wasm32"))]
mod strict;

// EVENT_TYPES, EventKind (with KNOWN, its known kinds in EVENT_TYPES' order), FIELD_NAMES and
// CHECKS, written by build.rs from events.json: the one table of event types and their fields,
// which also gives the npm package's TypeScript and samples (scripts/gen-events.mjs).
include!(concat!(env!("OUT_DIR"), "/event_table.rs"));

/// The largest integer JavaScript represents exactly (2^53 - 1); timestamps beyond it are refused.
const MAX_SAFE_INTEGER: u64 = (1 << 53) - 1;

/// How a validated field of `events.json` is checked, by its `type`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Check {
    /// `id`: a non-empty string.
    Id,
    /// `string`: any string.
    String,
    /// `timestamp`: whole seconds since 1970.
    Timestamp,
    /// `number`: any JSON number.
    Number,
    /// `currency`: three uppercase letters.
    Currency,
}

impl EventKind {
    /// The kind of `EVENT_TYPES[index]` ([`EventKind::Unknown`] past its end).
    fn at(index: Option<usize>) -> Self {
        index
            .and_then(|i| Self::KNOWN.get(i).copied())
            .unwrap_or(EventKind::Unknown)
    }

    /// The kind for an `event` value.
    pub fn from_name(name: &str) -> Self {
        Self::at(EVENT_TYPES.iter().position(|known| *known == name))
    }

    /// The checks of this kind's validated fields (none for [`EventKind::Unknown`]).
    fn checks(self) -> &'static [(usize, Check)] {
        Self::KNOWN
            .iter()
            .position(|known| *known == self)
            .and_then(|i| CHECKS.get(i).copied())
            .unwrap_or_default()
    }
}

/// A validated event. Its JSON is kept whole: nothing is dropped or renamed.
#[cfg(not(feature = "pkg"))]
#[derive(Debug, Clone, PartialEq)]
pub struct Event {
    kind: EventKind,
    body: Map<String, Value>,
}

#[cfg(not(feature = "pkg"))]
impl Event {
    /// The kind of event.
    pub fn kind(&self) -> EventKind {
        self.kind
    }

    /// The `event` field as sent, such as `"task_complete"`.
    pub fn name(&self) -> &str {
        self.body
            .get("event")
            .and_then(Value::as_str)
            .unwrap_or_default()
    }

    /// The `data` object.
    pub fn data(&self) -> &Map<String, Value> {
        static EMPTY: std::sync::OnceLock<Map<String, Value>> = std::sync::OnceLock::new();
        self.body
            .get("data")
            .and_then(Value::as_object)
            .unwrap_or_else(|| EMPTY.get_or_init(Map::new))
    }

    /// The whole body as JSON.
    pub fn into_json(self) -> Value {
        Value::Object(self.body)
    }
}

/// Parses and validates an event body. This does **not** verify the signature: use
/// [`Verifier::verify`](crate::Verifier::verify) first, or [`construct_event`](crate::construct_event).
///
/// The body must be UTF-8 JSON without duplicate keys at any depth, nested at most 127 levels
/// (the 128th nested array or object is refused; `tests/limits.rs`). The strict scan of
/// [`validate_event`] decides; serde_json then builds the map of a body the scan accepted.
#[cfg(not(feature = "pkg"))]
pub fn parse_event(payload: &[u8]) -> Result<Event> {
    let kind = validate_event(payload)?;
    let body: Map<String, Value> = serde_json::from_slice(payload)
        .map_err(|_| Error::InvalidJson("the body could not be parsed by serde_json".to_owned()))?;
    Ok(Event { kind, body })
}

/// [`validate_event_with`] with a key stack per thread, reused: repeating a call never grows
/// memory. (The Wasm build's exports keep theirs in their buffers: `thread_local!` is std's.)
#[cfg(not(feature = "pkg"))]
pub(crate) fn validate_event(payload: &[u8]) -> Result<EventKind> {
    std::thread_local! {
        static KEYS: RefCell<Vec<scan::Key>> = const { RefCell::new(Vec::new()) };
    }
    // (`try_`: a fresh stack in the impossible case the shared one is unavailable, not a panic.)
    KEYS.try_with(|keys| match keys.try_borrow_mut() {
        Ok(mut keys) => validate_event_with(payload, &mut keys),
        Err(_) => validate_event_with(payload, &mut Vec::new()),
    })
    .unwrap_or_else(|_| validate_event_with(payload, &mut Vec::new()))
}

/// Everything [`parse_event`] checks, in one pass that builds no JSON tree (`scan.rs`): what the
/// Wasm build runs before handing the body to `JSON.parse`, which builds the JS object faster
/// than Rust could. `keys` is the scan's scratch space (left empty).
pub(crate) fn validate_event_with(payload: &[u8], keys: &mut Vec<scan::Key>) -> Result<EventKind> {
    let text = utf8(payload)?;
    let root = scan::scan(text, keys)?;
    let Some(envelope) = root else {
        return Err(Error::invalid_event("(root)", "must be a JSON object"));
    };
    envelope.check()
}

/// The reference [`parse_event`]'s scan is tested against: the strict serde_json visitor it
/// replaced (a tree that refuses duplicate keys at any depth; serde_json's recursion limit).
/// Native only; the property test in this module, `tests/fuzz_corpus.rs` and the `event` fuzz
/// target compare the two on accept/reject, code, and the message of event errors.
#[cfg(not(target_arch = "wasm32"))]
#[doc(hidden)]
pub fn parse_event_with_serde_json(payload: &[u8]) -> Result<Event> {
    let strict::StrictValue(value) =
        serde_json::from_str(utf8(payload)?).map_err(|e| Error::InvalidJson(e.to_string()))?;
    let Value::Object(body) = value else {
        return Err(Error::invalid_event("(root)", "must be a JSON object"));
    };
    let kind = Envelope::of(&body).check()?;
    Ok(Event { kind, body })
}

fn utf8(payload: &[u8]) -> Result<&str> {
    core::str::from_utf8(payload).map_err(|e| {
        Error::InvalidJson(crate::error::concat(&[
            "the body is not UTF-8 (first bad byte at offset ",
            crate::error::decimal(e.valid_up_to() as u64, &mut [0; 20]),
            ")",
        ]))
    })
}

/// What the validator noted about one value: just enough for the envelope and field checks.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
enum Fact {
    #[default]
    Missing,
    String {
        empty: bool,
        currency: bool,
    },
    /// A non-negative integer (what `serde_json::Value::as_u64` accepts).
    Unsigned(u64),
    /// Any other number: negative, or written with a fraction or exponent.
    OtherNumber,
    /// `null`, a boolean, an array or an object.
    Other,
}

impl Fact {
    /// The fact for a value of a built tree: what the scan notes for it.
    #[cfg(not(target_arch = "wasm32"))]
    fn of(value: &Value) -> Self {
        match value {
            Value::String(text) => Fact::string(text),
            Value::Number(number) => number.as_u64().map_or(Fact::OtherNumber, Fact::Unsigned),
            _ => Fact::Other,
        }
    }

    #[cfg(not(target_arch = "wasm32"))]
    fn string(text: &str) -> Self {
        Fact::String {
            empty: text.is_empty(),
            currency: text.len() == 3 && text.bytes().all(|b| b.is_ascii_uppercase()),
        }
    }
}

/// The top-level object's `event` and `data`, and `data`'s documented fields.
#[derive(Debug, Default)]
struct Envelope {
    event: Fact,
    kind: Option<EventKind>,
    /// `None` while `data` is missing; `Some(None)` when it is not an object.
    data: Option<Option<DataFields>>,
}

/// What the validator noted about each of [`FIELD_NAMES`] in `data`.
#[derive(Debug, Default)]
struct DataFields([Fact; FIELD_NAMES.len()]);

impl DataFields {
    /// The validated field names, for the scan.
    const NAMES: [&'static str; FIELD_NAMES.len()] = FIELD_NAMES;

    #[cfg(not(target_arch = "wasm32"))]
    fn of(data: &Map<String, Value>) -> Self {
        let mut fields = DataFields::default();
        for (name, value) in data {
            if let Some(slot) = fields.slot(name) {
                *slot = Fact::of(value);
            }
        }
        fields
    }

    fn slot(&mut self, name: &str) -> Option<&mut Fact> {
        let index = FIELD_NAMES.iter().position(|field| *field == name)?;
        self.0.get_mut(index)
    }
}

impl Envelope {
    /// The facts of a built tree's top-level object.
    #[cfg(not(target_arch = "wasm32"))]
    fn of(body: &Map<String, Value>) -> Self {
        let event = body.get("event");
        Envelope {
            event: event.map_or(Fact::Missing, Fact::of),
            kind: event.and_then(Value::as_str).map(EventKind::from_name),
            data: body
                .get("data")
                .map(|data| data.as_object().map(DataFields::of)),
        }
    }

    #[inline(never)]
    fn check(self) -> Result<EventKind> {
        let kind = match (self.event, self.kind) {
            (Fact::String { empty: false, .. }, Some(kind)) => kind,
            (Fact::Missing, _) => return Err(Error::invalid_event("event", "is missing")),
            _ => return Err(Error::invalid_event("event", "must be a non-empty string")),
        };
        let data = match self.data {
            Some(Some(data)) => data,
            Some(None) => return Err(Error::invalid_event("data", "must be an object")),
            None => return Err(Error::invalid_event("data", "is missing")),
        };
        for &(field, check) in kind.checks() {
            let (Some(name), Some(&fact)) = (FIELD_NAMES.get(field), data.0.get(field)) else {
                continue; // (build.rs writes no index out of range)
            };
            match check {
                Check::Id => id(name, fact)?,
                Check::String => string(name, fact).map(drop)?,
                Check::Timestamp => timestamp(name, fact)?,
                Check::Number => amount(name, fact)?,
                Check::Currency => currency(name, fact)?,
            }
        }
        Ok(kind)
    }
}

// Field checks on `data`, each naming the offending path.

#[cold]
#[inline(never)]
fn field_error(name: &str, reason: &str) -> Error {
    Error::invalid_event(crate::error::concat(&["data.", name]), reason)
}

fn present(name: &str, fact: Fact) -> Result<Fact> {
    match fact {
        Fact::Missing => Err(field_error(name, "is missing")),
        fact => Ok(fact),
    }
}

fn string(name: &str, fact: Fact) -> Result<(bool, bool)> {
    match present(name, fact)? {
        Fact::String { empty, currency } => Ok((empty, currency)),
        _ => Err(field_error(name, "must be a string")),
    }
}

fn id(name: &str, fact: Fact) -> Result<()> {
    match string(name, fact)? {
        (true, _) => Err(field_error(name, "must not be empty")),
        _ => Ok(()),
    }
}

fn timestamp(name: &str, fact: Fact) -> Result<()> {
    match present(name, fact)? {
        Fact::Unsigned(seconds) if seconds <= MAX_SAFE_INTEGER => Ok(()),
        _ => Err(field_error(
            name,
            "must be a whole number of seconds since 1970 (a non-negative integer)",
        )),
    }
}

fn amount(name: &str, fact: Fact) -> Result<()> {
    // serde_json has no NaN or infinity, so every number it parsed is finite.
    match present(name, fact)? {
        Fact::Unsigned(_) | Fact::OtherNumber => Ok(()),
        _ => Err(field_error(name, "must be a number")),
    }
}

fn currency(name: &str, fact: Fact) -> Result<()> {
    match string(name, fact)? {
        (_, true) => Ok(()),
        _ => Err(field_error(
            name,
            "must be a three-letter uppercase currency code such as \"USD\"",
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kinds_by_index_follow_event_types() {
        for (i, name) in EVENT_TYPES.iter().enumerate() {
            assert_eq!(EventKind::at(Some(i)), EventKind::from_name(name), "{name}");
        }
        assert_eq!(EventKind::at(Some(EVENT_TYPES.len())), EventKind::Unknown);
        assert_eq!(EventKind::at(None), EventKind::Unknown);
    }

    fn code_and_message(body: &str) -> (&'static str, String) {
        match parse_event(body.as_bytes()) {
            Ok(event) => panic!("expected an error, got {event:?}"),
            Err(e) => (e.code(), e.to_string()),
        }
    }

    #[test]
    fn known_events_are_typed() -> Result<()> {
        let event = parse_event(
            br#"{"event":"payment_verified","data":{"user_id":"u_1","amount":49.99,"currency":"USD"}}"#,
        )?;
        assert_eq!(event.kind(), EventKind::PaymentVerified);
        assert_eq!(event.name(), "payment_verified");
        assert_eq!(event.data().get("currency"), Some(&Value::from("USD")));
        Ok(())
    }

    #[test]
    fn unknown_events_keep_everything() -> Result<()> {
        let body = r#"{"event":"invoice_sent","data":{"n":[1,{"x":null}]},"extra":true}"#;
        let event = parse_event(body.as_bytes())?;
        assert_eq!(event.kind(), EventKind::Unknown);
        let expected: Value =
            serde_json::from_str(body).map_err(|e| Error::InvalidJson(e.to_string()))?;
        assert_eq!(event.into_json(), expected);
        Ok(())
    }

    #[test]
    fn offending_paths_are_named() {
        let (code, message) = code_and_message(
            r#"{"event":"payment_verified","data":{"user_id":"u","amount":"49.99","currency":"USD"}}"#,
        );
        assert_eq!(code, "INVALID_EVENT");
        assert!(message.contains("data.amount"), "{message}");
        let (_, message) = code_and_message(
            r#"{"event":"task_complete","data":{"task_id":"t","status":"ok","created_at":1.5}}"#,
        );
        assert!(message.contains("data.created_at"), "{message}");
    }

    #[test]
    fn fields_are_checked_whatever_the_key_order() -> Result<()> {
        let body =
            br#"{"data":{"created_at":0,"status":"","task_id":"t"},"event":"task_complete"}"#;
        assert_eq!(parse_event(body)?.kind(), EventKind::TaskComplete);
        // As serde_json::Value has it: `-0` is the float -0.0, not a whole number of seconds.
        let (_, message) = code_and_message(
            r#"{"data":{"created_at":-0,"status":"","task_id":"t"},"event":"task_complete"}"#,
        );
        assert!(message.contains("data.created_at"), "{message}");
        let (_, message) =
            code_and_message(r#"{"data":{"currency":"usd"},"event":"payment_verified"}"#);
        assert!(message.contains("`data.user_id` is missing"), "{message}");
        let (_, message) = code_and_message(
            r#"{"data":{"user_id":"u","amount":1,"currency":"usd"},"event":"payment_verified"}"#,
        );
        assert!(message.contains("data.currency"), "{message}");
        Ok(())
    }

    #[test]
    fn duplicates_are_found_in_large_objects_and_through_escapes() {
        let keys: Vec<String> = (0..40).map(|i| format!(r#""k{i}":{i}"#)).collect();
        let big = format!(r#"{{"event":"a","data":{{{},"k33":0}}}}"#, keys.join(","));
        let (code, message) = code_and_message(&big);
        assert_eq!(code, "INVALID_JSON");
        assert!(message.contains("duplicate key `k33`"), "{message}");
        let (code, message) = code_and_message(r#"{"event":"a","data":{},"\u0064ata":{}}"#);
        assert_eq!(code, "INVALID_JSON");
        assert!(message.contains("duplicate key `data`"), "{message}");
        let unique = format!(r#"{{"event":"a","data":{{{}}}}}"#, keys.join(","));
        assert!(parse_event(unique.as_bytes()).is_ok());
    }

    /// The scan (`parse_event`, and the Wasm path) and the strict serde_json tree it replaced agree
    /// on every event vector: the same event, or the same code (and message, for event errors).
    #[cfg(not(target_arch = "wasm32"))]
    #[test]
    fn both_front_ends_agree_on_the_vectors() -> Result<(), Box<dyn std::error::Error>> {
        let vectors: Value = serde_json::from_str(include_str!("../../tests/vectors/events.json"))?;
        let mut seen = 0;
        for group in ["valid", "invalid"] {
            for vector in vectors[group].as_array().ok_or("no vectors")? {
                let body = match (vector["body"].as_str(), vector["body_hex"].as_str()) {
                    (Some(text), _) => text.as_bytes().to_vec(),
                    (_, Some(digits)) => hex::decode(digits)?,
                    _ => {
                        let depth = vector["body_nested"].as_u64().ok_or("no body")?;
                        let depth = usize::try_from(depth)?;
                        format!("{}{}", "[".repeat(depth), "]".repeat(depth)).into_bytes()
                    }
                };
                let body = body.as_slice();
                let message = |e: Error| match e.code() {
                    "INVALID_EVENT" => (e.code(), e.to_string()),
                    code => (code, String::new()),
                };
                let scanned = parse_event(body).map_err(message);
                let reference = parse_event_with_serde_json(body).map_err(message);
                assert_eq!(scanned, reference, "{}", vector["name"]);
                assert_eq!(validate_event(body), parse_event(body).map(|e| e.kind()));
                seen += 1;
            }
        }
        assert!(seen > 20, "only {seen} vectors");
        Ok(())
    }

    #[test]
    fn duplicates_nesting_and_encoding_are_json_errors() {
        assert_eq!(
            code_and_message(r#"{"event":"a","event":"b","data":{}}"#).0,
            "INVALID_JSON"
        );
        assert_eq!(
            code_and_message(r#"{"event":"a","data":{"x":{"k":1,"k":2}}}"#).0,
            "INVALID_JSON"
        );
        let deep = format!("{}{}", "[".repeat(10_000), "]".repeat(10_000));
        assert_eq!(code_and_message(&deep).0, "INVALID_JSON");
        assert_eq!(
            parse_event(b"{\"event\":\"a\xff\",\"data\":{}}")
                .map_err(|e| e.code())
                .err(),
            Some("INVALID_JSON")
        );
    }
}
