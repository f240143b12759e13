//! The JavaScript face of the crate: a raw ABI of numbers over a few buffers in Wasm memory.
//!
//! The package's JS glue (`pkg-template/elenik_webhooks.js`) reads each input once, on its side:
//! it writes payload bytes into [`data`] (one `set`, or one `encodeInto` for a string; a body
//! larger than [`CHUNK`] in fixed pieces), the signature header as text already bounded to
//! [`MAX_HEADER_BYTES`] into [`header`], secrets into [`data`], and a `Verifier`'s key state
//! (which JS owns) into [`keys`]. Then it calls one export, which converts those bytes, calls the
//! core, and converts the result back: a number, and text in [`out`]. Nothing here reads a JS
//! value or calls JS: the module imports nothing.
//!
//! Every export returning `i32` returns a value `>= 0` on success, and `-(1 + index)` for an
//! error whose row in [`ERRORS`](crate::ERRORS) is `index`, with the error's message in [`out`].
//! Exports never panic (the crate denies `unwrap`, `expect`, `panic` and indexing).
//!
//! `#[no_mangle]` is how a function becomes a Wasm export without wasm-bindgen; the `unsafe_code`
//! lint counts it (a clash of two exported names is a link-time hazard), so this module alone
//! allows it. There is no `unsafe` block, and one `unsafe impl` ([`Shared`]): JS writes into
//! buffers Rust owns, between calls.
#![allow(unsafe_code)]

use alloc::string::String;
use alloc::vec::Vec;
use core::cell::RefCell;

use crate::error::{Error, MalformedReason};
use sha2::Digest;

use crate::mac::{finish_sha256, scrub_stack, Mac, Sha256, KEY_STATE_LEN};
use crate::signature::{check_secret_count, first_match, keyed_hmac, Stream};
use crate::{parse_signature_header, SignatureHeader, MAX_HEADER_BYTES, MAX_SECRETS};

/// The allocator: talc's, sized for WebAssembly (see Cargo.toml for why not the default).
#[global_allocator]
static ALLOCATOR: talc::wasm::WasmDynamicTalc = talc::wasm::new_wasm_dynamic_allocator();

/// The piece of a payload hashed per call: Wasm memory for `verify`/`sign` does not depend on
/// the body's size.
pub const CHUNK: usize = 64 * 1024;
/// Room for a header: [`MAX_HEADER_BYTES`] plus one more string[] item (3 UTF-8 bytes per
/// UTF-16 unit at most) before the JS glue sees it is over the limit.
const HEADER_CAPACITY: usize = MAX_HEADER_BYTES + 1 + 3 * MAX_HEADER_BYTES;
/// [`signatures`] with this length: there is no signature header.
pub const HEADER_MISSING: i32 = -1;
/// [`signatures`] with this length: the header is over [`MAX_HEADER_BYTES`] (nothing was copied).
pub const HEADER_TOO_LONG: i32 = -2;
/// [`verify`] with this header length: the header [`signatures`] parsed last.
pub const HEADER_PARSED: i32 = -3;

struct Buffers {
    data: Vec<u8>,
    header: Vec<u8>,
    keys: Vec<u8>,
    out: Vec<u8>,
    signatures: Option<SignatureHeader>,
    stream: Option<Stream>,
    plain: Option<Sha256>,
    /// The event scan's key stack, reused: repeating a call never grows memory.
    scan: Vec<crate::event::Key>,
}

/// The instance's buffers, in a `static` (`thread_local!` is std's, and the package's build is
/// `no_std`).
struct Shared(RefCell<Buffers>);

// SAFETY: this module is built without the `atomics` target feature (the `compile_error!` below),
// so the Wasm instance has one thread and no other thread can ever reach `BUFFERS`; the
// `RefCell` still refuses a second borrow (see `with`).
unsafe impl Sync for Shared {}

#[cfg(target_feature = "atomics")]
compile_error!("src/bindings/ assumes a single-threaded Wasm instance (no `atomics`)");

// Empty until the first call sizes them (`prepare`): a `const` initializer leaves the module no
// lazy-initialization path that could panic.
static BUFFERS: Shared = Shared(RefCell::new(Buffers {
    data: Vec::new(),
    header: Vec::new(),
    keys: Vec::new(),
    out: Vec::new(),
    signatures: None,
    stream: None,
    plain: None,
    scan: Vec::new(),
}));

