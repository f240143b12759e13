//! Signing and verifying the `X-Elenik-Signature` header: `sha256=<hex HMAC-SHA256 of the raw body>`.

use alloc::string::String;
use alloc::vec::Vec;

use subtle::{Choice, ConstantTimeEq};

use crate::error::{concat, decimal, Error, MalformedReason, Result};
use crate::mac::{scrub_stack, KeyState, Mac, DIGEST_LEN};

/// The name of the header that carries the signature, lower-cased as HTTP/2 and `fetch` give it.
pub const SIGNATURE_HEADER: &str = "x-elenik-signature";
/// The longest header accepted, in bytes; a longer one is rejected before anything is hashed.
pub const MAX_HEADER_BYTES: usize = 4096;
/// The most comma-separated signatures one header may hold.
pub const MAX_SIGNATURES: usize = 8;
/// The most secrets one verification may try (for secret rotation).
pub const MAX_SECRETS: usize = 16;

const ALGORITHM: &str = "sha256";

/// The decoded signatures of one header, held inline: parsing allocates nothing.
#[derive(Clone, PartialEq, Eq)]
pub struct SignatureHeader {
    digests: [[u8; DIGEST_LEN]; MAX_SIGNATURES],
    len: usize,
}

impl SignatureHeader {
    /// The decoded 32-byte digests, in header order.
    pub fn digests(&self) -> &[[u8; DIGEST_LEN]] {
        self.digests.get(..self.len).unwrap_or_default()
    }

    /// Whether any signature equals `expected`, compared in constant time over all of them: the
    /// differences of a signature's four 64-bit words are OR-ed together without a branch, and
    /// `subtle` compares that word with zero. (`subtle` on the 32 bytes themselves makes an
    /// optimization-barrier call per byte: profiled in Node, ~14% of a 0-byte verification.)
    pub(crate) fn matches(&self, expected: &[u8; DIGEST_LEN]) -> Choice {
        let (expected, _) = expected.as_chunks::<8>();
        self.digests()
            .iter()
            .fold(Choice::from(0), |found, candidate| {
                let (candidate, _) = candidate.as_chunks::<8>();
                let difference = candidate.iter().zip(expected).fold(0, |bits, (c, e)| {
                    bits | (u64::from_ne_bytes(*c) ^ u64::from_ne_bytes(*e))
                });
                found | difference.ct_eq(&0)
            })
    }
}

impl core::fmt::Debug for SignatureHeader {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.debug_struct("SignatureHeader")
            .field("signatures", &self.len)
            .finish_non_exhaustive()
    }
}

/// Parses a header value: one or more `sha256=<64 hex>` (or bare `<64 hex>`) separated by commas.
///
/// The prefix is case-insensitive, hex may be either case, and whitespace around each part is
/// ignored. When at least one part is a valid SHA-256 signature the others are ignored (any match
/// passes); otherwise the first part's problem is reported. Limits are checked before decoding.
pub fn parse_signature_header(header: &str) -> Result<SignatureHeader> {
    if header.len() > MAX_HEADER_BYTES {
        return Err(Error::MalformedSignature(MalformedReason::TooLong));
    }
    let mut parsed = SignatureHeader {
        digests: [[0; DIGEST_LEN]; MAX_SIGNATURES],
        len: 0,
    };
    // What Elenik sends, `sha256=<64 hex>` alone, without the splitting and trimming below (which
    // would parse it the same way): a third of the fixed cost of a verification in Wasm.
    if let (Some(digits), Some(first)) =
        (header.strip_prefix("sha256="), parsed.digests.first_mut())
    {
        if decode_hex(digits, first) {
            parsed.len = 1;
            return Ok(parsed);
        }
    }
    let mut first_problem = None;
    let mut parts = 0;
    for part in header.split(',').map(str::trim).filter(|p| !p.is_empty()) {
        parts += 1;
        if parts > MAX_SIGNATURES {
            return Err(Error::MalformedSignature(MalformedReason::TooMany));
        }
        let Some(slot) = parsed.digests.get_mut(parsed.len) else {
            return Err(Error::MalformedSignature(MalformedReason::TooMany));
        };
        match decode_signature(part, slot) {
            Ok(()) => parsed.len += 1,
            Err(problem) => {
                first_problem.get_or_insert(problem);
            }
        }
    }
    match (parsed.len, first_problem) {
        (0, Some(problem)) => Err(problem),
        (0, None) => Err(Error::MissingSignature),
        _ => Ok(parsed),
    }
}

fn decode_signature(part: &str, out: &mut [u8; DIGEST_LEN]) -> Result<()> {
    let hex_digits = match part.split_once('=') {
        Some((algorithm, digits)) => {
            let algorithm = algorithm.trim();
            if !algorithm.eq_ignore_ascii_case(ALGORITHM) {
                return Err(unsupported_or_malformed(algorithm));
            }
            digits.trim()
        }
        None => part,
    };
    if decode_hex(hex_digits, out) {
        Ok(())
    } else {
        Err(Error::MalformedSignature(MalformedReason::NotHex))
    }
}

