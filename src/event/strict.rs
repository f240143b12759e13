//! The validator: serde visitors that check a JSON value strictly and keep only `Fact`s, and the
//! strict tree the native `parse_event` builds. Duplicate object keys are refused at any depth:
//! parsers disagree on which duplicate wins, so a body with them could mean one thing here and
//! another to the receiver. serde_json enforces the nesting limit (see `parse_event`).

use std::borrow::Cow;
use std::collections::BTreeSet;
use std::fmt;

use serde::de::{self, Deserializer, MapAccess, SeqAccess, Visitor};
use serde_json::{Map, Value};

use super::{DataFields, Envelope, EventKind, Fact};

/// The arms of a visitor whose value is `None` for anything but an object: scalars, and arrays
/// (still checked strictly, item by item, for duplicate keys inside).
macro_rules! none_unless_object {
    ($de:lifetime) => {
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
        fn visit_seq<A: SeqAccess<$de>>(self, seq: A) -> Result<Self::Value, A::Error> {
            FactVisitor.visit_seq(seq).map(|_| None)
        }
    };
}

/// The root: `Some` envelope for an object, `None` for any other (still strictly checked) value.
pub(super) struct RootSeed;

impl<'de> de::DeserializeSeed<'de> for RootSeed {
    type Value = Option<Envelope>;

    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<Self::Value, D::Error> {
        deserializer.deserialize_any(RootVisitor)
    }
}

struct RootVisitor;

impl<'de> Visitor<'de> for RootVisitor {
    type Value = Option<Envelope>;

    none_unless_object!('de);

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

    none_unless_object!('de);

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
pub(super) struct StrictValue(pub(super) Value);

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