/// The package's build traps on a panic (an `unreachable` instruction, which JS sees as a
/// `RuntimeError`) instead of carrying std's panic machinery and `core::fmt`. Nothing is
/// expected to reach it: the crate denies `unwrap`, `expect`, `panic` and indexing; only the
/// allocator's out-of-memory and capacity-overflow paths lead here.
#[cfg(feature = "pkg")]
#[panic_handler]
fn trap(_: &core::panic::PanicInfo<'_>) -> ! {
    core::arch::wasm32::unreachable()
}

/// Runs `f` on the buffers. A second borrow cannot happen (no export calls another), but
/// answering a default instead of panicking keeps the panic path out of the module.
fn with<T: Default>(f: impl FnOnce(&mut Buffers) -> T) -> T {
    BUFFERS
        .0
        .try_borrow_mut()
        .map(|mut b| {
            prepare(&mut b);
            f(&mut b)
        })
        .unwrap_or_default()
}

/// The fixed buffers at their sizes (from the first call on).
#[inline(never)]
fn prepare(b: &mut Buffers) {
    sized(&mut b.data, CHUNK);
    sized(&mut b.header, HEADER_CAPACITY);
    sized(&mut b.keys, MAX_SECRETS * KEY_STATE_LEN);
}

/// `bytes`, grown with zeros to at least `len` bytes (each buffer is grown once, then reused).
fn sized(bytes: &mut Vec<u8>, len: usize) -> &mut Vec<u8> {
    if bytes.len() < len {
        grow(bytes, len);
    }
    bytes
}

/// The growth of [`sized`], out of line: once in the module instead of at each buffer.
#[cold]
#[inline(never)]
fn grow(bytes: &mut Vec<u8>, len: usize) {
    bytes.resize(len, 0);
}

fn address(bytes: &[u8]) -> u32 {
    bytes.as_ptr() as usize as u32
}

/// The result for JS: `value`, or the error's negative index with its message in `out`.
fn answer(buffers: &mut Buffers, result: Result<usize, Error>) -> i32 {
    match result {
        Ok(value) => i32::try_from(value).unwrap_or(i32::MAX),
        Err(error) => failed(buffers, error),
    }
}

/// [`answer`] for an error: out of line, once, rather than in every export (measured: ~0.9 KB).
#[cold]
#[inline(never)]
fn failed(buffers: &mut Buffers, error: Error) -> i32 {
    buffers.out = error.message().into_bytes();
    -1 - error.index() as i32
}

fn text_out(buffers: &mut Buffers, text: String) -> i32 {
    buffers.out = text.into_bytes();
    0
}

/// The data buffer, with room for at least `capacity` bytes (grown once, then reused).
#[no_mangle]
pub extern "C" fn data(capacity: u32) -> u32 {
    with(|b| address(sized(&mut b.data, capacity as usize)))
}

/// The header buffer.
#[no_mangle]
pub extern "C" fn header() -> u32 {
    with(|b| address(&b.header))
}

/// The key-state buffer: up to [`MAX_SECRETS`] states of [`KEY_STATE_LEN`] bytes.
#[no_mangle]
pub extern "C" fn keys() -> u32 {
    with(|b| address(&b.keys))
}

/// Where the last result text is.
#[no_mangle]
pub extern "C" fn out() -> u32 {
    with(|b| address(&b.out))
}

/// The last result text's length in bytes.
#[no_mangle]
pub extern "C" fn out_len() -> u32 {
    with(|b| b.out.len() as u32)
}

/// Writes the core's constants to `out` for the glue: the header name, the event types, each
/// error code with its status, and the numbers of this ABI ([`ABI`]), as
/// `name\ttype,type…\tCODE=status,CODE=status…\tNAME=number,NAME=number…` ([`CONSTANTS`]).
/// `scripts/pkg-constants.mjs` turns it into the package's `core/constants.js` at build time, so
/// the glue defines none of these numbers itself.
#[no_mangle]
pub extern "C" fn constants() -> i32 {
    with(|b| {
        b.out = CONSTANTS.to_vec();
        0
    })
}

