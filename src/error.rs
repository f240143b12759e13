//! The one error type of the crate, with a stable code per failure.

use std::fmt;

/// Why a webhook was not accepted.
///
/// Each variant has a stable [`code`](Error::code) that the JavaScript package exposes as
/// `WebhookVerificationError.code`. Messages say what to do next; they never contain the secret
/// or the expected signature.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum Error {
    /// The signature header is absent or empty.
    MissingSignature,
    /// The signature header could not be read as `sha256=<64 hex digits>`.
    MalformedSignature(MalformedReason),
    /// The header names an algorithm other than `sha256`.
    UnsupportedAlgorithm(String),
    /// The signature is well formed but matches none of the secrets.
    SignatureMismatch,
    /// The payload is not raw bytes or a string.
    InvalidPayload(String),
    /// The secret is empty, or there are too few or too many of them.
    InvalidSecret(String),
    /// The body is larger than the configured limit, in bytes.
    PayloadTooLarge(usize),
    /// The body is not UTF-8 JSON, has duplicate keys, or nests too deeply.
    InvalidJson(String),
    /// The body is JSON but not an Elenik event.
    InvalidEvent {
        /// Where in the event the problem is, such as `data.amount`.
        path: String,
        /// What is wrong there.
        reason: String,
    },
}

/// What exactly is malformed in a signature header.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum MalformedReason {
    /// The header is longer than [`MAX_HEADER_BYTES`](crate::MAX_HEADER_BYTES).
    TooLong,
    /// The header holds more than [`MAX_SIGNATURES`](crate::MAX_SIGNATURES) signatures.
    TooMany,
    /// A signature is not 64 hexadecimal digits.
    NotHex,
}

impl Error {
    /// The stable code of this error, such as `"SIGNATURE_MISMATCH"`.
    pub fn code(&self) -> &'static str {
        match self {
            Error::MissingSignature => "MISSING_SIGNATURE",
            Error::MalformedSignature(_) => "MALFORMED_SIGNATURE",
            Error::UnsupportedAlgorithm(_) => "UNSUPPORTED_ALGORITHM",
            Error::SignatureMismatch => "SIGNATURE_MISMATCH",
            Error::InvalidPayload(_) => "INVALID_PAYLOAD",
            Error::InvalidSecret(_) => "INVALID_SECRET",
            Error::PayloadTooLarge(_) => "PAYLOAD_TOO_LARGE",
            Error::InvalidJson(_) => "INVALID_JSON",
            Error::InvalidEvent { .. } => "INVALID_EVENT",
        }
    }

    /// Every code, in the order of the variants.
    pub const CODES: [&'static str; 9] = [
        "MISSING_SIGNATURE",
        "MALFORMED_SIGNATURE",
        "UNSUPPORTED_ALGORITHM",
        "SIGNATURE_MISMATCH",
        "INVALID_PAYLOAD",
        "INVALID_SECRET",
        "PAYLOAD_TOO_LARGE",
        "INVALID_JSON",
        "INVALID_EVENT",
    ];

    pub(crate) fn invalid_event(path: impl Into<String>, reason: impl Into<String>) -> Self {
        Error::InvalidEvent {
            path: path.into(),
            reason: reason.into(),
        }
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Error::MissingSignature => f.write_str(
                "missing signature: the request has no X-Elenik-Signature header, or it is empty",
            ),
            Error::MalformedSignature(MalformedReason::TooLong) => write!(
                f,
                "malformed signature: the header is longer than {} bytes",
                crate::MAX_HEADER_BYTES
            ),
            Error::MalformedSignature(MalformedReason::TooMany) => write!(
                f,
                "malformed signature: the header holds more than {} signatures",
                crate::MAX_SIGNATURES
            ),
            Error::MalformedSignature(MalformedReason::NotHex) => f.write_str(
                "malformed signature: expected `sha256=` followed by 64 hexadecimal digits",
            ),
            Error::UnsupportedAlgorithm(name) => write!(
                f,
                "unsupported algorithm `{name}`: Elenik signs with `sha256=`; check that the header comes from Elenik"
            ),
            Error::SignatureMismatch => f.write_str(
                "signature mismatch: the signature was not made from this body with this secret; \
                 pass the raw request body (not parsed and re-serialized JSON) and this endpoint's secret",
            ),
            Error::InvalidPayload(why) => write!(f, "invalid payload: {why}"),
            Error::InvalidSecret(why) => write!(f, "invalid secret: {why}"),
            Error::PayloadTooLarge(limit) => {
                write!(f, "payload too large: the body is over the limit of {limit} bytes")
            }
            Error::InvalidJson(why) => write!(f, "invalid JSON: {why}"),
            Error::InvalidEvent { path, reason } => write!(f, "invalid event: `{path}` {reason}"),
        }
    }
}

impl std::error::Error for Error {}

/// The result type of this crate.
pub type Result<T, E = Error> = std::result::Result<T, E>;
