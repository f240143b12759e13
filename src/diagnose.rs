//! Why a signature did not verify: the mistakes receivers make most, checked one by one.
//!
//! A failed verification says only "mismatch". [`explain_mismatch`] re-hashes a few likely
//! variants of the body and the secret (a trailing newline trimmed, CRLF converted, the JSON
//! re-serialized, a `whsec_` prefix dropped, base64 decoded, Latin-1 transcoded) and reports the
//! variant that matches. It never reveals the expected signature or the secret: findings name
//! what was done to the input, not its content.
//!
//! The cost is bounded: at most [`MAX_CANDIDATES`] HMACs over the body (usually two or three)
//! and, for a JSON body, one parse and two serializations.

use std::fmt;

use base64::engine::general_purpose::{STANDARD, STANDARD_NO_PAD, URL_SAFE, URL_SAFE_NO_PAD};
use base64::Engine;
use serde::Serialize;
use zeroize::Zeroizing;

use crate::error::{Error, MalformedReason, Result};
use crate::signature::{parse_signature_header, Verifier};

/// The most HMACs one diagnosis computes: the original, up to three secret variants against the
/// body, and up to five body variants against the secret.
pub const MAX_CANDIDATES: usize = 9;

/// What a [`Finding`] is about. The codes are stable; findings come in the order of the variants.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
#[non_exhaustive]
pub enum FindingCode {
    /// There is no signature header, or it is empty.
    MissingSignature,
    /// The header names another algorithm than `sha256`.
    UnsupportedAlgorithm,
    /// The header is not `sha256=` and 64 hex digits.
    MalformedSignature,
    /// The secret starts or ends with whitespace (often a newline from a file or `echo`).
    SecretWhitespace,
    /// The body matches without its trailing newline.
    BodyTrailingNewline,
    /// The body matches with its line endings converted (CRLF and LF).
    BodyLineEndings,
    /// The body matches as `JSON.stringify(JSON.parse(body))`: it went through a JSON parser.
    BodyReserialized,
    /// The body matches re-serialized with 2-space indentation.
    BodyReindented,
    /// The secret matches without its `whsec_`-style prefix.
    SecretPrefix,
    /// The secret matches once base64-decoded (or base64-encoded).
    SecretBase64,
    /// The body matches in another text encoding (Latin-1 instead of UTF-8, or back).
    BodyLatin1,
    /// No known mistake explains it: the secret or the body differs from what was signed.
    SecretOrBodyDiffers,
}

impl FindingCode {
    /// Every code, in the order findings are reported.
    pub const ALL: [FindingCode; 12] = [
        FindingCode::MissingSignature,
        FindingCode::UnsupportedAlgorithm,
        FindingCode::MalformedSignature,
        FindingCode::SecretWhitespace,
        FindingCode::BodyTrailingNewline,
        FindingCode::BodyLineEndings,
        FindingCode::BodyReserialized,
        FindingCode::BodyReindented,
        FindingCode::SecretPrefix,
        FindingCode::SecretBase64,
        FindingCode::BodyLatin1,
        FindingCode::SecretOrBodyDiffers,
    ];

    /// The stable code, such as `"BODY_RESERIALIZED"`.
    pub fn as_str(self) -> &'static str {
        match self {
            FindingCode::MissingSignature => "MISSING_SIGNATURE",
            FindingCode::UnsupportedAlgorithm => "UNSUPPORTED_ALGORITHM",
            FindingCode::MalformedSignature => "MALFORMED_SIGNATURE",
            FindingCode::SecretWhitespace => "SECRET_WHITESPACE",
            FindingCode::BodyTrailingNewline => "BODY_TRAILING_NEWLINE",
            FindingCode::BodyLineEndings => "BODY_LINE_ENDINGS",
            FindingCode::BodyReserialized => "BODY_RESERIALIZED",
            FindingCode::BodyReindented => "BODY_REINDENTED",
            FindingCode::SecretPrefix => "SECRET_PREFIX",
            FindingCode::SecretBase64 => "SECRET_BASE64",
            FindingCode::BodyLatin1 => "BODY_LATIN1",
            FindingCode::SecretOrBodyDiffers => "SECRET_OR_BODY_DIFFERS",
        }
    }

    fn fix(self) -> &'static str {
        match self {
            FindingCode::MissingSignature => {
                "check the request comes from Elenik and no proxy strips the X-Elenik-Signature header"
            }
            FindingCode::UnsupportedAlgorithm => {
                "Elenik sends `sha256=<hex>`; check the header is Elenik's and not another provider's"
            }
            FindingCode::MalformedSignature => {
                "pass the X-Elenik-Signature header value unchanged: `sha256=` followed by 64 hex digits"
            }
            FindingCode::SecretWhitespace => {
                "trim the secret where it is loaded (a file or `echo` adds a newline; use `echo -n` or .trim())"
            }
            FindingCode::BodyTrailingNewline | FindingCode::BodyLineEndings => {
                "verify the body bytes exactly as received; do not read it as lines or let a tool rewrite it"
            }
            FindingCode::BodyReserialized | FindingCode::BodyReindented => {
                "verify the raw body before any JSON parser (express.raw(), await request.arrayBuffer()), \
                 not JSON.stringify of the parsed object"
            }
            FindingCode::SecretPrefix | FindingCode::SecretBase64 => {
                "Elenik keys the HMAC with the secret's text exactly as shown; sign and verify with those \
                 same bytes (keep the prefix, do not base64-decode or encode)"
            }
            FindingCode::BodyLatin1 => {
                "read the body as bytes (Buffer) and do not decode it as Latin-1/'binary' before verifying"
            }
            FindingCode::SecretOrBodyDiffers => {
                "check this is the secret of the endpoint that received the request (test and live differ), \
                 and that the body is the raw bytes received"
            }
        }
    }
}

