//! `explainMismatch`: the core's diagnosis, with JavaScript's own `JSON.stringify` producing the
//! re-serialized bodies (the glue computes them and writes them after the payload), so they are
//! byte for byte what a JS body parser would have hashed without emulating JS in Rust.

use super::{answer, with, zero, HEADER_MISSING, HEADER_TOO_LONG};
use crate::mac::scrub_stack;
use crate::JsonForms;

/// `NO_FORMS` as `compact_len`: the body is not JSON to JavaScript.
pub const NO_FORMS: u32 = u32::MAX;

/// The findings for `data` = secret, payload, compact form, indented form (of these lengths) and
/// the header in `header[..header_len]`, as JSON in `out`. The secret is wiped.
#[no_mangle]
pub extern "C" fn explain(
    secret_len: u32,
    payload_len: u32,
    header_len: i32,
    compact_len: u32,
    indented_len: u32,
) -> i32 {
    let result = with(|b| {
        let (secret_len, payload_len) = (secret_len as usize, payload_len as usize);
        let header = match header_len {
            HEADER_MISSING => String::new(),
            // Any text over the limit gives the same finding: the core only measures it.
            HEADER_TOO_LONG => " ".repeat(crate::MAX_HEADER_BYTES + 1),
            len => b
                .header
                .get(..len.max(0) as usize)
                .and_then(|h| std::str::from_utf8(h).ok())
                .unwrap_or_default()
                .to_owned(),
        };
        let data = b.data.as_slice();
        let (secret, rest) = data.split_at(secret_len.min(data.len()));
        let (payload, rest) = rest.split_at(payload_len.min(rest.len()));
        let forms = (compact_len != NO_FORMS).then(|| {
            let (compact, rest) = rest.split_at((compact_len as usize).min(rest.len()));
            let indented = rest.get(..indented_len as usize).unwrap_or_default();
            JsonForms {
                compact: compact.to_vec(),
                indented: indented.to_vec(),
            }
        });
        let findings = crate::explain_mismatch_with(payload, &header, secret, |_| forms);
        zero(b.data.get_mut(..secret_len));
        let result = findings.map(|findings| {
            b.out = serde_json::to_vec(&findings).unwrap_or_default();
            0
        });
        answer(b, result)
    });
    scrub_stack();
    result
}
