//! A WebSocket text frame as `/ws/plugins` parses it: `bkgd::api::parse_client_message`, the
//! function the connection's reader calls (tungstenite has already refused frames that are not
//! UTF-8 or over `ws.max_message_bytes`).
//!
//! Checked beyond "no panic": an accepted message obeys the shape rules, and re-encodes to
//! text that parses to the same message; a refusal is `invalid_json` or `invalid_request`.
#![no_main]

use bkg_core::ErrorCode;
use bkg_core::ws::Topic;
use bkgd::api::parse_client_message;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else { return };
    match parse_client_message(text) {
        Ok(msg) => {
            assert!(msg.topic != Topic::Models || msg.plugin_id.is_none(), "{text}");
            assert!(msg.topic == Topic::Logs || (msg.cursor.is_none() && msg.level.is_none()), "{text}");
            let encoded = serde_json::to_string(&msg).expect("a client message encodes");
            assert_eq!(parse_client_message(&encoded).as_ref(), Ok(&msg), "{text} -> {encoded}");
        }
        Err(e) => assert!(matches!(e.code, ErrorCode::InvalidJson | ErrorCode::InvalidRequest), "{e:?}"),
    }
});