impl fmt::Display for FindingCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// One reason why a signature did not verify: a stable code, a one-line explanation and a fix.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Finding {
    /// What the finding is about.
    pub code: FindingCode,
    /// What was found, in one line. Never contains the secret or the expected signature.
    pub message: String,
    /// What to change.
    pub fix: String,
}

impl Finding {
    fn new(code: FindingCode, message: impl Into<String>) -> Self {
        Finding {
            code,
            message: message.into(),
            fix: code.fix().to_owned(),
        }
    }
}

/// What a JSON body parser would have made of the body: compact, and indented by 2 spaces.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct JsonForms {
    /// The compact form, as `JSON.stringify(JSON.parse(body))`.
    pub compact: Vec<u8>,
    /// The form indented by 2 spaces, as `JSON.stringify(JSON.parse(body), null, 2)`.
    pub indented: Vec<u8>,
}

/// The body re-serialized by `serde_json` (what a Rust receiver that parses first would hash).
///
/// Without serde_json's `preserve_order` feature its objects sort their keys, and its numbers
/// differ from JavaScript's in places (`1.0`, `1e21`), so the npm package passes the forms
/// `JSON.stringify` produces instead, through [`explain_mismatch_with`].
pub fn serde_json_forms(text: &str) -> Option<JsonForms> {
    let value: serde_json::Value = serde_json::from_str(text).ok()?;
    Some(JsonForms {
        compact: serde_json::to_vec(&value).ok()?,
        indented: serde_json::to_vec_pretty(&value).ok()?,
    })
}

/// Explains why `header` is not a valid signature of `payload` with `secret`, re-serializing JSON
/// bodies with [`serde_json_forms`]. An empty list means the signature is valid.
///
/// ```
/// use elenik_webhooks::{explain_mismatch, sign, FindingCode};
///
/// let header = sign(b"{\"event\":\"user_signup\",\"data\":{}}", b"secret")?;
/// let findings = explain_mismatch(b"{\"event\":\"user_signup\",\"data\":{}}\n", &header, b"secret")?;
/// assert_eq!(findings[0].code, FindingCode::BodyTrailingNewline);
/// # Ok::<(), elenik_webhooks::Error>(())
/// ```
///
/// # Errors
/// [`Error::InvalidSecret`] for an empty secret, as [`verify`](crate::verify) does.
pub fn explain_mismatch(payload: &[u8], header: &str, secret: &[u8]) -> Result<Vec<Finding>> {
    explain_mismatch_with(payload, header, secret, serde_json_forms)
}

