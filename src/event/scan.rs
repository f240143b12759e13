//! The strict JSON scanner every event goes through: one pass over the bytes, no tree, no
//! allocation per value, noting only the [`Fact`]s the envelope checks need.
//!
//! It accepts exactly the JSON that `serde_json` 1.x parses from a `&str` (RFC 8259, lone
//! surrogate escapes refused, numbers whose `f64` would be infinite refused the way serde_json's
//! `f64_from_parts` does, at most 127 nested levels), and refuses duplicate object keys at every
//! depth, comparing keys after unescaping. `parse_event_with_serde_json` (the strict serde_json
//! visitor it replaced) is the oracle it is tested against: four property tests, the fuzz target and
//! the committed corpus replay compare the two on accept/reject, code and event message.
//!
//! Why not serde_json in the Wasm build: measured, serde_json and the visitors were ~35 KB of the
//! 91 KB module, and serde_json merely *skipping* a 1 KiB event cost about half of what
//! `JSON.parse` takes for it, over the `parseEvent` budget of 1.5x before any check.

use alloc::string::String;
use alloc::vec::Vec;
use core::cmp::Ordering;

use super::{DataFields, Envelope, EventKind, Fact};
use crate::error::Error;

/// serde_json's recursion limit: the 128th nested array or object is refused.
const MAX_DEPTH: u32 = 128;
/// Objects up to this many keys are checked for duplicates as each key arrives (a linear search);
/// larger ones, once more when they close, by sorting their keys: no quadratic time.
const LINEAR: usize = 16;

/// An object key: the bytes between its quotes.
#[derive(Clone, Copy)]
pub(crate) struct Key {
    start: usize,
    end: usize,
    escaped: bool,
}

/// The scan stopped; why and where are in the [`Scanner`] (an empty error keeps results small).
struct Stop;

type Scan<T> = Result<T, Stop>;

const EOF_VALUE: &str = "EOF while parsing a value";
const EOF_STRING: &str = "EOF while parsing a string";
const EOF_OBJECT: &str = "EOF while parsing an object";
const EOF_LIST: &str = "EOF while parsing a list";
const INVALID_NUMBER: &str = "invalid number";

/// Scans `body` (already UTF-8) strictly: the root's envelope when it is an object, `None` for
/// any other value. `keys` is scratch space, reused between calls (emptied again on return).
pub(crate) fn scan(body: &str, keys: &mut Vec<Key>) -> Result<Option<Envelope>, Error> {
    let mut scanner = Scanner {
        b: body.as_bytes(),
        i: 0,
        depth: 0,
        keys,
        what: "",
        at: 0,
        duplicate: None,
    };
    let result = scanner.root();
    scanner.keys.clear();
    result.map_err(|Stop| scanner.error())
}