/// The text [`constants`] answers, written at compile time from the core's tables (building it
/// at run time was ~1.1 KB of the module).
const CONSTANTS: [u8; constants_text(&mut [])] = {
    let mut text = [0; constants_text(&mut [])];
    constants_text(&mut text);
    text
};

/// Writes the constants' text into `out` (as much as fits) and returns its length.
#[allow(clippy::indexing_slicing)] // const evaluation: an index out of bounds fails the build
const fn constants_text(out: &mut [u8]) -> usize {
    let mut at = put(out, 0, crate::SIGNATURE_HEADER.as_bytes());
    let mut i = 0;
    while i < crate::EVENT_TYPES.len() {
        at = put(out, at, if i == 0 { b"\t" } else { b"," });
        at = put(out, at, crate::EVENT_TYPES[i].as_bytes());
        i += 1;
    }
    i = 0;
    while i < crate::Error::CODES.len() {
        at = put(out, at, if i == 0 { b"\t" } else { b"," });
        at = put(out, at, crate::Error::CODES[i].as_bytes());
        at = put(out, at, b"=");
        let status = crate::error::STATUSES[i];
        at = put(
            out,
            at,
            &[
                b'0' + (status / 100 % 10) as u8,
                b'0' + (status / 10 % 10) as u8,
                b'0' + (status % 10) as u8,
            ],
        );
        i += 1;
    }
    i = 0;
    while i < ABI.len() {
        at = put(out, at, if i == 0 { b"\t" } else { b"," });
        at = put(out, at, ABI[i].0.as_bytes());
        at = put(out, at, b"=");
        at = put_number(out, at, ABI[i].1);
        i += 1;
    }
    at
}

/// The numbers the glue shares with this module, by the names `core/constants.js` exports them
/// under: sizes of the buffers and limits it bounds its reading by, and the header lengths that
/// stand for no header.
const ABI: [(&str, i64); 8] = [
    ("CHUNK", CHUNK as i64),
    ("KEY_STATE", KEY_STATE_LEN as i64),
    ("MAX_HEADER_BYTES", MAX_HEADER_BYTES as i64),
    ("HEADER_CAPACITY", HEADER_CAPACITY as i64),
    ("MAX_SECRETS", MAX_SECRETS as i64),
    ("HEADER_MISSING", HEADER_MISSING as i64),
    ("HEADER_TOO_LONG", HEADER_TOO_LONG as i64),
    ("HEADER_PARSED", HEADER_PARSED as i64),
];

/// `number` in decimal, written into `out` at `at` (as [`put`]); the position after it.
#[allow(clippy::indexing_slicing)] // const evaluation: an index out of bounds fails the build
const fn put_number(out: &mut [u8], at: usize, number: i64) -> usize {
    let mut at = if number < 0 { put(out, at, b"-") } else { at };
    let magnitude = number.unsigned_abs();
    let mut digits = [0u8; 20];
    let mut len = 0;
    let mut rest = magnitude;
    loop {
        digits[len] = b'0' + (rest % 10) as u8;
        len += 1;
        rest /= 10;
        if rest == 0 {
            break;
        }
    }
    while len > 0 {
        len -= 1;
        at = put(out, at, &[digits[len]]);
    }
    at
}

/// `bytes` written into `out` at `at` (as far as `out` reaches); the position after them.
#[allow(clippy::indexing_slicing)] // const evaluation: guarded by the length check
const fn put(out: &mut [u8], at: usize, bytes: &[u8]) -> usize {
    let mut i = 0;
    while i < bytes.len() {
        if at + i < out.len() {
            out[at + i] = bytes[i];
        }
        i += 1;
    }
    at + bytes.len()
}

/// Every status has three digits, as [`constants_text`] writes them.
#[allow(clippy::indexing_slicing)] // const evaluation: an index out of bounds fails the build
const _: () = {
    let mut i = 0;
    while i < crate::error::STATUSES.len() {
        assert!(crate::error::STATUSES[i] >= 100 && crate::error::STATUSES[i] <= 999);
        i += 1;
    }
};

/// Checks a number of secrets (1 to [`MAX_SECRETS`]).
#[no_mangle]
pub extern "C" fn secret_count(count: u32) -> i32 {
    with(|b| answer(b, check_secret_count(count as usize).map(|()| 0)))
}