/// Decodes 64 hex digits of either case into `out`; `false` for any other text. (The `hex`
/// crate's decoder builds an error value per digit: profiled, half of a header's parse in Wasm.)
#[inline(never)]
fn decode_hex(digits: &str, out: &mut [u8; DIGEST_LEN]) -> bool {
    let (pairs, []) = digits.as_bytes().as_chunks::<2>() else {
        return false;
    };
    if pairs.len() != DIGEST_LEN {
        return false;
    }
    let mut bad = 0;
    for (byte, &[high, low]) in out.iter_mut().zip(pairs) {
        let (high, low) = (hex_value(high), hex_value(low));
        bad |= high | low;
        *byte = high << 4 | (low & 0xf);
    }
    bad < 0x10
}

/// A hex digit's value, or 0x10 or more for any other byte.
fn hex_value(c: u8) -> u8 {
    let digit = c.wrapping_sub(b'0');
    let letter = (c | 0x20).wrapping_sub(b'a');
    if digit < 10 {
        digit
    } else if letter < 6 {
        letter + 10
    } else {
        0xff
    }
}

/// A prefix that looks like an algorithm name (`sha1`, `sha512`, `v1`) is unsupported; anything
/// else before `=` means the header is garbled. The name is echoed back only when it is short
/// and plain, so attacker text never lands in logs verbatim.
fn unsupported_or_malformed(algorithm: &str) -> Error {
    let plain = !algorithm.is_empty()
        && algorithm.len() <= 16
        && algorithm
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_');
    if plain {
        Error::UnsupportedAlgorithm(algorithm.to_ascii_lowercase())
    } else {
        Error::MalformedSignature(MalformedReason::NotHex)
    }
}

/// Signs `payload` with `secret`, giving the header value `sha256=<64 lowercase hex>`.
pub fn sign(payload: &[u8], secret: &[u8]) -> Result<String> {
    let signed = sign_once(payload, secret);
    scrub_stack();
    signed
}

#[inline(never)]
fn sign_once(payload: &[u8], secret: &[u8]) -> Result<String> {
    let key = keyed_hmac(secret)?;
    Ok(format_signature(&digest(&key, payload)))
}

/// Verifies `header` against `payload` with one secret. See [`Verifier`] to check several secrets
/// or to reuse the key for many requests.
pub fn verify(payload: &[u8], header: &str, secret: &[u8]) -> Result<()> {
    Verifier::new(&[secret])?.verify(payload, header).map(drop)
}

pub(crate) fn format_signature(digest: &[u8; DIGEST_LEN]) -> String {
    concat(&[ALGORITHM, "=", &lower_hex(digest)])
}

/// `bytes` in lowercase hex, as `hex::encode` writes them (whose `char` iterator and collection
/// were ~0.7 KB of the Wasm module). `black_box` keeps the loop a loop, not 32 unrolled steps.
pub(crate) fn lower_hex(bytes: &[u8]) -> String {
    const DIGITS: &[u8; 16] = b"0123456789abcdef";
    let mut text = String::with_capacity(bytes.len() * 2);
    for byte in core::hint::black_box(bytes) {
        for nibble in [byte >> 4, byte & 0xf] {
            text.push(char::from(
                DIGITS.get(usize::from(nibble)).copied().unwrap_or(b'0'),
            ));
        }
    }
    text
}

/// The keyed HMAC state of one secret, which must not be empty.
pub(crate) fn keyed_hmac(secret: &[u8]) -> Result<KeyState> {
    if secret.is_empty() {
        return Err(Error::InvalidSecret(
            "the secret is empty; use the signing secret shown for this endpoint in Elenik".into(),
        ));
    }
    Ok(KeyState::new(secret))
}

#[inline(never)]
fn digest(key: &KeyState, payload: &[u8]) -> [u8; DIGEST_LEN] {
    key.digest(payload)
}

/// Verifies signatures with one or more secrets whose HMAC key state is computed once.
///
/// Build one per endpoint at start-up and reuse it: each verification then costs only the hash of
/// the body. With several secrets (during rotation) any of them may match.
#[derive(Clone)]
pub struct Verifier {
    keys: Vec<KeyState>,
}

impl Verifier {
    /// Prepares the key state for each secret: 1 to [`MAX_SECRETS`] non-empty secrets.
    pub fn new<S: AsRef<[u8]>>(secrets: &[S]) -> Result<Self> {
        let built = Self::build(secrets);
        scrub_stack();
        built
    }