/// What to note about an object's members.
enum Sink<'s> {
    Root(&'s mut Envelope),
    Data(&'s mut DataFields),
    Plain,
}

struct Scanner<'a, 'k> {
    b: &'a [u8],
    i: usize,
    depth: u32,
    keys: &'k mut Vec<Key>,
    /// Why the scan stopped, where (a byte offset), and the duplicate key if that was it.
    what: &'static str,
    at: usize,
    duplicate: Option<Key>,
}

impl Scanner<'_, '_> {
    fn root(&mut self) -> Scan<Option<Envelope>> {
        self.whitespace();
        let envelope = if self.peek() == Some(b'{') {
            let mut envelope = Envelope::default();
            self.object(Sink::Root(&mut envelope))?;
            Some(envelope)
        } else {
            self.value()?;
            None
        };
        self.whitespace();
        if self.i < self.b.len() {
            return self.fail("trailing characters");
        }
        Ok(envelope)
    }

    fn peek(&self) -> Option<u8> {
        self.b.get(self.i).copied()
    }

    fn fail<T>(&mut self, what: &'static str) -> Scan<T> {
        self.what = what;
        self.at = self.i;
        Err(Stop)
    }

    fn fail_duplicate<T>(&mut self, key: Key, at: usize) -> Scan<T> {
        self.what = "duplicate key";
        self.at = at;
        self.duplicate = Some(key);
        Err(Stop)
    }

    fn whitespace(&mut self) {
        while let Some(b' ' | b'\n' | b'\t' | b'\r') = self.peek() {
            self.i += 1;
        }
    }

    /// Any value (after whitespace), reduced to its fact.
    fn value(&mut self) -> Scan<Fact> {
        match self.peek() {
            None => self.fail(EOF_VALUE),
            Some(b'"') => {
                let text = self.string()?;
                Ok(string_fact(self.b, text))
            }
            Some(b'-' | b'0'..=b'9') => self.number(),
            Some(b'[') => self.array().map(|()| Fact::Other),
            Some(b'{') => self.object(Sink::Plain).map(|()| Fact::Other),
            Some(b'n') => self.literal(b"null"),
            Some(b't') => self.literal(b"true"),
            Some(b'f') => self.literal(b"false"),
            Some(_) => self.fail("expected value"),
        }
    }

    fn literal(&mut self, word: &[u8]) -> Scan<Fact> {
        for &expected in word {
            match self.peek() {
                None => return self.fail(EOF_VALUE),
                Some(byte) if byte == expected => self.i += 1,
                Some(_) => return self.fail("expected ident"),
            }
        }
        Ok(Fact::Other)
    }

    fn enter(&mut self) -> Scan<()> {
        self.depth += 1;
        if self.depth >= MAX_DEPTH {
            return self.fail("recursion limit exceeded");
        }
        self.i += 1;
        self.whitespace();
        Ok(())
    }

    fn array(&mut self) -> Scan<()> {
        self.enter()?;
        if self.peek() == Some(b']') {
            self.i += 1;
        } else {
            loop {
                self.value()?;
                if self.after_item(b']', EOF_LIST, "expected `,` or `]`")? {
                    break;
                }
            }
        }
        self.depth -= 1;
        Ok(())
    }

    /// After an array item or object member: `true` past the closing `close`, `false` past a
    /// comma that another item follows (a trailing comma is refused, as serde_json does).
    fn after_item(&mut self, close: u8, eof: &'static str, expected: &'static str) -> Scan<bool> {
        self.whitespace();
        match self.peek() {
            Some(b',') => {
                self.i += 1;
                self.whitespace();
                if self.peek() == Some(close) {
                    return self.fail("trailing comma");
                }
                Ok(false)
            }
            Some(byte) if byte == close => {
                self.i += 1;
                Ok(true)
            }
            None => self.fail(eof),
            Some(_) => self.fail(expected),
        }
    }

    fn object(&mut self, mut sink: Sink<'_>) -> Scan<()> {
        self.enter()?;
        let base = self.keys.len();
        if self.peek() == Some(b'}') {
            self.i += 1;
        } else {
            loop {
                match self.peek() {
                    Some(b'"') => {}
                    None => return self.fail(EOF_OBJECT),
                    Some(_) => return self.fail("key must be a string"),
                }
                let at = self.i;
                let key = self.string()?;
                self.add_key(base, key, at)?;
                self.whitespace();
                match self.peek() {
                    Some(b':') => self.i += 1,
                    None => return self.fail(EOF_OBJECT),
                    Some(_) => return self.fail("expected `:`"),
                }
                self.whitespace();
                match sink {
                    Sink::Plain => {
                        self.value()?;
                    }
                    _ => self.member(&mut sink, key)?,
                }
                if self.after_item(b'}', EOF_OBJECT, "expected `,` or `}`")? {
                    break;
                }
            }
        }
        self.large_object_duplicates(base)?;
        self.keys.truncate(base);
        self.depth -= 1;
        Ok(())
    }

    /// One member's value, noted as `sink` wants.
    #[inline(never)]
    fn member(&mut self, sink: &mut Sink<'_>, key: Key) -> Scan<()> {
        match sink {
            Sink::Root(envelope) if key_is(self.b, key, "event") => {
                (envelope.event, envelope.kind) = if self.peek() == Some(b'"') {
                    let text = self.string()?;
                    // By index: matching the name found again (`from_name`) repeated every
                    // comparison in the module.
                    let kind = EventKind::at(
                        super::EVENT_TYPES
                            .iter()
                            .position(|name| key_is(self.b, text, name)),
                    );
                    (string_fact(self.b, text), Some(kind))
                } else {
                    (self.value()?, None)
                };
            }
            Sink::Root(envelope) if key_is(self.b, key, "data") => {
                envelope.data = Some(if self.peek() == Some(b'{') {
                    let mut fields = DataFields::default();
                    self.object(Sink::Data(&mut fields))?;
                    Some(fields)
                } else {
                    self.value()?;
                    None
                });
            }
            Sink::Data(fields) => {
                let fact = self.value()?;
                if let Some(slot) = DataFields::NAMES
                    .iter()
                    .find(|name| key_is(self.b, key, name))
                    .and_then(|name| fields.slot(name))
                {
                    *slot = fact;
                }
            }
            _ => {
                self.value()?;
            }
        }
        Ok(())
    }

    /// Records `key` (whose string starts at byte `at`), refusing it if a small object has it.
    fn add_key(&mut self, base: usize, key: Key, at: usize) -> Scan<()> {
        let earlier = self.keys.get(base..).unwrap_or_default();
        if earlier.len() < LINEAR && earlier.iter().any(|&k| same_key(self.b, k, key)) {
            return self.fail_duplicate(key, at);
        }
        self.keys.push(key);
        Ok(())
    }

    /// The keys of an object past [`LINEAR`] keys, sorted: two equal neighbours are a duplicate.
    #[cold]
    #[inline(never)]
    fn large_object_duplicates(&mut self, base: usize) -> Scan<()> {
        let b = self.b;
        let Some(keys) = self.keys.get_mut(base..) else {
            return Ok(());
        };
        if keys.len() <= LINEAR {
            return Ok(());
        }
        heapsort(keys, |x, y| {
            compare_keys(b, x, y).then(x.start.cmp(&y.start))
        });
        let duplicate = keys
            .windows(2)
            .filter_map(|pair| match pair {
                [x, y] if same_key(b, *x, *y) => Some(*y),
                _ => None,
            })
            .min_by_key(|key| key.start);
        match duplicate {
            Some(key) => self.fail_duplicate(key, key.start.saturating_sub(1)),
            None => Ok(()),
        }
    }

    /// A string (at its opening quote): the span of its content, checked.
    #[inline(always)]
    fn string(&mut self) -> Scan<Key> {
        self.i += 1;
        let start = self.i;
        let mut escaped = false;
        loop {
            // Plain characters in one tight loop (UTF-8 is already checked).
            let rest = self.b.get(self.i..).unwrap_or_default();
            self.i += rest
                .iter()
                .position(|&c| STRING_STOPS.get(usize::from(c)) != Some(&false))
                .unwrap_or(rest.len());
            match self.peek() {
                Some(b'"') => break,
                Some(b'\\') => {
                    escaped = true;
                    self.escape()?;
                }
                Some(0..=0x1f) => {
                    return self
                        .fail("control character (\\u0000-\\u001F) found while parsing a string")
                }
                Some(_) => self.i += 1,
                None => return self.fail(EOF_STRING),
            }
        }
        let key = Key {
            start,
            end: self.i,
            escaped,
        };
        self.i += 1;
        Ok(key)
    }

    /// One escape (at its backslash), as serde_json validates it for a `str`.
    fn escape(&mut self) -> Scan<()> {
        self.i += 1;
        match self.peek() {
            Some(b'"' | b'\\' | b'/' | b'b' | b'f' | b'n' | b'r' | b't') => {
                self.i += 1;
                Ok(())
            }
            Some(b'u') => {
                self.i += 1;
                let unit = self.hex4()?;
                if (0xDC00..=0xDFFF).contains(&unit) {
                    return self.fail("lone leading surrogate in hex escape");
                }
                if (0xD800..=0xDBFF).contains(&unit) {
                    if self.b.get(self.i..self.i + 2) != Some(b"\\u") {
                        return self.fail("unexpected end of hex escape");
                    }
                    self.i += 2;
                    if !(0xDC00..=0xDFFF).contains(&self.hex4()?) {
                        return self.fail("lone leading surrogate in hex escape");
                    }
                }
                Ok(())
            }
            Some(_) => self.fail("invalid escape"),
            None => self.fail(EOF_STRING),
        }
    }

    fn hex4(&mut self) -> Scan<u32> {
        let mut unit = 0;
        for _ in 0..4 {
            let digit = match self.peek() {
                Some(byte) => char::from(byte).to_digit(16),
                None => return self.fail(EOF_STRING),
            };
            match digit {
                Some(digit) => unit = unit * 16 + digit,
                None => return self.fail("invalid escape"),
            }
            self.i += 1;
        }
        Ok(unit)
    }

    fn digit(&self) -> Option<u64> {
        match self.peek() {
            Some(byte @ b'0'..=b'9') => Some(u64::from(byte - b'0')),
            _ => None,
        }
    }

    /// A number, with serde_json's arithmetic: a `u64` while it fits, else a significand and a
    /// decimal exponent, refused when serde_json's `f64` for them would be infinite.
    fn number(&mut self) -> Scan<Fact> {
        let negative = self.peek() == Some(b'-');
        if negative {
            self.i += 1;
        }
        let mut significand = match self.digit() {
            Some(0) => {
                self.i += 1;
                if self.digit().is_some() {
                    return self.fail(INVALID_NUMBER);
                }
                0
            }
            Some(digit) => {
                self.i += 1;
                digit
            }
            None if self.peek().is_none() => return self.fail(EOF_VALUE),
            None => return self.fail(INVALID_NUMBER),
        };
        let mut exponent: i32 = 0;
        let mut whole = true;
        // Integer digits: past u64, serde_json keeps the significand and counts the digits.
        while let Some(digit) = self.digit() {
            self.i += 1;
            match grow(significand, digit) {
                Some(grown) if exponent == 0 => significand = grown,
                _ => {
                    whole = false;
                    exponent = exponent.wrapping_add(1);
                }
            }
        }
        if self.peek() == Some(b'.') {
            self.i += 1;
            whole = false;
            let mut fraction_digits = 0;
            let mut overflowed = false;
            while let Some(digit) = self.digit() {
                self.i += 1;
                fraction_digits += 1;
                match grow(significand, digit) {
                    Some(grown) if !overflowed => {
                        significand = grown;
                        exponent = exponent.wrapping_sub(1);
                    }
                    _ => overflowed = true,
                }
            }
            if fraction_digits == 0 {
                return match self.peek() {
                    Some(_) => self.fail(INVALID_NUMBER),
                    None => self.fail(EOF_VALUE),
                };
            }
        }
        if let Some(b'e' | b'E') = self.peek() {
            self.i += 1;
            whole = false;
            let positive = match self.peek() {
                Some(b'+') => {
                    self.i += 1;
                    true
                }
                Some(b'-') => {
                    self.i += 1;
                    false
                }
                _ => true,
            };
            let mut power: i32 = match self.digit() {
                Some(digit) => digit as i32,
                None if self.peek().is_none() => return self.fail(EOF_VALUE),
                None => return self.fail(INVALID_NUMBER),
            };
            self.i += 1;
            let mut overflowed = false;
            while let Some(digit) = self.digit() {
                self.i += 1;
                match power
                    .checked_mul(10)
                    .and_then(|p| p.checked_add(digit as i32))
                {
                    Some(grown) if !overflowed => power = grown,
                    _ => overflowed = true,
                }
            }
            if overflowed {
                // serde_json: infinity is an error, a vanishing number is 0.
                return if significand != 0 && positive {
                    self.fail(NUMBER_OUT_OF_RANGE)
                } else {
                    Ok(Fact::OtherNumber)
                };
            }
            exponent = if positive {
                exponent.saturating_add(power)
            } else {
                exponent.saturating_sub(power)
            };
        }
        if whole {
            return Ok(match negative {
                false => Fact::Unsigned(significand),
                true => Fact::OtherNumber,
            });
        }
        if infinite(significand, exponent) {
            return self.fail(NUMBER_OUT_OF_RANGE);
        }
        Ok(Fact::OtherNumber)
    }
}

/// Sorts `keys` in place, in O(n log n) whatever the input. A heapsort rather than
/// `sort_unstable_by`: the standard sort adds 8 KB to the Wasm module (measured) for a path only
/// objects of more than [`LINEAR`] keys take.
#[inline(never)]
fn heapsort(keys: &mut [Key], order: impl Fn(Key, Key) -> Ordering) {
    let less = |keys: &[Key], i: usize, j: usize| match (keys.get(i), keys.get(j)) {
        (Some(&x), Some(&y)) => order(x, y) == Ordering::Less,
        _ => false,
    };
    let sift_down = |keys: &mut [Key], mut node: usize, len: usize| loop {
        let mut child = 2 * node + 1;
        if child >= len {
            break;
        }
        if child + 1 < len && less(keys, child, child + 1) {
            child += 1;
        }
        if !less(keys, node, child) {
            break;
        }
        keys.swap(node, child);
        node = child;
    };
    let len = keys.len();
    for node in (0..len / 2).rev() {
        sift_down(keys, node, len);
    }
    for end in (1..len).rev() {
        keys.swap(0, end);
        sift_down(keys, 0, end);
    }
}

/// The bytes that end a run of plain string characters: a quote, a backslash, control characters.
#[allow(clippy::indexing_slicing)] // const evaluation: an index out of bounds fails the build
static STRING_STOPS: [bool; 256] = {
    let mut stops = [false; 256];
    let mut i = 0;
    while i < 0x20 {
        stops[i] = true;
        i += 1;
    }
    stops[b'"' as usize] = true;
    stops[b'\\' as usize] = true;
    stops
};

const NUMBER_OUT_OF_RANGE: &str = "number out of range";

/// `significand * 10 + digit`, if it fits in a `u64`. (Compared as serde_json does: on wasm32,
/// `checked_mul` of a `u64` is a 128-bit multiplication call per digit.)
#[inline(always)]
fn grow(significand: u64, digit: u64) -> Option<u64> {
    const MAX: u64 = u64::MAX / 10;
    if significand < MAX || (significand == MAX && digit <= u64::MAX % 10) {
        Some(significand * 10 + digit)
    } else {
        None
    }
}

/// Whether serde_json's `f64_from_parts` (without `float_roundtrip`) overflows to infinity:
/// `significand as f64 * 10^exponent` with `10^exponent` as the literal `1e<exponent>`. Below
/// 10^289 even `u64::MAX` stays finite; past 10^308 anything but zero is infinite.
fn infinite(significand: u64, exponent: i32) -> bool {
    #[rustfmt::skip]
    const POW10: [f64; 20] = [
        1e289, 1e290, 1e291, 1e292, 1e293, 1e294, 1e295, 1e296, 1e297, 1e298,
        1e299, 1e300, 1e301, 1e302, 1e303, 1e304, 1e305, 1e306, 1e307, 1e308,
    ];
    if significand == 0 || exponent < 289 {
        return false;
    }
    match POW10.get((exponent - 289) as usize) {
        Some(pow) => (significand as f64 * pow).is_infinite(),
        None => true,
    }
}

/// The fact for a string value (its content's span).
fn string_fact(b: &[u8], text: Key) -> Fact {
    if !text.escaped {
        let content = b.get(text.start..text.end).unwrap_or_default();
        return Fact::String {
            empty: content.is_empty(),
            currency: content.len() == 3 && content.iter().all(u8::is_ascii_uppercase),
        };
    }
    // An escape always stands for at least one character.
    let mut chars = decode(b, text);
    let first3: [Option<char>; 3] = [chars.next(), chars.next(), chars.next()];
    Fact::String {
        empty: false,
        currency: chars.next().is_none()
            && first3
                .iter()
                .all(|c| c.is_some_and(|c| c.is_ascii_uppercase())),
    }
}

/// Whether a key or string's content, unescaped, is `name`.
fn key_is(b: &[u8], key: Key, name: &str) -> bool {
    if key.escaped {
        escaped_is(b, key, name)
    } else {
        b.get(key.start..key.end) == Some(name.as_bytes())
    }
}

fn same_key(b: &[u8], x: Key, y: Key) -> bool {
    if x.escaped || y.escaped {
        escaped_same(b, x, y)
    } else {
        x.end - x.start == y.end - y.start && b.get(x.start..x.end) == b.get(y.start..y.end)
    }
}

/// Keys in the order of their unescaped text (code point order, which is UTF-8 byte order).
fn compare_keys(b: &[u8], x: Key, y: Key) -> Ordering {
    if x.escaped || y.escaped {
        decode(b, x).cmp(decode(b, y))
    } else {
        b.get(x.start..x.end).cmp(&b.get(y.start..y.end))
    }
}

#[cold]
#[inline(never)]
fn escaped_is(b: &[u8], key: Key, name: &str) -> bool {
    decode(b, key).eq(name.chars())
}

#[cold]
#[inline(never)]
fn escaped_same(b: &[u8], x: Key, y: Key) -> bool {
    decode(b, x).eq(decode(b, y))
}

/// The characters of a scanned (so well-formed) string's content, escapes resolved.
fn decode(b: &[u8], key: Key) -> impl Iterator<Item = char> + '_ {
    let content = core::str::from_utf8(b.get(key.start..key.end).unwrap_or_default());
    let mut chars = content.unwrap_or_default().chars();
    core::iter::from_fn(move || {
        let c = chars.next()?;
        if c != '\\' {
            return Some(c);
        }
        Some(match chars.next()? {
            'b' => '\u{8}',
            'f' => '\u{c}',
            'n' => '\n',
            'r' => '\r',
            't' => '\t',
            'u' => {
                let unit = hex_unit(&mut chars);
                if (0xD800..=0xDBFF).contains(&unit) {
                    chars.nth(1); // the `\u` of the low surrogate, checked by the scan
                    let low = hex_unit(&mut chars);
                    let code = 0x10000 + ((unit - 0xD800) << 10) + (low.wrapping_sub(0xDC00));
                    char::from_u32(code).unwrap_or(char::REPLACEMENT_CHARACTER)
                } else {
                    char::from_u32(unit).unwrap_or(char::REPLACEMENT_CHARACTER)
                }
            }
            other => other, // `"`, `\` and `/` stand for themselves
        })
    })
}