/// The key state of the secret in `data[..len]`, written to key slot `slot`; the secret is wiped.
#[no_mangle]
pub extern "C" fn derive(len: u32, slot: u32) -> i32 {
    let result = with(|b| {
        let result = derive_into(b, len, slot).map(|()| 0);
        answer(b, result)
    });
    scrub_stack();
    result
}

/// [`derive`]'s work, out of line: the key state and the copies moving it leaves behind lie in
/// frames below the export, which [`scrub_stack`] wipes, not in the export's own frame, which
/// the next call's scrub (from a frame of another size) may not reach.
#[inline(never)]
fn derive_into(b: &mut Buffers, len: u32, slot: u32) -> Result<(), Error> {
    let key = keyed_hmac(b.data.get(..len as usize).unwrap_or_default());
    zero(b.data.get_mut(..len as usize));
    let start = slot as usize * KEY_STATE_LEN;
    let out = b.keys.get_mut(start..start + KEY_STATE_LEN);
    if let (Ok(key), Some(out)) = (
        &key,
        out.and_then(|s| s.as_chunks_mut::<KEY_STATE_LEN>().0.first_mut()),
    ) {
        key.to_bytes(out);
    }
    key.map(drop)
}

fn zero(bytes: Option<&mut [u8]>) {
    if let Some(bytes) = bytes {
        bytes.fill(0);
        core::hint::black_box(bytes);
    }
}

/// Wipes the first `count` key slots (a call fills no others, and leaves none filled).
fn wipe_slots(b: &mut Buffers, count: u32) {
    let used = (count as usize).min(MAX_SECRETS) * KEY_STATE_LEN;
    zero(b.keys.get_mut(..used));
}

/// Wipes the key slots, and any HMAC in progress.
#[no_mangle]
pub extern "C" fn wipe() {
    with(|b| {
        zero(Some(&mut b.keys));
        b.stream = None;
    });
    scrub_stack();
}

/// Parses the header text in `header[..len]` (or stands for a missing or over-long one).
#[no_mangle]
pub extern "C" fn signatures(len: i32) -> i32 {
    with(|b| {
        // A failed parse leaves no earlier header behind for a later verification to use.
        b.signatures = None;
        let parsed = match len {
            HEADER_MISSING => Err(Error::MissingSignature),
            HEADER_TOO_LONG => Err(Error::MalformedSignature(MalformedReason::TooLong)),
            _ => b
                .header
                .get(..len.max(0) as usize)
                .map(core::str::from_utf8)
                .and_then(Result::ok)
                .ok_or(Error::MissingSignature)
                .and_then(parse_signature_header),
        };
        let result = parsed.map(|signatures| {
            b.signatures = Some(signatures);
            0
        });
        answer(b, result)
    })
}

/// Starts HMACs with the `count` key states in the key slots (then wiped), or a plain SHA-256
/// when `count` is 0.
#[no_mangle]
pub extern "C" fn begin(count: u32) {
    with(|b| start(b, count));
    scrub_stack();
}

fn start(b: &mut Buffers, count: u32) {
    if count == 0 {
        b.plain = Some(Sha256::default());
        return;
    }
    b.stream = Some(Stream::from_macs(resumed(&b.keys, count)));
    wipe_slots(b, count);
}

/// Feeds `data[..len]` to what [`begin`] started.
#[no_mangle]
pub extern "C" fn update(len: u32) {
    with(|b| feed(b, len));
    scrub_stack();
}

fn feed(b: &mut Buffers, len: u32) {
    let bytes = b.data.get(..len as usize).unwrap_or_default();
    if let Some(stream) = &mut b.stream {
        stream.update(bytes);
    }
    if let Some(plain) = &mut b.plain {
        plain.update(bytes);
    }
}

/// Ends the HMACs: the index of the first key that matches the parsed signatures.
#[no_mangle]
pub extern "C" fn finish_verify() -> i32 {
    let result = with(finish);
    scrub_stack();
    result
}

fn finish(b: &mut Buffers) -> i32 {
    let stream = b.stream.take();
    let result = match (stream, &b.signatures) {
        (Some(stream), Some(signatures)) => stream.verify(signatures),
        _ => Err(Error::MissingSignature),
    };
    answer(b, result)
}