    #[inline(never)]
    fn build<S: AsRef<[u8]>>(secrets: &[S]) -> Result<Self> {
        check_secret_count(secrets.len())?;
        let keys = secrets
            .iter()
            .map(|secret| keyed_hmac(secret.as_ref()))
            .collect::<Result<_>>()?;
        Ok(Verifier { keys })
    }

    /// How many secrets this verifier tries.
    pub fn secret_count(&self) -> usize {
        self.keys.len()
    }

    /// Signs `payload` with the first secret, giving the header value `sha256=<hex>`.
    pub fn sign(&self, payload: &[u8]) -> String {
        // `new` guarantees at least one key; an empty verifier cannot be built.
        let digest = self
            .keys
            .first()
            .map(|key| digest(key, payload))
            .unwrap_or_default();
        format_signature(&digest)
    }

    /// Checks `header` against `payload`; on success, returns the index of the secret that matched.
    ///
    /// The header is parsed (and its limits enforced) before anything is hashed. Every secret is
    /// tried against every signature so the time taken does not depend on which one matched.
    pub fn verify(&self, payload: &[u8], header: &str) -> Result<usize> {
        let signatures = parse_signature_header(header)?;
        self.verify_parsed(payload, &signatures)
    }

    /// Checks already parsed signatures against `payload`.
    pub fn verify_parsed(&self, payload: &[u8], signatures: &SignatureHeader) -> Result<usize> {
        let mut stream = Stream::new(&self.keys);
        stream.update(payload);
        stream.verify(signatures)
    }
}

/// The HMACs of one payload under one or more keys, fed in pieces of any size: what lets the
/// npm package hash a body of any length through a fixed buffer.
pub(crate) struct Stream {
    macs: Vec<Mac>,
}

impl Stream {
    /// HMACs of these keys.
    pub(crate) fn new(keys: &[KeyState]) -> Self {
        Self::from_macs(keys.iter().map(KeyState::start))
    }

    /// These running HMACs (one allocation: no list of the keys themselves is built).
    pub(crate) fn from_macs(macs: impl Iterator<Item = Mac>) -> Self {
        // Sized by the upper bound: src/bindings/'s HMACs may end early, and `collect` on an
        // iterator of unknown length adds a growth loop to the Wasm module.
        let mut all = Vec::with_capacity(macs.size_hint().1.unwrap_or(0));
        all.extend(macs);
        Stream { macs: all }
    }

    pub(crate) fn update(&mut self, data: &[u8]) {
        for mac in &mut self.macs {
            mac.update(data);
        }
    }

    /// The index of the first key whose HMAC is one of `signatures` (see [`first_match`]).
    pub(crate) fn verify(mut self, signatures: &SignatureHeader) -> Result<usize> {
        // By reference: each HMAC state is wiped where it lives, in the Vec's allocation.
        first_match(self.macs.iter_mut().map(Mac::finalize), signatures)
    }

    /// The header value `sha256=<hex>` of the first key's HMAC (`sha256=` and zeros for none).
    #[cfg_attr(not(target_arch = "wasm32"), allow(dead_code))] // used by src/bindings/ (wasm32 only)
    pub(crate) fn sign(mut self) -> String {
        let digest = self.macs.first_mut().map(Mac::finalize).unwrap_or_default();
        format_signature(&digest)
    }
}

/// The index of the first of `digests` (one HMAC per key) that is one of `signatures`. Every
/// digest is tried against every signature, so the time taken does not depend on which one matched.
pub(crate) fn first_match(
    digests: impl Iterator<Item = [u8; DIGEST_LEN]>,
    signatures: &SignatureHeader,
) -> Result<usize> {
    let mut matched: Option<usize> = None;
    for (index, digest) in digests.enumerate() {
        if bool::from(signatures.matches(&digest)) {
            matched.get_or_insert(index);
        }
    }
    matched.ok_or(Error::SignatureMismatch)
}

/// Each [`KeyState`] wipes itself when dropped; this wipes the copies that moves left on the
/// stack, such as in [`digest`].
impl Drop for Verifier {
    fn drop(&mut self) {
        scrub_stack();
    }
}

/// 1 to [`MAX_SECRETS`] secrets.
pub(crate) fn check_secret_count(count: usize) -> Result<()> {
    if count == 0 || count > MAX_SECRETS {
        let mut digits = [[0; 20]; 2];
        let [max, given] = &mut digits;
        return Err(Error::InvalidSecret(concat(&[
            "pass 1 to ",
            decimal(MAX_SECRETS as u64, max),
            " secrets, not ",
            decimal(count as u64, given),
        ])));
    }
    Ok(())
}

impl core::fmt::Debug for Verifier {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.debug_struct("Verifier")
            .field("secrets", &self.keys.len())
            .field("keys", &"[REDACTED]")
            .finish()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const BODY: &[u8] = br#"{"event":"user_signup","data":{"user_id":"u_1"}}"#;

