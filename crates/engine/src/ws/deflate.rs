//! permessage-deflate (RFC 7692): what the client offers, what it accepts of the server's
//! answer, and compressing and inflating whole messages.
//!
//! flate2's Rust backend always uses a 32 KiB window, so the offer leaves out
//! `client_max_window_bits` (the server may then not shrink our window); `server_max_window_bits`
//! is fine at any size (a 32 KiB window inflates any smaller one). Each message is compressed
//! with a sync flush whose trailing `00 00 FF FF` is cut, and inflated with it put back; the
//! `*_no_context_takeover` parameters reset the matching side after every message.

use flate2::{Compress, Compression, Decompress, FlushCompress, FlushDecompress, Status};

/// The `Sec-WebSocket-Extensions` value offered when deflate is on.
pub(crate) const OFFER: &str = "permessage-deflate";
const NAME: &str = "permessage-deflate";
/// What a sync flush ends with; cut when sending, put back when inflating.
const TAIL: [u8; 4] = [0x00, 0x00, 0xFF, 0xFF];

/// The parameters the server's answer settled.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub(crate) struct Params {
    server_no_context_takeover: bool,
    client_no_context_takeover: bool,
}

/// Reads the extensions the server chose (each `Sec-WebSocket-Extensions` item) against what
/// was offered: `Ok(None)` when none was chosen; an error sentence when the answer names an
/// extension or a parameter that was not offered or cannot be honoured.
pub(crate) fn negotiate(chosen: &[String], offered: bool) -> Result<Option<Params>, String> {
    let Some(first) = chosen.first() else {
        return Ok(None);
    };
    if !offered {
        return Err(format!(
            "the server chose the extension {first:?}, which was not offered"
        ));
    }
    if chosen.len() > 1 {
        return Err(format!(
            "the server chose several extensions ({}); only {NAME} was offered",
            chosen.join(", ")
        ));
    }
    let mut parts = first.split(';').map(str::trim);
    let name = parts.next().unwrap_or_default();
    if !name.eq_ignore_ascii_case(NAME) {
        return Err(format!(
            "the server chose the extension {name:?}, which was not offered"
        ));
    }
    let mut params = Params::default();
    let mut seen = Vec::new();
    for part in parts.filter(|p| !p.is_empty()) {
        let (key, value) = match part.split_once('=') {
            Some((k, v)) => (
                k.trim().to_ascii_lowercase(),
                Some(v.trim().trim_matches('"')),
            ),
            None => (part.to_ascii_lowercase(), None),
        };
        if seen.contains(&key) {
            return Err(format!("the server gave {NAME}'s {key} twice"));
        }
        seen.push(key.clone());
        match (key.as_str(), value) {
            ("server_no_context_takeover", None) => params.server_no_context_takeover = true,
            ("client_no_context_takeover", None) => params.client_no_context_takeover = true,
            ("server_max_window_bits", Some(bits))
                if bits.parse::<u8>().is_ok_and(|b| (8..=15).contains(&b)) => {}
            ("client_max_window_bits", _) => {
                return Err(format!(
                    "the server asked for {NAME} with {part}, which was not offered (this \
                     client always compresses with a 32 KiB window)"
                ))
            }
            _ => {
                return Err(format!(
                    "the server answered {NAME} with the parameter {part:?}, which this \
                     client cannot honour"
                ))
            }
        }
    }
    Ok(Some(params))
}

/// Why an incoming compressed message could not be inflated.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum InflateError {
    /// More than the budget came out; `size` is how much had when it stopped.
    TooLarge {
        size: u64,
    },
    Corrupt(String),
}

/// One session's compressor and decompressor.
pub(crate) struct Deflate {
    params: Params,
    compress: Compress,
    decompress: Decompress,
}

impl Deflate {
    pub fn new(params: Params) -> Self {
        Self {
            params,
            compress: Compress::new(Compression::default(), false),
            decompress: Decompress::new(false),
        }
    }

    /// Compresses one whole message (its payload, to be sent with RSV1 set).
    pub fn compress(&mut self, data: &[u8]) -> Result<Vec<u8>, String> {
        let mut out = Vec::with_capacity(data.len() / 2 + 64);
        let mut pos = 0;
        loop {
            if out.capacity() - out.len() < 64 {
                out.reserve(out.capacity().max(1024));
            }
            let before = self.compress.total_in();
            self.compress
                .compress_vec(&data[pos..], &mut out, FlushCompress::Sync)
                .map_err(|e| format!("compressing a message failed: {e}"))?;
            pos += usize::try_from(self.compress.total_in() - before).unwrap_or(usize::MAX);
            // With input left or the output full, the flush is not done yet.
            if pos >= data.len() && out.len() < out.capacity() {
                break;
            }
        }
        if out.ends_with(&TAIL) {
            out.truncate(out.len() - TAIL.len());
        }
        if self.params.client_no_context_takeover {
            self.compress.reset();
        }
        Ok(out)
    }