/// Ends the HMAC of the first key: its header value `sha256=<hex>`, in `out`.
#[no_mangle]
pub extern "C" fn finish_sign() -> i32 {
    let result = with(|b| {
        let signed = b.stream.take().map(Stream::sign).unwrap_or_default();
        text_out(b, signed)
    });
    scrub_stack();
    result
}

/// Ends the plain SHA-256: its lowercase hex (the delivery key), in `out`.
#[no_mangle]
pub extern "C" fn finish_digest() -> i32 {
    with(|b| {
        let digest = b.plain.as_mut().map(finish_sha256).unwrap_or_default();
        b.plain = None;
        text_out(b, crate::signature::lower_hex(&digest))
    })
}

/// Verifies `data[..len]` in one call, for a payload whole in `data` (one that fits in a piece,
/// or an event body): parses the header in `header[..header_len]` as [`signatures`] does (or,
/// for [`HEADER_PARSED`], takes the one it parsed last), then hashes with the `count` key states
/// in the key slots. The key slots are wiped either way.
#[no_mangle]
pub extern "C" fn verify(count: u32, len: u32, header_len: i32) -> i32 {
    let parsed = match header_len {
        HEADER_PARSED => 0,
        _ => signatures(header_len),
    };
    let result = with(|b| {
        let result = match parsed {
            0 => {
                let verified = verify_whole(b, count, len);
                answer(b, verified)
            }
            _ => parsed, // the header's error, its message already in `out`
        };
        wipe_slots(b, count);
        result
    });
    scrub_stack();
    result
}

/// A receiver's request in one call, over the one copy of its body in `data[..len]`: verifies it
/// as [`verify`] does (the header in `header[..header_len]`, the `count` key states, wiped either
/// way), then validates the event as [`validate_event`] does, and with `key` not 0 writes the
/// body's delivery key (its lowercase hex SHA-256, a second hash state over the same bytes) to
/// `out`. The matching key's index, or the first error.
#[no_mangle]
pub extern "C" fn verify_event(count: u32, len: u32, header_len: i32, key: u32) -> i32 {
    let verified = verify(count, len, header_len);
    if verified < 0 {
        return verified;
    }
    with(|b| {
        let body = b.data.get(..len as usize).unwrap_or_default();
        match crate::event::validate_event_with(body, &mut b.scan) {
            Err(error) => failed(b, error),
            Ok(_) if key == 0 => verified,
            Ok(_) => {
                let mut plain = Sha256::new();
                plain.update(body);
                let digest = plain.finalize();
                text_out(b, crate::signature::lower_hex(&digest));
                verified
            }
        }
    })
}

/// [`Stream::verify`] for a payload whole in `data`: one key at a time, each HMAC on the stack
/// (below the export, so [`scrub_stack`] covers it) instead of in an allocation.
#[inline(never)]
fn verify_whole(b: &Buffers, count: u32, len: u32) -> Result<usize, Error> {
    let body = b.data.get(..len as usize).unwrap_or_default();
    let digests = resumed(&b.keys, count).map(|mut mac| {
        mac.update(body);
        mac.finalize()
    });
    match &b.signatures {
        Some(signatures) => first_match(digests, signatures),
        None => Err(Error::MissingSignature),
    }
}

/// HMACs resumed from the first `count` key states in the key slots. One that cannot be read ends
/// the list (it does not happen: see [`Mac::resume`]): the keys after it are not tried, so a
/// verification can only fail.
fn resumed(keys: &[u8], count: u32) -> impl Iterator<Item = Mac> + '_ {
    keys.as_chunks::<KEY_STATE_LEN>()
        .0
        .iter()
        .take(count as usize)
        .map_while(Mac::resume)
}

/// Validates the event in `data[..len]` (before the glue hands it to `JSON.parse`).
#[no_mangle]
pub extern "C" fn validate_event(len: u32) -> i32 {
    with(|b| {
        let body = b.data.get(..len as usize).unwrap_or_default();
        let result = crate::event::validate_event_with(body, &mut b.scan).map(|_| 0);
        answer(b, result)
    })
}
