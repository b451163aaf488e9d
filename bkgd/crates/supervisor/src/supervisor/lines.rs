//! Splits what a plugin writes on stdout into protocol lines (`docs/PROTOCOL.md`, "Framing"),
//! for `instance`'s reader. What a line holds is `bkg_core::ndjson::decode`'s business.
//!
//! Why not tokio-util's `LinesCodec`: it fails on a line that is not UTF-8 or too long, and a
//! `FramedRead` whose decoder failed once answers `None`, which the reader took for the end of
//! stdout: one stray byte from a plugin left it running with nobody reading its answers. Here a
//! bad line is an item like any other, and only an I/O error is an error.

use tokio_util::bytes::{Buf, BytesMut};
use tokio_util::codec::Decoder;

/// One line of a plugin's stdout.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Line {
    /// A whole line without its `\n`, as bytes (UTF-8 is checked when it is decoded).
    Bytes(BytesMut),
    /// A line over the limit: dropped, and its rest skipped as it arrives.
    TooLong,
}

/// The decoder of a plugin's stdout; see the module doc.
#[derive(Debug)]
pub struct ProtocolLines {
    max: usize,
    /// Within a line that was too long: skip to its end.
    discarding: bool,
    /// How much of the buffer is known to hold no `\n`, so each byte is searched once.
    searched: usize,
}

impl ProtocolLines {
    /// Lines of up to `max` bytes (the `\n` not counted).
    pub fn new(max: usize) -> Self {
        Self { max, discarding: false, searched: 0 }
    }
}

impl Decoder for ProtocolLines {
    type Item = Line;
    type Error = std::io::Error;

    fn decode(&mut self, buf: &mut BytesMut) -> Result<Option<Line>, Self::Error> {
        if self.discarding {
            let Some(end) = memchr::memchr(b'\n', buf) else {
                buf.clear();
                return Ok(None);
            };
            buf.advance(end + 1);
            self.discarding = false;
        }
        // A line of exactly `max` bytes has its `\n` at index `max`.
        let window = buf.len().min(self.max.saturating_add(1));
        let from = self.searched.min(window);
        match memchr::memchr(b'\n', &buf[from..window]) {
            Some(at) => {
                let mut line = buf.split_to(from + at + 1);
                line.truncate(from + at);
                self.searched = 0;
                Ok(Some(Line::Bytes(line)))
            }
            None if buf.len() > self.max => {
                self.searched = 0;
                self.discarding = true;
                Ok(Some(Line::TooLong))
            }
            None => {
                self.searched = buf.len();
                Ok(None)
            }
        }
    }

    fn decode_eof(&mut self, buf: &mut BytesMut) -> Result<Option<Line>, Self::Error> {
        if let Some(line) = self.decode(buf)? {
            return Ok(Some(line));
        }
        self.searched = 0;
        self.discarding = false;
        // The last line may lack its `\n`.
        Ok((!buf.is_empty()).then(|| Line::Bytes(buf.split())))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use futures_util::StreamExt;
    use tokio_util::codec::FramedRead;

    fn bytes(s: &[u8]) -> Line {
        Line::Bytes(BytesMut::from(s))
    }

    async fn read_all(input: &[u8], max: usize) -> Vec<Line> {
        FramedRead::new(input, ProtocolLines::new(max)).map(|l| l.expect("no I/O error")).collect().await
    }

    /// The regression: a line that is not UTF-8, or too long, used to end the daemon's reading
    /// of the plugin's stdout (and so every answer after it) while the plugin ran on.
    #[tokio::test]
    async fn bad_lines_are_items_and_reading_goes_on() {
        let mut input = b"{\"a\":1}\n\xff\xfe not UTF-8\n".to_vec();
        input.extend_from_slice(&[b'x'; 40]);
        input.extend_from_slice(b"\r\nafter\nno newline");
        assert_eq!(
            read_all(&input, 16).await,
            [
                bytes(b"{\"a\":1}"),
                bytes(b"\xff\xfe not UTF-8"),
                Line::TooLong,
                bytes(b"after"),
                bytes(b"no newline"),
            ]
        );
    }

    #[tokio::test]
    async fn the_limit_is_inclusive_and_blank_lines_pass_through() {
        let input = b"12345678\n123456789\n\n\r\nok\n";
        assert_eq!(
            read_all(input, 8).await,
            [bytes(b"12345678"), Line::TooLong, bytes(b""), bytes(b"\r"), bytes(b"ok")]
        );
    }

    #[test]
    fn lines_split_across_reads_are_searched_once_and_joined() {
        let mut codec = ProtocolLines::new(64);
        let mut buf = BytesMut::new();
        for part in [&b"{\"type\":"[..], b"\"goodbye\"", b"}\n{\"ty"] {
            buf.extend_from_slice(part);
            if let Some(line) = codec.decode(&mut buf).unwrap() {
                assert_eq!(line, bytes(b"{\"type\":\"goodbye\"}"));
                assert_eq!(&buf[..], b"{\"ty");
                return;
            }
        }
        panic!("the line never came");
    }

    #[test]
    fn an_over_long_line_is_reported_once_while_its_rest_streams_in() {
        let mut codec = ProtocolLines::new(4);
        let mut buf = BytesMut::from(&b"abcdefgh"[..]);
        assert_eq!(codec.decode(&mut buf).unwrap(), Some(Line::TooLong));
        buf.extend_from_slice(b"ijkl");
        assert_eq!(codec.decode(&mut buf).unwrap(), None);
        buf.extend_from_slice(b"mn\nok\n");
        assert_eq!(codec.decode(&mut buf).unwrap(), Some(bytes(b"ok")));
        assert!(buf.is_empty());
    }
}
