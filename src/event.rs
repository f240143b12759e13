//! Validating an event body: `{"event": "<type>", "data": {...}}`, with checks per known type.

use std::fmt;

use serde::de::{self, Deserializer, MapAccess, SeqAccess, Visitor};
use serde_json::{Map, Value};

use crate::error::{Error, Result};

/// The event types Elenik documents. Others are accepted as [`EventKind::Unknown`].
pub const EVENT_TYPES: [&str; 4] = [
    "task_complete",
    "payment_verified",
    "user_signup",
    "subscription_paid",
];

/// The largest integer JavaScript represents exactly (2^53 - 1); timestamps beyond it are refused.
const MAX_SAFE_INTEGER: u64 = (1 << 53) - 1;

/// The type of an event.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum EventKind {
    /// `task_complete`: an automated workflow finished.
    TaskComplete,
    /// `payment_verified`: a subscription payment was confirmed.
    PaymentVerified,
    /// `user_signup`: a new user created an account.
    UserSignup,
    /// `subscription_paid`: a subscription was paid.
    SubscriptionPaid,
    /// A type this version does not know; its envelope was still checked.
    Unknown,
}

impl EventKind {
    /// The kind for an `event` value.
    pub fn from_name(name: &str) -> Self {
        match name {
            "task_complete" => EventKind::TaskComplete,
            "payment_verified" => EventKind::PaymentVerified,
            "user_signup" => EventKind::UserSignup,
            "subscription_paid" => EventKind::SubscriptionPaid,
            _ => EventKind::Unknown,
        }
    }
}

/// A validated event. Its JSON is kept whole: nothing is dropped or renamed.
#[derive(Debug, Clone, PartialEq)]
pub struct Event {
    kind: EventKind,
    body: Map<String, Value>,
}

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
/// (serde_json refuses the 128th nested array or object; `tests/limits.rs`).
pub fn parse_event(payload: &[u8]) -> Result<Event> {
    let text = std::str::from_utf8(payload).map_err(|e| {
        Error::InvalidJson(format!(
            "the body is not UTF-8 (first bad byte at offset {})",
            e.valid_up_to()
        ))
    })?;
    let StrictValue(value) =
        serde_json::from_str(text).map_err(|e| Error::InvalidJson(e.to_string()))?;
    let Value::Object(body) = value else {
        return Err(Error::invalid_event("(root)", "must be a JSON object"));
    };
    let kind = check_envelope(&body)?;
    Ok(Event { kind, body })
}

fn check_envelope(body: &Map<String, Value>) -> Result<EventKind> {
    let name = match body.get("event") {
        Some(Value::String(name)) if !name.is_empty() => name,
        Some(_) => return Err(Error::invalid_event("event", "must be a non-empty string")),
        None => return Err(Error::invalid_event("event", "is missing")),
    };
    let data = match body.get("data") {
        Some(Value::Object(data)) => data,
        Some(_) => return Err(Error::invalid_event("data", "must be an object")),
        None => return Err(Error::invalid_event("data", "is missing")),
    };
    let kind = EventKind::from_name(name);
    let fields = Fields(data);
    match kind {
        EventKind::TaskComplete => {
            fields.id("task_id")?;
            fields.string("status")?;
            fields.timestamp("created_at")?;
        }
        EventKind::PaymentVerified => {
            fields.id("user_id")?;
            fields.amount("amount")?;
            fields.currency("currency")?;
        }
        EventKind::UserSignup => fields.id("user_id")?,
        // Elenik documents no fields for these; the envelope is all that is checked.
        EventKind::SubscriptionPaid | EventKind::Unknown => {}
    }
    Ok(kind)
}

/// Field checks on `data`, each naming the offending path.
struct Fields<'a>(&'a Map<String, Value>);

impl Fields<'_> {
    fn get(&self, name: &str) -> Result<&Value> {
        self.0
            .get(name)
            .ok_or_else(|| Error::invalid_event(format!("data.{name}"), "is missing"))
    }

    fn string(&self, name: &str) -> Result<&str> {
        self.get(name)?
            .as_str()
            .ok_or_else(|| Error::invalid_event(format!("data.{name}"), "must be a string"))
    }

    fn id(&self, name: &str) -> Result<()> {
        if self.string(name)?.is_empty() {
            return Err(Error::invalid_event(
                format!("data.{name}"),
                "must not be empty",
            ));
        }
        Ok(())
    }

    fn timestamp(&self, name: &str) -> Result<()> {
        match self.get(name)?.as_u64() {
            Some(seconds) if seconds <= MAX_SAFE_INTEGER => Ok(()),
            _ => Err(Error::invalid_event(
                format!("data.{name}"),
                "must be a whole number of seconds since 1970 (a non-negative integer)",
            )),
        }
    }

    fn amount(&self, name: &str) -> Result<()> {
        // serde_json has no NaN or infinity, so every number it parsed is finite.
        match self.get(name)? {
            Value::Number(_) => Ok(()),
            _ => Err(Error::invalid_event(
                format!("data.{name}"),
                "must be a number",
            )),
        }
    }

    fn currency(&self, name: &str) -> Result<()> {
        let code = self.string(name)?;
        if code.len() == 3 && code.bytes().all(|b| b.is_ascii_uppercase()) {
            Ok(())
        } else {
            Err(Error::invalid_event(
                format!("data.{name}"),
                "must be a three-letter uppercase currency code such as \"USD\"",
            ))
        }
    }
}

/// A JSON value that refuses duplicate object keys at any depth: parsers disagree on which
/// duplicate wins, so a body with them could mean one thing here and another to the receiver.
struct StrictValue(Value);

impl<'de> de::Deserialize<'de> for StrictValue {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_any(StrictVisitor).map(StrictValue)
    }
}

struct StrictVisitor;

impl<'de> Visitor<'de> for StrictVisitor {
    type Value = Value;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a JSON value")
    }

    fn visit_bool<E>(self, v: bool) -> Result<Value, E> {
        Ok(Value::Bool(v))
    }

    fn visit_i64<E>(self, v: i64) -> Result<Value, E> {
        Ok(Value::from(v))
    }

    fn visit_u64<E>(self, v: u64) -> Result<Value, E> {
        Ok(Value::from(v))
    }

    fn visit_f64<E>(self, v: f64) -> Result<Value, E> {
        Ok(Value::from(v))
    }

    fn visit_str<E>(self, v: &str) -> Result<Value, E> {
        Ok(Value::String(v.to_owned()))
    }

    fn visit_string<E>(self, v: String) -> Result<Value, E> {
        Ok(Value::String(v))
    }

    fn visit_unit<E>(self) -> Result<Value, E> {
        Ok(Value::Null)
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Value, A::Error> {
        let mut items = Vec::new();
        while let Some(StrictValue(item)) = seq.next_element()? {
            items.push(item);
        }
        Ok(Value::Array(items))
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Value, A::Error> {
        let mut object = Map::new();
        while let Some(key) = map.next_key::<String>()? {
            if object.contains_key(&key) {
                return Err(de::Error::custom(format_args!(
                    "duplicate key `{}`",
                    key.chars().take(64).collect::<String>()
                )));
            }
            let StrictValue(value) = map.next_value()?;
            object.insert(key, value);
        }
        Ok(Value::Object(object))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

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
