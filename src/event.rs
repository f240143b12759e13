//! Validating an event body: `{"event": "<type>", "data": {...}}`, with checks per known type.

use std::borrow::Cow;
use std::collections::BTreeSet;
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
    let StrictValue(value) =
        serde_json::from_str(utf8(payload)?).map_err(|e| Error::InvalidJson(e.to_string()))?;
    let Value::Object(body) = value else {
        return Err(Error::invalid_event("(root)", "must be a JSON object"));
    };
    let kind = Envelope::of(&body).check()?;
    Ok(Event { kind, body })
}

/// Everything [`parse_event`] checks, in one pass that builds no JSON tree: what the Wasm build
/// runs before handing the body to `JSON.parse`, which builds the JS object faster than Rust could.
/// Both collect the same [`Envelope`] facts and share its checks.
// Natively only the tests call it (`both_front_ends_agree_on_the_vectors`).
#[cfg_attr(not(target_arch = "wasm32"), allow(dead_code))]
pub(crate) fn validate_event(payload: &[u8]) -> Result<EventKind> {
    let mut deserializer = serde_json::Deserializer::from_str(utf8(payload)?);
    let root = de::DeserializeSeed::deserialize(RootSeed, &mut deserializer)
        .and_then(|root| deserializer.end().map(|()| root))
        .map_err(|e| Error::InvalidJson(e.to_string()))?;
    let Some(envelope) = root else {
        return Err(Error::invalid_event("(root)", "must be a JSON object"));
    };
    envelope.check()
}

fn utf8(payload: &[u8]) -> Result<&str> {
    std::str::from_utf8(payload).map_err(|e| {
        Error::InvalidJson(format!(
            "the body is not UTF-8 (first bad byte at offset {})",
            e.valid_up_to()
        ))
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
    /// The fact for a value of a built tree: what the streaming visitors note for it.
    fn of(value: &Value) -> Self {
        match value {
            Value::String(text) => Fact::string(text),
            Value::Number(number) => number.as_u64().map_or(Fact::OtherNumber, Fact::Unsigned),
            _ => Fact::Other,
        }
    }

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

#[derive(Debug, Default)]
struct DataFields {
    task_id: Fact,
    status: Fact,
    created_at: Fact,
    user_id: Fact,
    amount: Fact,
    currency: Fact,
}

impl DataFields {
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
        match name {
            "task_id" => Some(&mut self.task_id),
            "status" => Some(&mut self.status),
            "created_at" => Some(&mut self.created_at),
            "user_id" => Some(&mut self.user_id),
            "amount" => Some(&mut self.amount),
            "currency" => Some(&mut self.currency),
            _ => None,
        }
    }
}

impl Envelope {
    /// The facts of a built tree's top-level object.
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
        match kind {
            EventKind::TaskComplete => {
                id("task_id", data.task_id)?;
                string("status", data.status)?;
                timestamp("created_at", data.created_at)?;
            }
            EventKind::PaymentVerified => {
                id("user_id", data.user_id)?;
                amount("amount", data.amount)?;
                currency("currency", data.currency)?;
            }
            EventKind::UserSignup => id("user_id", data.user_id)?,
            // Elenik documents no fields for these; the envelope is all that is checked.
            EventKind::SubscriptionPaid | EventKind::Unknown => {}
        }
        Ok(kind)
    }
}

// Field checks on `data`, each naming the offending path.

fn field_error(name: &str, reason: &str) -> Error {
    Error::invalid_event(format!("data.{name}"), reason)
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

// The validator: serde visitors that check a JSON value strictly and keep only `Fact`s. Duplicate
// object keys are refused at any depth: parsers disagree on which duplicate wins, so a body with
// them could mean one thing here and another to the receiver. serde_json enforces the nesting
// limit (see `parse_event`).

/// The root: `Some` envelope for an object, `None` for any other (still strictly checked) value.
struct RootSeed;

impl<'de> de::DeserializeSeed<'de> for RootSeed {
    type Value = Option<Envelope>;

    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<Self::Value, D::Error> {
        deserializer.deserialize_any(RootVisitor)
    }
}

struct RootVisitor;

impl<'de> Visitor<'de> for RootVisitor {
    type Value = Option<Envelope>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a JSON value")
    }

    fn visit_bool<E>(self, _: bool) -> Result<Self::Value, E> {
        Ok(None)
    }
    fn visit_i64<E>(self, _: i64) -> Result<Self::Value, E> {
        Ok(None)
    }
    fn visit_u64<E>(self, _: u64) -> Result<Self::Value, E> {
        Ok(None)
    }
    fn visit_f64<E>(self, _: f64) -> Result<Self::Value, E> {
        Ok(None)
    }
    fn visit_str<E>(self, _: &str) -> Result<Self::Value, E> {
        Ok(None)
    }
    fn visit_unit<E>(self) -> Result<Self::Value, E> {
        Ok(None)
    }
    fn visit_seq<A: SeqAccess<'de>>(self, seq: A) -> Result<Self::Value, A::Error> {
        FactVisitor.visit_seq(seq).map(|_| None)
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
        let mut envelope = Envelope::default();
        let mut keys = KeySet::default();
        while let Some(key) = map.next_key_seed(KeySeed)? {
            let (is_event, is_data) = (key == "event", key == "data");
            keys.insert(key)?;
            if is_event {
                let (fact, kind) = map.next_value_seed(EventNameSeed)?;
                envelope.event = fact;
                envelope.kind = kind;
            } else if is_data {
                envelope.data = Some(map.next_value_seed(DataSeed)?);
            } else {
                map.next_value_seed(FactSeed)?;
            }
        }
        Ok(Some(envelope))
    }
}