    /// Inflates one whole message received with RSV1 set, stopping past `max` bytes.
    pub fn decompress(&mut self, data: &[u8], max: u64) -> Result<Vec<u8>, InflateError> {
        let mut input = Vec::with_capacity(data.len() + TAIL.len());
        input.extend_from_slice(data);
        input.extend_from_slice(&TAIL);
        let mut out = Vec::with_capacity((data.len() * 3).clamp(64, 1 << 20));
        let mut pos = 0;
        let result = loop {
            if out.len() == out.capacity() {
                out.reserve(out.len().clamp(1024, 1 << 20));
            }
            let (before_in, before_out) = (self.decompress.total_in(), self.decompress.total_out());
            let status =
                match self
                    .decompress
                    .decompress_vec(&input[pos..], &mut out, FlushDecompress::Sync)
                {
                    Ok(status) => status,
                    Err(e) => break Err(InflateError::Corrupt(e.to_string())),
                };
            let read = usize::try_from(self.decompress.total_in() - before_in).unwrap_or(0);
            let wrote = self.decompress.total_out() - before_out;
            pos += read;
            if out.len() as u64 > max {
                break Err(InflateError::TooLarge {
                    size: out.len() as u64,
                });
            }
            if status == Status::StreamEnd {
                // A final block: the next message starts a new stream.
                self.decompress.reset(false);
                break Ok(());
            }
            if pos >= input.len() && out.len() < out.capacity() {
                break Ok(());
            }
            if read == 0 && wrote == 0 && out.len() < out.capacity() {
                break Err(InflateError::Corrupt(
                    "the compressed data ends in the middle of a block".into(),
                ));
            }
        };
        if result.is_err() || self.params.server_no_context_takeover {
            self.decompress.reset(false);
        }
        result.map(|()| out)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn chosen(s: &str) -> Vec<String> {
        vec![s.to_owned()]
    }

    #[test]
    fn the_servers_answer_is_checked_against_the_offer() {
        assert_eq!(negotiate(&[], true), Ok(None));
        assert_eq!(
            negotiate(&chosen("permessage-deflate"), true),
            Ok(Some(Params::default()))
        );
        assert_eq!(
            negotiate(
                &chosen("permessage-deflate; server_max_window_bits=12; server_no_context_takeover; client_no_context_takeover"),
                true
            ),
            Ok(Some(Params {
                server_no_context_takeover: true,
                client_no_context_takeover: true
            }))
        );
        let err = |s: &str, offered: bool| negotiate(&chosen(s), offered).unwrap_err();
        assert!(err("permessage-deflate", false).contains("not offered"));
        assert!(err("x-webkit-deflate-frame", true).contains("not offered"));
        assert!(err("permessage-deflate; client_max_window_bits=10", true)
            .contains("client_max_window_bits=10"));
        assert!(err("permessage-deflate; server_max_window_bits=7", true).contains("cannot honour"));
        assert!(err("permessage-deflate; mystery", true).contains("cannot honour"));
        assert!(err(
            "permessage-deflate; server_no_context_takeover; server_no_context_takeover",
            true
        )
        .contains("twice"));
        let two = vec![
            "permessage-deflate".to_owned(),
            "permessage-deflate".to_owned(),
        ];
        assert!(negotiate(&two, true).unwrap_err().contains("several"));
    }

    #[test]
    fn messages_round_trip_with_and_without_context_takeover() {
        for params in [
            Params::default(),
            Params {
                server_no_context_takeover: true,
                client_no_context_takeover: true,
            },
        ] {
            // Our compressor feeds a peer's decompressor: same params on both sides.
            let mut ours = Deflate::new(params);
            let mut theirs = Deflate::new(Params {
                server_no_context_takeover: params.client_no_context_takeover,
                client_no_context_takeover: params.server_no_context_takeover,
            });
            let message = "the same words again and again; ".repeat(2000);
            let mut sizes = Vec::new();
            for _ in 0..3 {
                let packed = ours.compress(message.as_bytes()).unwrap();
                assert!(!packed.ends_with(&TAIL));
                sizes.push(packed.len());
                let unpacked = theirs.decompress(&packed, u64::MAX).unwrap();
                assert_eq!(unpacked, message.as_bytes());
            }
            assert!(sizes[0] < message.len() / 10, "{sizes:?}");
            if !params.client_no_context_takeover {
                // The window still holds the first message: the repeat costs next to nothing.
                assert!(sizes[1] < sizes[0], "{sizes:?}");
            } else {
                assert_eq!(sizes[1], sizes[0], "{sizes:?}");
            }
        }
    }

    #[test]
    fn inflating_stops_at_the_budget_and_on_garbage() {
        let mut ours = Deflate::new(Params::default());
        let packed = ours.compress(&vec![b'x'; 100_000]).unwrap();
        let mut theirs = Deflate::new(Params::default());
        match theirs.decompress(&packed, 1000) {
            Err(InflateError::TooLarge { size }) => assert!(size > 1000),
            other => panic!("{other:?}"),
        }
        let mut fresh = Deflate::new(Params::default());
        assert!(matches!(
            fresh.decompress(&[0xFF, 0xFF, 0xFF, 0xFF], 1000),
            Err(InflateError::Corrupt(_))
        ));
    }
}