/// The four hex digits after a `\u` (ASCII, the scan checked them), read as bytes: decoding
/// them as four `char`s unrolled UTF-8 decoding four times (~0.9 KB of the module).
fn hex_unit(chars: &mut core::str::Chars<'_>) -> u32 {
    let text = chars.as_str();
    let (digits, rest) = text.split_at_checked(4).unwrap_or((text, ""));
    *chars = rest.chars();
    digits.bytes().fold(0, |unit, digit| {
        unit * 16 + char::from(digit).to_digit(16).unwrap_or(0)
    })
}

impl Scanner<'_, '_> {
    /// `invalid JSON: <what> at line L column C`, as serde_json words its errors.
    #[inline(never)]
    fn error(&self) -> Error {
        let b = self.b;
        let mut message = String::from(self.what);
        if let Some(key) = self.duplicate {
            message.push_str(" `");
            message.extend(decode(b, key).take(64));
            message.push('`');
        }
        let before = b.get(..self.at).unwrap_or(b);
        let line = 1 + before.iter().filter(|&&byte| byte == b'\n').count();
        let line_start = before
            .iter()
            .rposition(|&byte| byte == b'\n')
            .map_or(0, |newline| newline + 1);
        let column = (self.at + 1).min(b.len()).saturating_sub(line_start);
        message.push_str(" at line ");
        crate::error::push_decimal(&mut message, line as u64);
        message.push_str(" column ");
        crate::error::push_decimal(&mut message, column as u64);
        Error::InvalidJson(message)
    }
}