/// Any value, checked strictly, reduced to its [`Fact`].
struct FactSeed;

impl<'de> de::DeserializeSeed<'de> for FactSeed {
    type Value = Fact;

    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<Fact, D::Error> {
        deserializer.deserialize_any(FactVisitor)
    }
}

struct FactVisitor;

impl<'de> Visitor<'de> for FactVisitor {
    type Value = Fact;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a JSON value")
    }

    fn visit_bool<E>(self, _: bool) -> Result<Fact, E> {
        Ok(Fact::Other)
    }
    fn visit_i64<E>(self, v: i64) -> Result<Fact, E> {
        // serde_json only gives negative integers here (`-0` arrives as the float -0.0).
        Ok(u64::try_from(v).map_or(Fact::OtherNumber, Fact::Unsigned))
    }
    fn visit_u64<E>(self, v: u64) -> Result<Fact, E> {
        Ok(Fact::Unsigned(v))
    }
    fn visit_f64<E>(self, _: f64) -> Result<Fact, E> {
        Ok(Fact::OtherNumber)
    }
    fn visit_str<E>(self, v: &str) -> Result<Fact, E> {
        Ok(Fact::string(v))
    }
    fn visit_unit<E>(self) -> Result<Fact, E> {
        Ok(Fact::Other)
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Fact, A::Error> {
        while seq.next_element_seed(FactSeed)?.is_some() {}
        Ok(Fact::Other)
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Fact, A::Error> {
        let mut keys = KeySet::default();
        while let Some(key) = map.next_key_seed(KeySeed)? {
            keys.insert(key)?;
            map.next_value_seed(FactSeed)?;
        }
        Ok(Fact::Other)
    }
}

/// The `event` member: its fact, and its kind when it is a string.
struct EventNameSeed;

impl<'de> de::DeserializeSeed<'de> for EventNameSeed {
    type Value = (Fact, Option<EventKind>);

    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<Self::Value, D::Error> {
        deserializer.deserialize_any(EventNameVisitor)
    }
}

struct EventNameVisitor;

impl<'de> Visitor<'de> for EventNameVisitor {
    type Value = (Fact, Option<EventKind>);

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a JSON value")
    }

    fn visit_str<E>(self, v: &str) -> Result<Self::Value, E> {
        Ok((Fact::string(v), Some(EventKind::from_name(v))))
    }
    fn visit_bool<E>(self, _: bool) -> Result<Self::Value, E> {
        Ok((Fact::Other, None))
    }
    fn visit_i64<E>(self, _: i64) -> Result<Self::Value, E> {
        Ok((Fact::OtherNumber, None))
    }
    fn visit_u64<E>(self, _: u64) -> Result<Self::Value, E> {
        Ok((Fact::OtherNumber, None))
    }
    fn visit_f64<E>(self, _: f64) -> Result<Self::Value, E> {
        Ok((Fact::OtherNumber, None))
    }
    fn visit_unit<E>(self) -> Result<Self::Value, E> {
        Ok((Fact::Other, None))
    }
    fn visit_seq<A: SeqAccess<'de>>(self, seq: A) -> Result<Self::Value, A::Error> {
        FactVisitor.visit_seq(seq).map(|fact| (fact, None))
    }
    fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<Self::Value, A::Error> {
        FactVisitor.visit_map(map).map(|fact| (fact, None))
    }
}

/// The `data` member: its documented fields when it is an object, `None` otherwise.
struct DataSeed;

