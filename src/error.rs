//! The one error type of the crate, with a stable code per failure.

use alloc::string::String;
use core::fmt;

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

/// Everything the package says about one error code: the single table that the JS error class,
/// `ERROR_CODES`, the `.d.ts` union and the README's table follow (`tests/error_table.rs` proves
/// the last two agree with it; the JS package reads codes and statuses from the Wasm core).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ErrorInfo {
    /// The stable code, such as `"SIGNATURE_MISMATCH"`.
    pub code: &'static str,
    /// The HTTP status a receiver answers with: 401 signature, 400 event, 413 too large, 500 the
    /// receiver's own mistake.
    pub status: u16,
    /// What the code means, as the README's table says it.
    pub meaning: &'static str,
    /// The typical fix, as the README's table says it (`—` when the sender must change).
    pub fix: &'static str,
}

/// Every error code, in the order of [`Error`]'s variants.
pub const ERRORS: [ErrorInfo; 9] = [
    ErrorInfo {
        code: "MISSING_SIGNATURE",
        status: 401,
        meaning: "no `X-Elenik-Signature`, or it is empty",
        fix: "check the route receives Elenik's request and your proxy keeps the header",
    },
    ErrorInfo {
        code: "MALFORMED_SIGNATURE",
        status: 401,
        meaning: "not `sha256=` + 64 hex digits; over 4 KiB or over 8 signatures",
        fix: "check what sits in the header",
    },
    ErrorInfo {
        code: "UNSUPPORTED_ALGORITHM",
        status: 401,
        meaning: "a prefix other than `sha256=` (`sha1=`, `v1=`…)",
        fix: "the header is not Elenik's",
    },
    ErrorInfo {
        code: "SIGNATURE_MISMATCH",
        status: 401,
        meaning: "well formed, but not made from this body with this secret",
        fix: "pass the raw body (not re-serialized JSON) and this endpoint's secret",
    },
    ErrorInfo {
        code: "INVALID_PAYLOAD",
        status: 500,
        meaning: "the payload is not a string or bytes (e.g. a parsed object)",
        fix: "`express.raw()`, `await request.arrayBuffer()`",
    },
    ErrorInfo {
        code: "INVALID_SECRET",
        status: 500,
        meaning: "empty secret, or not 1 to 16 of them",
        fix: "check the environment variable is set",
    },
    ErrorInfo {
        code: "PAYLOAD_TOO_LARGE",
        status: 413,
        meaning: "the receiver or `verifyRequest` got more than `maxBodyBytes`",
        fix: "raise the limit if the events are really that large",
    },
    ErrorInfo {
        code: "INVALID_JSON",
        status: 400,
        meaning: "not UTF-8 JSON, a duplicate key, or nested deeper than 127 levels",
        fix: "—",
    },
    ErrorInfo {
        code: "INVALID_EVENT",
        status: 400,
        meaning: "not `{ \"event\": string, \"data\": object }`, or a known type's field is wrong; the message names the path, e.g. `data.amount`",
        fix: "—",
    },
];

/// Every status, in the order of [`ERRORS`] (for the Wasm build, which then does not carry the
/// table's meanings and fixes).
#[allow(clippy::indexing_slicing)] // const evaluation: an index out of bounds fails the build
pub(crate) const STATUSES: [u16; 9] = {
    let mut statuses = [0; 9];
    let mut i = 0;
    while i < ERRORS.len() {
        statuses[i] = ERRORS[i].status;
        i += 1;
    }
    statuses
};

impl Error {
    /// This error's row in [`ERRORS`].
    pub fn index(&self) -> usize {
        match self {
            Error::MissingSignature => 0,
            Error::MalformedSignature(_) => 1,
            Error::UnsupportedAlgorithm(_) => 2,
            Error::SignatureMismatch => 3,
            Error::InvalidPayload(_) => 4,
            Error::InvalidSecret(_) => 5,
            Error::PayloadTooLarge(_) => 6,
            Error::InvalidJson(_) => 7,
            Error::InvalidEvent { .. } => 8,
        }
    }

