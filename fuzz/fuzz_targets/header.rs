//! The signature header parser on arbitrary text: it must answer, never panic, and respect its
//! limits whatever it is given.
#![no_main]

use elenik_webhooks::{parse_signature_header, MAX_HEADER_BYTES, MAX_SIGNATURES};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let header = String::from_utf8_lossy(data);
    match parse_signature_header(&header) {
        Ok(parsed) => {
            assert!(header.len() <= MAX_HEADER_BYTES);
            assert!((1..=MAX_SIGNATURES).contains(&parsed.digests().len()));
        }
        Err(e) => assert!(matches!(
            e.code(),
            "MISSING_SIGNATURE" | "MALFORMED_SIGNATURE" | "UNSUPPORTED_ALGORITHM"
        )),
    }
});