impl<'de> de::DeserializeSeed<'de> for DataSeed {
    type Value = Option<DataFields>;

    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<Self::Value, D::Error> {
        deserializer.deserialize_any(DataVisitor)
    }
}

struct DataVisitor;

impl<'de> Visitor<'de> for DataVisitor {
    type Value = Option<DataFields>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a JSON value")
    }

    fn visit_bool<E>(self, _: bool) -> Result<Self::Value, E> {
        Ok(None)
    }
    fn visit_i64<E>(self, _: i64) -> Result<Self::Value, E> {
        Ok(None)
    }
    fn visit_u64<E>(self, _: u64) -> Result<Self::Value, E> {
        Ok(None)
    }
    fn visit_f64<E>(self, _: f64) -> Result<Self::Value, E> {
        Ok(None)
    }
    fn visit_str<E>(self, _: &str) -> Result<Self::Value, E> {
        Ok(None)
    }
    fn visit_unit<E>(self) -> Result<Self::Value, E> {
        Ok(None)
    }
    fn visit_seq<A: SeqAccess<'de>>(self, seq: A) -> Result<Self::Value, A::Error> {
        FactVisitor.visit_seq(seq).map(|_| None)
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
        let mut fields = DataFields::default();
        let mut keys = KeySet::default();
        while let Some(key) = map.next_key_seed(KeySeed)? {
            let slot = fields.slot(&key);
            keys.insert(key)?;
            let fact = map.next_value_seed(FactSeed)?;
            if let Some(slot) = slot {
                *slot = fact;
            }
        }
        Ok(Some(fields))
    }
}

/// A JSON value that refuses duplicate object keys at any depth, built as a tree: what native
/// [`parse_event`] returns. One pass, so native callers do not pay for validating twice.
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
                return Err(duplicate_key(&key));
            }
            let StrictValue(value) = map.next_value()?;
            object.insert(key, value);
        }
        Ok(Value::Object(object))
    }
}

fn duplicate_key<E: de::Error>(key: &str) -> E {
    de::Error::custom(format_args!(
        "duplicate key `{}`",
        key.chars().take(64).collect::<String>()
    ))
}

/// An object key, borrowed from the body unless it had escapes.
struct KeySeed;

impl<'de> de::DeserializeSeed<'de> for KeySeed {
    type Value = Cow<'de, str>;

    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<Self::Value, D::Error> {
        deserializer.deserialize_str(KeyVisitor)
    }
}

struct KeyVisitor;

impl<'de> Visitor<'de> for KeyVisitor {
    type Value = Cow<'de, str>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("an object key")
    }

    fn visit_borrowed_str<E>(self, v: &'de str) -> Result<Self::Value, E> {
        Ok(Cow::Borrowed(v))
    }
    fn visit_str<E>(self, v: &str) -> Result<Self::Value, E> {
        Ok(Cow::Owned(v.to_owned()))
    }
}

/// The keys of one object so far. Small objects (nearly all) are searched linearly in an inline
/// array, with no allocation; past [`KeySet::LINEAR`] keys a B-tree keeps a huge object from
/// costing quadratic time.
#[derive(Default)]
struct KeySet<'de> {
    few: [Cow<'de, str>; KeySet::LINEAR],
    len: usize,
    many: BTreeSet<Cow<'de, str>>,
}

impl<'de> KeySet<'de> {
    const LINEAR: usize = 16;

    /// Records `key`, or fails if the object already has it.
    fn insert<E: de::Error>(&mut self, key: Cow<'de, str>) -> Result<(), E> {
        let few = self.few.get(..self.len).unwrap_or_default();
        if few.contains(&key) || self.many.contains(&key) {
            return Err(duplicate_key(&key));
        }
        match self.few.get_mut(self.len) {
            Some(slot) => {
                *slot = key;
                self.len += 1;
            }
            None => {
                self.many.insert(key);
            }
        }
        Ok(())
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

    /// The streaming validator (the Wasm path) and the tree (native `parse_event`) agree on every
    /// event vector: same kind, or same code and message.
    #[test]
    fn both_front_ends_agree_on_the_vectors() -> Result<(), Box<dyn std::error::Error>> {
        let vectors: Value = serde_json::from_str(include_str!("../tests/vectors/events.json"))?;
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
                let streamed = validate_event(body).map_err(|e| (e.code(), e.to_string()));
                let built = parse_event(body)
                    .map(|event| event.kind())
                    .map_err(|e| (e.code(), e.to_string()));
                assert_eq!(streamed, built, "{}", vector["name"]);
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
