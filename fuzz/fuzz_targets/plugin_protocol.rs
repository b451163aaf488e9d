//! A plugin's stdout as the daemon reads it: split into lines by `supervisor::lines` (the
//! decoder `instance` reads stdout with), each line decoded by `bkg_core::ndjson::decode` into
//! a `PluginMessage`, and every hello's input schemas compiled as the handshake compiles them.
//!
//! Checked beyond "no panic": the lines are exactly the input split at `\n` (over-long ones
//! reported, never merged or lost), however the input arrives in reads; a message re-encodes as
//! one line that decodes to the same message.
#![no_main]

use bkg_core::ndjson;
use bkg_core::protocol::PluginMessage;
use bkgd::supervisor::instance::compile_validators;
use bkgd::supervisor::lines::{Line, ProtocolLines};
use libfuzzer_sys::fuzz_target;
use tokio_util::bytes::BytesMut;
use tokio_util::codec::Decoder;

/// Small enough for inputs to reach it; the daemon's is 64 MiB.
const MAX: usize = 1024;

fuzz_target!(|stream: &[u8]| {
    let lines = expected(stream);
    // A pipe hands over whatever the plugin wrote so far: all at once, byte by byte, or between.
    for read in [stream.len().max(1), 1, 7] {
        assert_eq!(split(stream, read), lines, "{stream:?} read {read} bytes at a time");
    }
    for line in lines {
        let Line::Bytes(line) = line else { continue };
        let Some(Ok(msg)) = ndjson::decode::<PluginMessage>(&line) else { continue };
        if let PluginMessage::Hello(hello) = &msg {
            let _ = compile_validators(&hello.capabilities);
        }
        let encoded = ndjson::encode(&msg).expect("protocol messages have string keys only");
        assert_eq!(encoded.iter().filter(|b| **b == b'\n').count(), 1, "one line: {encoded:?}");
        let again = ndjson::decode::<PluginMessage>(&encoded).expect("not blank").expect("decodes");
        assert_eq!(again, msg, "round trip of {:?}", String::from_utf8_lossy(&line));
    }
});

/// What the decoder yields when `stream` arrives `read` bytes at a time, then ends.
fn split(stream: &[u8], read: usize) -> Vec<Line> {
    let mut codec = ProtocolLines::new(MAX);
    let mut buf = BytesMut::new();
    let mut out = Vec::new();
    for part in stream.chunks(read) {
        buf.extend_from_slice(part);
        while let Some(line) = codec.decode(&mut buf).expect("no I/O here") {
            out.push(line);
        }
    }
    while let Some(line) = codec.decode_eof(&mut buf).expect("no I/O here") {
        out.push(line);
    }
    out
}

/// The same by definition: every `\n`-ended piece, and a last unended one if not empty.
fn expected(stream: &[u8]) -> Vec<Line> {
    let mut pieces: Vec<&[u8]> = stream.split(|b| *b == b'\n').collect();
    let last = pieces.pop().filter(|p| !p.is_empty());
    pieces
        .into_iter()
        .chain(last)
        .map(|p| if p.len() <= MAX { Line::Bytes(BytesMut::from(p)) } else { Line::TooLong })
        .collect()
}
