//! Verification with arbitrary secrets, header and body: never a panic, and a match is real.
#![no_main]

use elenik_webhooks::{sign, Verifier};
use libfuzzer_sys::arbitrary::{self, Arbitrary};
use libfuzzer_sys::fuzz_target;

#[derive(Arbitrary, Debug)]
struct Input<'a> {
    secrets: Vec<&'a [u8]>,
    header: &'a str,
    body: &'a [u8],
    /// Also check a correct signature, spliced into the header at this comma-separated slot.
    splice_at: Option<u8>,
}

fuzz_target!(|input: Input<'_>| {
    let Ok(verifier) = Verifier::new(&input.secrets) else {
        assert!(
            input.secrets.is_empty()
                || input.secrets.len() > 16
                || input.secrets.iter().any(|s| s.is_empty())
        );
        return;
    };
    if let Ok(index) = verifier.verify(input.body, input.header) {
        // Whatever matched must be the real HMAC of the body with that secret, in the header.
        let secret = input.secrets.get(index).expect("index in range");
        let expected = sign(input.body, secret).expect("signs");
        let hex = expected.trim_start_matches("sha256=");
        assert!(input.header.to_ascii_lowercase().contains(hex));
    }
    if let Some(at) = input.splice_at {
        let good = sign(input.body, input.secrets.first().expect("one secret")).expect("signs");
        let mut parts: Vec<&str> = input.header.split(',').collect();
        let at = usize::from(at) % (parts.len() + 1);
        parts.insert(at, &good);
        let header = parts.join(",");
        let outcome = verifier.verify(input.body, &header);
        // Any match passes, whatever the other parts are; only the header limits may refuse it.
        if let Err(e) = outcome {
            assert_eq!(e.code(), "MALFORMED_SIGNATURE", "{e}");
        }
    }
});