    /// The stable code of this error, such as `"SIGNATURE_MISMATCH"`.
    pub fn code(&self) -> &'static str {
        Error::CODES.get(self.index()).copied().unwrap_or("")
    }

    /// The HTTP status to answer with (see [`ErrorInfo::status`]).
    pub fn status(&self) -> u16 {
        STATUSES.get(self.index()).copied().unwrap_or(500)
    }

    /// Every code, in the order of the variants.
    #[allow(clippy::indexing_slicing)] // const evaluation: an index out of bounds fails the build
    pub const CODES: [&'static str; 9] = {
        let mut codes = [""; 9];
        let mut i = 0;
        while i < ERRORS.len() {
            codes[i] = ERRORS[i].code;
            i += 1;
        }
        codes
    };

    pub(crate) fn invalid_event(path: impl Into<String>, reason: impl Into<String>) -> Self {
        Error::InvalidEvent {
            path: path.into(),
            reason: reason.into(),
        }
    }
}

impl Error {
    /// The message, as [`Display`](fmt::Display) shows it: built from static pieces without
    /// `core::fmt`, which the Wasm build (that calls this) then does not carry.
    pub fn message(&self) -> String {
        let mut digits = [0; 20];
        let parts: &[&str] = match self {
            Error::MissingSignature => {
                &["missing signature: the request has no X-Elenik-Signature header, or it is empty"]
            }
            Error::MalformedSignature(MalformedReason::TooLong) => &[
                "malformed signature: the header is longer than ",
                decimal(crate::MAX_HEADER_BYTES as u64, &mut digits),
                " bytes",
            ],
            Error::MalformedSignature(MalformedReason::TooMany) => &[
                "malformed signature: the header holds more than ",
                decimal(crate::MAX_SIGNATURES as u64, &mut digits),
                " signatures",
            ],
            Error::MalformedSignature(MalformedReason::NotHex) => {
                &["malformed signature: expected `sha256=` followed by 64 hexadecimal digits"]
            }
            Error::UnsupportedAlgorithm(name) => &[
                "unsupported algorithm `",
                name,
                "`: Elenik signs with `sha256=`; check that the header comes from Elenik",
            ],
            Error::SignatureMismatch => &[
                "signature mismatch: the signature was not made from this body with this secret; \
                 pass the raw request body (not parsed and re-serialized JSON) and this endpoint's secret",
            ],
            Error::InvalidPayload(why) => &["invalid payload: ", why],
            Error::InvalidSecret(why) => &["invalid secret: ", why],
            Error::PayloadTooLarge(limit) => &[
                "payload too large: the body is over the limit of ",
                decimal(*limit as u64, &mut digits),
                " bytes",
            ],
            Error::InvalidJson(why) => &["invalid JSON: ", why],
            Error::InvalidEvent { path, reason } => &["invalid event: `", path, "` ", reason],
        };
        concat(parts)
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message())
    }
}

/// `parts` joined into a new `String`: one allocation, and one copy loop out of line for every
/// message (each inlined `push_str` carried its own growth check; measured, ~2 KB of the module).
#[inline(never)]
pub(crate) fn concat(parts: &[&str]) -> String {
    let mut text = String::with_capacity(parts.iter().map(|part| part.len()).sum());
    for part in parts {
        text.push_str(part);
    }
    text
}

/// `n` in decimal (what `format!` would write, without `core::fmt`), in `digits`.
pub(crate) fn decimal(n: u64, digits: &mut [u8; 20]) -> &str {
    let mut start = digits.len();
    let mut rest = n;
    while let Some(slot) = start.checked_sub(1).and_then(|i| digits.get_mut(i)) {
        *slot = b'0' + (rest % 10) as u8;
        start -= 1;
        rest /= 10;
        if rest == 0 {
            break;
        }
    }
    core::str::from_utf8(digits.get(start..).unwrap_or_default()).unwrap_or_default()
}

/// Appends `n` in decimal.
pub(crate) fn push_decimal(text: &mut String, n: u64) {
    text.push_str(decimal(n, &mut [0; 20]));
}

impl core::error::Error for Error {}

/// The result type of this crate.
pub type Result<T, E = Error> = core::result::Result<T, E>;
