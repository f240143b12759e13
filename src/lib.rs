//! Verify [Elenik](https://elenik.example) webhooks and parse their events.
//!
//! Elenik signs each delivery with `X-Elenik-Signature: sha256=<hex>`, the HMAC-SHA256 of the raw
//! body keyed with the endpoint's secret. This crate checks that header in constant time and
//! validates the JSON event. It is plain Rust; the `wasm32` build adds the bindings that the
//! `elenik-webhooks` npm package is made of.
//!
//! ```
//! use elenik_webhooks::{construct_event, sign, EventKind, Verifier};
//!
//! let body = br#"{"event":"user_signup","data":{"user_id":"u_123"}}"#;
//! let header = sign(body, b"whsec-endpoint-secret")?;
//!
//! // Once per endpoint, at start-up:
//! let verifier = Verifier::new(&["whsec-endpoint-secret"])?;
//! // Per request:
//! let event = construct_event(&verifier, body, &header)?;
//! assert_eq!(event.kind(), EventKind::UserSignup);
//! assert_eq!(event.data()["user_id"], "u_123");
//! # Ok::<(), elenik_webhooks::Error>(())
//! ```

//!
//! The `pkg` feature is the npm package's Wasm build (`scripts/build-pkg.sh` alone enables it):
//! the crate is then `no_std` (with `alloc`), has a panic handler that traps, and leaves out
//! what the raw exports of [`bindings`] do not call (`parse_event`'s serde_json tree,
//! `delivery_key`), so the module carries neither `core::fmt` nor std's panic machinery. Without
//! it (native, and the wasm-bindgen-test suites) the crate links std and has its whole API.
#![cfg_attr(feature = "pkg", no_std)]

extern crate alloc;

#[cfg(all(feature = "pkg", not(target_arch = "wasm32")))]
compile_error!("the `pkg` feature is the npm package's Wasm build: wasm32 only");

#[cfg(not(feature = "pkg"))]
mod delivery;
mod error;
mod event;
mod mac;
mod signature;

#[cfg(target_arch = "wasm32")]
pub mod bindings;

#[cfg(not(feature = "pkg"))]
pub use delivery::delivery_key;
pub use error::{Error, ErrorInfo, MalformedReason, Result, ERRORS};
#[cfg(not(target_arch = "wasm32"))]
#[doc(hidden)]
pub use event::parse_event_with_serde_json;
#[cfg(not(feature = "pkg"))]
pub use event::{parse_event, Event};
pub use event::{EventKind, EVENT_TYPES};
pub use signature::{
    parse_signature_header, sign, verify, SignatureHeader, Verifier, MAX_HEADER_BYTES, MAX_SECRETS,
    MAX_SIGNATURES, SIGNATURE_HEADER,
};

/// Verifies the signature, then parses the event: what a receiver calls for each request.
#[cfg(not(feature = "pkg"))]
pub fn construct_event(verifier: &Verifier, payload: &[u8], header: &str) -> Result<Event> {
    verifier.verify(payload, header)?;
    parse_event(payload)
}