/// [`explain_mismatch`] with the JSON re-serialization supplied by the caller: `json_forms` gets
/// the body as text (only when it is UTF-8) and returns its re-serialized forms, or `None` when
/// it is not JSON. The npm package passes JavaScript's own `JSON.stringify` here.
///
/// # Errors
/// [`Error::InvalidSecret`] for an empty secret.
pub fn explain_mismatch_with(
    payload: &[u8],
    header: &str,
    secret: &[u8],
    json_forms: impl FnOnce(&str) -> Option<JsonForms>,
) -> Result<Vec<Finding>> {
    // Checked first, so a bad secret is reported the same way verify reports it.
    let original = Verifier::new(&[secret])?;
    let whitespace = secret_whitespace(secret);
    let mut findings = Vec::new();

    let signatures = match parse_signature_header(header) {
        Ok(signatures) => signatures,
        Err(error) => {
            findings.push(header_finding(&error, header));
            findings.extend(whitespace.map(|w| w.finding(false)));
            return Ok(findings);
        }
    };
    if original.verify_parsed(payload, &signatures).is_ok() {
        return Ok(findings);
    }

    let matches = |secret: &[u8], body: &[u8]| {
        Verifier::new(&[secret]).is_ok_and(|v| v.verify_parsed(body, &signatures).is_ok())
    };
    // Each variant of one input against the other input as given (or with the secret trimmed,
    // since surrounding whitespace is wrong whatever else is): one cause at a time.
    let base_secret = whitespace.as_ref().map_or(secret, |w| w.trimmed);
    let found = secret_variants(secret, whitespace.as_ref())
        .into_iter()
        .find(|(_, candidate)| matches(candidate, payload))
        .map(|(codes, _)| codes)
        .or_else(|| {
            body_variants(payload, json_forms)
                .into_iter()
                .find(|(_, candidate)| matches(base_secret, candidate))
                .map(|(code, _)| {
                    let mut codes = vec![code];
                    if whitespace.is_some() {
                        codes.insert(0, FindingCode::SecretWhitespace);
                    }
                    codes
                })
        });

    match found {
        Some(codes) => findings.extend(codes.into_iter().map(|code| {
            match code {
                FindingCode::SecretWhitespace => whitespace
                    .as_ref()
                    .map_or_else(|| Finding::new(code, ""), |w| w.finding(true)),
                FindingCode::SecretPrefix => Finding::new(
                    code,
                    format!(
                        "the signature was made with the secret without its `{}` prefix",
                        secret_prefix(base_secret).map_or("", |(prefix, _)| prefix)
                    ),
                ),
                FindingCode::SecretBase64 if is_text(base_secret) => Finding::new(
                    code,
                    "the signature was made with the bytes the secret base64-decodes to, not its text",
                ),
                FindingCode::SecretBase64 => Finding::new(
                    code,
                    "the signature was made with these secret bytes base64-encoded, as text",
                ),
                _ => Finding::new(code, confirmed_message(code)),
            }
        })),
        None => {
            findings.extend(whitespace.map(|w| w.finding(false)));
            findings.push(Finding::new(
                FindingCode::SecretOrBodyDiffers,
                "the signature was made from other body bytes or with another secret; \
                 no common mistake (newlines, re-serialized JSON, prefixes, encodings) explains it",
            ));
        }
    }
    Ok(findings)
}

fn confirmed_message(code: FindingCode) -> &'static str {
    match code {
        FindingCode::BodyTrailingNewline => {
            "the signature matches the body without its trailing newline: something appended one"
        }
        FindingCode::BodyLineEndings => {
            "the signature matches the body with its line endings converted (CRLF and LF)"
        }
        FindingCode::BodyReserialized => {
            "the signature matches JSON.stringify(JSON.parse(body)): the body was parsed and re-serialized \
             (the body-parser mistake)"
        }
        FindingCode::BodyReindented => {
            "the signature matches the JSON re-serialized with 2-space indentation: the body was parsed and \
             re-serialized (the body-parser mistake)"
        }
        FindingCode::BodyLatin1 => {
            "the signature matches the body transcoded between UTF-8 and Latin-1: it was decoded with the \
             wrong text encoding"
        }
        _ => "",
    }
}

fn header_finding(error: &Error, header: &str) -> Finding {
    match error {
        Error::UnsupportedAlgorithm(name) => Finding::new(
            FindingCode::UnsupportedAlgorithm,
            format!("the header is signed with `{name}`, not `sha256`"),
        ),
        Error::MalformedSignature(MalformedReason::TooLong) => Finding::new(
            FindingCode::MalformedSignature,
            format!(
                "the header is longer than {} bytes",
                crate::MAX_HEADER_BYTES
            ),
        ),
        Error::MalformedSignature(MalformedReason::TooMany) => Finding::new(
            FindingCode::MalformedSignature,
            format!(
                "the header holds more than {} signatures",
                crate::MAX_SIGNATURES
            ),
        ),
        Error::MalformedSignature(_) => {
            Finding::new(FindingCode::MalformedSignature, malformed_message(header))
        }
        _ => Finding::new(
            FindingCode::MissingSignature,
            "there is no X-Elenik-Signature header, or it is empty",
        ),
    }
}

