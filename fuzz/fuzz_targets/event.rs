//! The event parser on arbitrary bytes: an error or an event that is exactly the body's JSON,
//! and the same outcome as the strict serde_json visitor the scan replaced.
#![no_main]

use elenik_webhooks::{parse_event, parse_event_with_serde_json};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let reference = parse_event_with_serde_json(data);
    match parse_event(data) {
        Ok(event) => {
            let json: serde_json::Value =
                serde_json::from_slice(data).expect("an accepted event is valid JSON");
            assert_eq!(Ok(&event), reference.as_ref(), "the scan accepts what serde_json does");
            assert_eq!(event.into_json(), json, "nothing dropped or renamed");
        }
        Err(e) => {
            assert!(matches!(e.code(), "INVALID_JSON" | "INVALID_EVENT"));
            let theirs = reference.expect_err("the scan refuses what serde_json refuses");
            assert_eq!(e.code(), theirs.code());
            if e.code() == "INVALID_EVENT" {
                assert_eq!(e, theirs, "the same path and reason");
            }
        }
    }
});
