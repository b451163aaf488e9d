//! Turns generated token bytes into text deltas that are always valid UTF-8 and never contain
//! (part of) a stop string: bytes of a character split across tokens wait for the rest, and
//! text that might be the start of a stop string waits until it is known not to be.

/// Outcome of feeding one token's bytes.
#[derive(Debug, PartialEq, Eq)]
pub(crate) enum Fed {
    /// Text that is safe to show now (possibly empty).
    Delta(String),
    /// A stop string appeared: the text before it, after which generation ends.
    Stopped(String),
}

/// Incremental decoder with stop-string detection.
#[derive(Debug, Default)]
pub(crate) struct TextStream {
    /// Trailing bytes of an incomplete UTF-8 character.
    pending: Vec<u8>,
    /// Everything decoded so far (cut at the stop string once one is found).
    text: String,
    /// Bytes of `text` already handed out.
    emitted: usize,
    stops: Vec<String>,
}

impl TextStream {
    /// A stream that ends at the first of `stops` (empty strings are ignored).
    pub fn new(stops: &[String]) -> Self {
        Self { stops: stops.iter().filter(|s| !s.is_empty()).cloned().collect(), ..Self::default() }
    }

    /// All text so far.
    pub fn text(&self) -> &str {
        &self.text
    }

    /// Feeds the bytes of one token.
    pub fn feed(&mut self, bytes: &[u8]) -> Fed {
        self.pending.extend_from_slice(bytes);
        self.decode_pending(false);
        self.advance(false)
    }

    /// Ends the stream: an incomplete character becomes U+FFFD and all held-back text is out.
    pub fn finish(&mut self) -> Fed {
        self.decode_pending(true);
        self.advance(true)
    }

    fn decode_pending(&mut self, at_end: bool) {
        let mut start = 0;
        while start < self.pending.len() {
            match std::str::from_utf8(&self.pending[start..]) {
                Ok(s) => {
                    self.text.push_str(s);
                    start = self.pending.len();
                }
                Err(e) => {
                    let valid = start + e.valid_up_to();
                    self.text
                        .push_str(std::str::from_utf8(&self.pending[start..valid]).expect("checked valid"));
                    match e.error_len() {
                        Some(bad) => {
                            self.text.push(char::REPLACEMENT_CHARACTER);
                            start = valid + bad;
                        }
                        None if at_end => {
                            self.text.push(char::REPLACEMENT_CHARACTER);
                            start = self.pending.len();
                        }
                        None => {
                            start = valid;
                            break;
                        }
                    }
                }
            }
        }
        self.pending.drain(..start);
    }

    fn advance(&mut self, at_end: bool) -> Fed {
        // Text is only emitted once no stop string can start in it (`held_back` keeps every
        // possible start), so a stop string can only begin at or after `emitted`.
        let unseen = &self.text[self.emitted..];
        let found = self.stops.iter().filter_map(|stop| unseen.find(stop.as_str())).min();
        if let Some(at) = found {
            let end = self.emitted + at;
            let delta = self.text[self.emitted..end].to_string();
            self.text.truncate(end);
            self.emitted = end;
            return Fed::Stopped(delta);
        }
        let hold = if at_end { 0 } else { self.held_back(unseen) };
        let end = self.text.len() - hold;
        let delta = self.text[self.emitted..end].to_string();
        self.emitted = end;
        Fed::Delta(delta)
    }

    /// Length of the longest suffix of `unseen` that is a proper prefix of a stop string.
    fn held_back(&self, unseen: &str) -> usize {
        self.stops
            .iter()
            .flat_map(|stop| stop.char_indices().skip(1).map(move |(i, _)| &stop[..i]))
            .filter(|prefix| unseen.ends_with(prefix))
            .map(str::len)
            .max()
            .unwrap_or(0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn delta(s: &str) -> Fed {
        Fed::Delta(s.to_string())
    }

    #[test]
    fn split_character_waits_for_its_last_byte() {
        let mut s = TextStream::new(&[]);
        let euro = "€".as_bytes();
        assert_eq!(s.feed(&euro[..1]), delta(""));
        assert_eq!(s.feed(&euro[1..]), delta("€"));
        assert_eq!(s.feed(b" ok"), delta(" ok"));
    }

    #[test]
    fn invalid_bytes_become_replacement_characters() {
        let mut s = TextStream::new(&[]);
        assert_eq!(s.feed(&[b'a', 0xFF, b'b']), delta("a\u{FFFD}b"));
        assert_eq!(s.feed(&[0xE2, 0x82]), delta(""));
        assert_eq!(s.finish(), delta("\u{FFFD}"));
    }

    #[test]
    fn stop_string_across_tokens_is_cut_and_never_shown() {
        let mut s = TextStream::new(&["\nUser:".to_string()]);
        assert_eq!(s.feed(b"Hello"), delta("Hello"));
        assert_eq!(s.feed(b"\nUs"), delta(""));
        assert_eq!(s.feed(b"er: more"), Fed::Stopped(String::new()));
        assert_eq!(s.text(), "Hello");
    }

    #[test]
    fn false_start_of_stop_string_is_released() {
        let mut s = TextStream::new(&["STOP".to_string()]);
        assert_eq!(s.feed(b"a ST"), delta("a "));
        assert_eq!(s.feed(b"AR"), delta("STAR"));
        assert_eq!(s.feed(b"x ST"), delta("x "));
        assert_eq!(s.finish(), delta("ST"));
        assert_eq!(s.text(), "a STARx ST");
    }

    #[test]
    fn earliest_stop_string_wins() {
        let mut s = TextStream::new(&["b".to_string(), "a".to_string()]);
        assert_eq!(s.feed(b"xxab"), Fed::Stopped("xx".to_string()));
    }
}