    #[test]
    fn sign_then_verify_round_trips() -> Result<()> {
        let header = sign(BODY, b"secret")?;
        assert!(header.starts_with("sha256="));
        assert_eq!(header.len(), 7 + 64);
        verify(BODY, &header, b"secret")
    }

    #[test]
    fn header_variants_are_accepted() -> Result<()> {
        let header = sign(BODY, b"secret")?;
        let hex = header.trim_start_matches("sha256=");
        for variant in [
            hex.to_string(),
            hex.to_uppercase(),
            format!("SHA256={hex}"),
            format!("  sha256 = {hex} \t"),
            format!("sha1=abcd, sha256={}", hex.to_uppercase()),
            format!("sha256={}, {hex}", "0".repeat(64)),
        ] {
            verify(BODY, &variant, b"secret")?;
        }
        Ok(())
    }

    #[test]
    fn hex_digits_decode_as_the_hex_crate_decodes_them() {
        for byte in 0..=u8::MAX {
            let digits = [byte, b'0'].repeat(DIGEST_LEN);
            let text = String::from_utf8_lossy(&digits);
            let (mut ours, mut theirs) = ([0; DIGEST_LEN], [0; DIGEST_LEN]);
            let decoded = decode_hex(&text, &mut ours);
            assert_eq!(
                decoded,
                hex::decode_to_slice(&*text, &mut theirs).is_ok(),
                "{byte}"
            );
            if decoded {
                assert_eq!(ours, theirs);
            }
        }
        assert!(!decode_hex(&"a".repeat(62), &mut [0; DIGEST_LEN]));
        assert!(!decode_hex(&"a".repeat(66), &mut [0; DIGEST_LEN]));
    }

    #[test]
    fn problems_are_reported_by_kind() {
        let code = |header: &str| {
            parse_signature_header(header)
                .map(drop)
                .map_err(|e| e.code())
        };
        assert_eq!(code(""), Err("MISSING_SIGNATURE"));
        assert_eq!(code(" , ,"), Err("MISSING_SIGNATURE"));
        assert_eq!(code("sha1=abcd"), Err("UNSUPPORTED_ALGORITHM"));
        assert_eq!(code("sha256=abcd"), Err("MALFORMED_SIGNATURE"));
        assert_eq!(
            code(&format!("sha256={}", "g".repeat(64))),
            Err("MALFORMED_SIGNATURE")
        );
        assert_eq!(
            code(&format!("=={}", "a".repeat(64))),
            Err("MALFORMED_SIGNATURE")
        );
        assert_eq!(
            code(&"a".repeat(MAX_HEADER_BYTES + 1)),
            Err("MALFORMED_SIGNATURE")
        );
        let nine = vec!["a".repeat(64); MAX_SIGNATURES + 1].join(",");
        assert_eq!(code(&nine), Err("MALFORMED_SIGNATURE"));
        let eight = vec!["a".repeat(64); MAX_SIGNATURES].join(",");
        assert_eq!(code(&eight), Ok(()));
    }

    #[test]
    fn verifier_reports_which_secret_matched() -> Result<()> {
        let verifier = Verifier::new(&["old", "new"])?;
        assert_eq!(verifier.verify(BODY, &sign(BODY, b"new")?)?, 1);
        assert_eq!(verifier.verify(BODY, &sign(BODY, b"old")?)?, 0);
        assert_eq!(
            verifier.verify(BODY, &sign(BODY, b"other")?),
            Err(Error::SignatureMismatch)
        );
        assert_eq!(verifier.sign(BODY), sign(BODY, b"old")?);
        Ok(())
    }

    #[test]
    fn secrets_are_checked() {
        let empty: [&[u8]; 0] = [];
        assert_eq!(
            Verifier::new(&empty).map(drop).map_err(|e| e.code()),
            Err("INVALID_SECRET")
        );
        assert_eq!(
            Verifier::new(&[""]).map(drop).map_err(|e| e.code()),
            Err("INVALID_SECRET")
        );
        let seventeen = vec!["s"; MAX_SECRETS + 1];
        assert!(Verifier::new(&seventeen).is_err());
        assert!(Verifier::new(&seventeen[..MAX_SECRETS]).is_ok());
    }

    /// The keyed inner and outer SHA-256 states are `KeyState`s, which wipe themselves when
    /// dropped (the JS suite's `secrets.test.mjs` checks Wasm memory after every call and `free()`).
    #[test]
    fn key_state_is_wiped_on_drop() {
        assert!(std::mem::needs_drop::<KeyState>());
    }

    #[test]
    fn debug_output_hides_key_material() -> Result<()> {
        let shown = format!("{:?}", Verifier::new(&["hunter2-secret"])?);
        assert!(shown.contains("[REDACTED]"));
        assert!(!shown.contains("hunter2"));
        Ok(())
    }
}