/// Says what is wrong with the first signature without echoing the header's text.
fn malformed_message(header: &str) -> String {
    let first = header.split(',').map(str::trim).find(|p| !p.is_empty());
    let digits = first
        .map(|part| part.split_once('=').map_or(part, |(_, d)| d.trim()))
        .unwrap_or_default();
    let count = digits.chars().count();
    if count == 64 {
        return "the signature has 64 characters but not all are hexadecimal digits".into();
    }
    let base64 = [&STANDARD, &URL_SAFE, &STANDARD_NO_PAD, &URL_SAFE_NO_PAD]
        .iter()
        .any(|engine| engine.decode(digits).is_ok_and(|d| d.len() == 32));
    if base64 {
        return format!(
            "the signature has {count} characters and looks base64-encoded; Elenik sends 64 hex digits"
        );
    }
    format!("the signature has {count} characters where 64 hexadecimal digits are expected")
}

/// The secret's surrounding whitespace, and the secret without it.
struct Whitespace<'a> {
    trimmed: &'a [u8],
    what: &'static str,
}

impl Whitespace<'_> {
    fn finding(&self, confirmed: bool) -> Finding {
        let message = if confirmed {
            format!("the secret {}; without it the signature matches", self.what)
        } else {
            format!(
                "the secret {}; Elenik's secrets have none (it does not match without it either)",
                self.what
            )
        };
        Finding::new(FindingCode::SecretWhitespace, message)
    }
}

fn secret_whitespace(secret: &[u8]) -> Option<Whitespace<'_>> {
    let text = std::str::from_utf8(secret).ok()?;
    let is_space = |c: char| c.is_whitespace() || c == '\u{feff}';
    let trimmed = text.trim_matches(is_space);
    if trimmed.len() == text.len() || trimmed.is_empty() {
        return None;
    }
    let trailing = text
        .get(text.trim_end_matches(is_space).len()..)
        .unwrap_or_default();
    let what = if trailing.contains('\n') || trailing.contains('\r') {
        "ends with a newline"
    } else if trailing.is_empty() {
        "starts with whitespace"
    } else {
        "ends with whitespace"
    };
    Some(Whitespace {
        trimmed: trimmed.as_bytes(),
        what,
    })
}

/// Printable text (as secrets shown in a dashboard are), rather than raw key bytes.
fn is_text(secret: &[u8]) -> bool {
    std::str::from_utf8(secret).is_ok_and(|text| !text.chars().any(char::is_control))
}

/// A `whsec_`-style prefix: a short word and an underscore before at least 8 more characters.
fn secret_prefix(secret: &[u8]) -> Option<(&str, &[u8])> {
    let text = std::str::from_utf8(secret).ok()?;
    let (prefix, rest) = text.split_once('_')?;
    let word = (1..=16).contains(&prefix.len())
        && prefix.starts_with(|c: char| c.is_ascii_alphabetic())
        && prefix.chars().all(|c| c.is_ascii_alphanumeric());
    let with_underscore = text.get(..=prefix.len())?;
    (word && rest.len() >= 8).then_some((with_underscore, rest.as_bytes()))
}

fn base64_decoded(text: &[u8]) -> Option<Zeroizing<Vec<u8>>> {
    if text.len() < 12 {
        return None;
    }
    [&STANDARD, &URL_SAFE, &STANDARD_NO_PAD, &URL_SAFE_NO_PAD]
        .iter()
        .find_map(|engine| engine.decode(text).ok())
        .filter(|bytes| !bytes.is_empty())
        .map(Zeroizing::new)
}

/// The secret variants worth a hash, each with the findings that explain it; at most three (a
/// decoded variant needs base64 text, an encoded one bytes that are not text).
/// Copies are wiped on drop, as the binding does with secrets from JS.
fn secret_variants(
    secret: &[u8],
    whitespace: Option<&Whitespace<'_>>,
) -> Vec<(Vec<FindingCode>, Zeroizing<Vec<u8>>)> {
    use FindingCode::{SecretBase64, SecretPrefix, SecretWhitespace};
    let mut variants = Vec::new();
    let mut base_codes = Vec::new();
    let mut base = secret;
    if let Some(w) = whitespace {
        base_codes.push(SecretWhitespace);
        base = w.trimmed;
        variants.push((base_codes.clone(), Zeroizing::new(base.to_vec())));
    }
    let mut encoded = base;
    if let Some((_, rest)) = secret_prefix(base) {
        let codes = [base_codes.as_slice(), &[SecretPrefix]].concat();
        variants.push((codes, Zeroizing::new(rest.to_vec())));
        encoded = rest;
    }
    if let Some(decoded) = base64_decoded(encoded) {
        let mut codes = base_codes.clone();
        if encoded.len() != base.len() {
            codes.push(SecretPrefix);
        }
        codes.push(SecretBase64);
        variants.push((codes, decoded));
    }
    // Bytes that are not printable text may be a decoded secret that Elenik uses as text.
    if !is_text(base) {
        let codes = [base_codes.as_slice(), &[SecretBase64]].concat();
        variants.push((codes, Zeroizing::new(STANDARD.encode(base).into_bytes())));
    }
    variants
}

