//! The event parser on arbitrary bytes: an error or an event that is exactly the body's JSON.
#![no_main]

use elenik_webhooks::parse_event;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    match parse_event(data) {
        Ok(event) => {
            let json: serde_json::Value =
                serde_json::from_slice(data).expect("an accepted event is valid JSON");
            assert_eq!(event.into_json(), json, "nothing dropped or renamed");
        }
        Err(e) => assert!(matches!(e.code(), "INVALID_JSON" | "INVALID_EVENT")),
    }
});