/// The body variants worth a hash, each with the finding that explains it; at most five.
fn body_variants(
    payload: &[u8],
    json_forms: impl FnOnce(&str) -> Option<JsonForms>,
) -> Vec<(FindingCode, Vec<u8>)> {
    let mut variants = Vec::new();
    let trimmed = payload.trim_ascii_end();
    if trimmed.len() < payload.len() && payload.ends_with(b"\n") {
        variants.push((FindingCode::BodyTrailingNewline, trimmed.to_vec()));
    }
    if payload.windows(2).any(|w| w == b"\r\n") {
        variants.push((
            FindingCode::BodyLineEndings,
            replace(payload, b"\r\n", b"\n"),
        ));
    } else if payload.contains(&b'\n') {
        variants.push((
            FindingCode::BodyLineEndings,
            replace(payload, b"\n", b"\r\n"),
        ));
    }
    let text = std::str::from_utf8(payload).ok();
    if let Some(forms) = text.and_then(json_forms) {
        for (code, form) in [
            (FindingCode::BodyReserialized, forms.compact),
            (FindingCode::BodyReindented, forms.indented),
        ] {
            if form != payload {
                variants.push((code, form));
            }
        }
    }
    match text {
        // UTF-8 text whose characters all fit Latin-1: its Latin-1 bytes. This also undoes a
        // double encoding (a body decoded as Latin-1, then hashed as UTF-8).
        Some(text) if !text.is_ascii() => {
            let latin1: Option<Vec<u8>> = text.chars().map(|c| u8::try_from(c).ok()).collect();
            variants.extend(latin1.map(|bytes| (FindingCode::BodyLatin1, bytes)));
        }
        Some(_) => {}
        // Not UTF-8: perhaps Latin-1 bytes of a body that was signed as UTF-8.
        None => {
            let utf8: String = payload.iter().map(|&b| char::from(b)).collect();
            variants.push((FindingCode::BodyLatin1, utf8.into_bytes()));
        }
    }
    variants
}

fn replace(haystack: &[u8], from: &[u8], to: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(haystack.len() + haystack.len() / 16);
    let mut rest = haystack;
    while !rest.is_empty() {
        if rest.starts_with(from) {
            out.extend_from_slice(to);
            rest = rest.get(from.len()..).unwrap_or_default();
        } else if let Some((&first, tail)) = rest.split_first() {
            out.push(first);
            rest = tail;
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_worst_case_stays_within_max_candidates() {
        // Every variant applies: whitespace, a prefix and base64 in the secret; a trailing
        // newline, CRLF, re-serializable JSON and Latin-1 characters in the body.
        let secret = b"whsec_aGVsbG8gd29ybGQgc2VjcmV0\n";
        let whitespace = secret_whitespace(secret);
        let secrets = secret_variants(secret, whitespace.as_ref());
        let body = "{\r\n  \"name\": \"Zo\u{eb}\"\r\n}\n";
        let forms = |text: &str| serde_json_forms(text);
        let bodies = body_variants(body.as_bytes(), forms);
        assert_eq!((secrets.len(), bodies.len()), (3, 5));
        assert_eq!(1 + secrets.len() + bodies.len(), MAX_CANDIDATES);
        // Bytes that are not text get only the base64-encoded variant.
        assert_eq!(secret_variants(&[0xff, 0x00, 0x80], None).len(), 1);
    }

    #[test]
    fn replace_handles_overlaps_and_edges() {
        assert_eq!(replace(b"a\r\nb\r\n", b"\r\n", b"\n"), b"a\nb\n");
        assert_eq!(replace(b"\n\n", b"\n", b"\r\n"), b"\r\n\r\n");
        assert_eq!(replace(b"", b"\n", b"\r\n"), b"");
    }
}
