//! The WebSocket frame format (RFC 6455 §5.2): reading a server frame's header, writing a
//! masked client frame. Everything the header alone can break (reserved bits, unknown opcodes,
//! a masked server frame, control-frame rules, a 64-bit length with its top bit set) is a
//! [`FrameError`] here, before any payload is read.

/// The largest payload of a control frame (close, ping, pong).
pub(crate) const MAX_CONTROL_PAYLOAD: u64 = 125;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum OpCode {
    Continuation,
    Text,
    Binary,
    Close,
    Ping,
    Pong,
}

impl OpCode {
    fn from_bits(bits: u8) -> Option<Self> {
        Some(match bits {
            0x0 => Self::Continuation,
            0x1 => Self::Text,
            0x2 => Self::Binary,
            0x8 => Self::Close,
            0x9 => Self::Ping,
            0xA => Self::Pong,
            _ => return None,
        })
    }

    fn bits(self) -> u8 {
        match self {
            Self::Continuation => 0x0,
            Self::Text => 0x1,
            Self::Binary => 0x2,
            Self::Close => 0x8,
            Self::Ping => 0x9,
            Self::Pong => 0xA,
        }
    }

    pub fn is_control(self) -> bool {
        matches!(self, Self::Close | Self::Ping | Self::Pong)
    }
}

/// A frame's header as read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Header {
    pub fin: bool,
    /// RSV1: "this message is compressed" under permessage-deflate.
    pub rsv1: bool,
    pub opcode: OpCode,
    /// Payload length in bytes.
    pub len: u64,
    /// Bytes the header itself takes (2, 4 or 10: the server never masks).
    pub header_len: usize,
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub(crate) enum FrameError {
    #[error("reserved bits RSV2/RSV3 are set")]
    ReservedBits,
    #[error("unknown opcode {0:#x}")]
    UnknownOpcode(u8),
    #[error("the server masked a frame (only clients mask)")]
    Masked,
    #[error("a {0}-byte control frame (at most 125 bytes)")]
    ControlTooLong(u64),
    #[error("a fragmented control frame")]
    FragmentedControl,
    #[error("a 64-bit frame length with its top bit set")]
    BadLength,
}

/// Reads a server frame's header from the start of `buf`; `Ok(None)` while it is incomplete.
pub(crate) fn parse_header(buf: &[u8]) -> Result<Option<Header>, FrameError> {
    let [b0, b1, ..] = *buf else {
        return Ok(None);
    };
    if b0 & 0x30 != 0 {
        return Err(FrameError::ReservedBits);
    }
    let opcode = OpCode::from_bits(b0 & 0x0F).ok_or(FrameError::UnknownOpcode(b0 & 0x0F))?;
    if b1 & 0x80 != 0 {
        return Err(FrameError::Masked);
    }
    let fin = b0 & 0x80 != 0;
    let (len, header_len) = match b1 & 0x7F {
        126 => match buf.get(2..4) {
            Some(b) => (u64::from(u16::from_be_bytes([b[0], b[1]])), 4),
            None => return Ok(None),
        },
        127 => match buf.get(2..10) {
            Some(b) => {
                let mut be = [0u8; 8];
                be.copy_from_slice(b);
                let len = u64::from_be_bytes(be);
                if len >> 63 != 0 {
                    return Err(FrameError::BadLength);
                }
                (len, 10)
            }
            None => return Ok(None),
        },
        n => (u64::from(n), 2),
    };
    if opcode.is_control() {
        if !fin {
            return Err(FrameError::FragmentedControl);
        }
        if len > MAX_CONTROL_PAYLOAD {
            return Err(FrameError::ControlTooLong(len));
        }
    }
    Ok(Some(Header {
        fin,
        rsv1: b0 & 0x40 != 0,
        opcode,
        len,
        header_len,
    }))
}

/// Appends one client frame (masked with `mask`) carrying `payload` to `out`.
pub(crate) fn encode(
    out: &mut Vec<u8>,
    fin: bool,
    rsv1: bool,
    opcode: OpCode,
    payload: &[u8],
    mask: [u8; 4],
) {
    out.push(u8::from(fin) << 7 | u8::from(rsv1) << 6 | opcode.bits());
    let len = payload.len() as u64;
    match len {
        0..=125 => out.push(0x80 | len as u8),
        126..=0xFFFF => {
            out.push(0x80 | 126);
            out.extend_from_slice(&(len as u16).to_be_bytes());
        }
        _ => {
            out.push(0x80 | 127);
            out.extend_from_slice(&len.to_be_bytes());
        }
    }
    out.extend_from_slice(&mask);
    let start = out.len();
    out.extend_from_slice(payload);
    apply_mask(&mut out[start..], mask);
}

/// XORs `data` with the masking key (its own inverse).
pub(crate) fn apply_mask(data: &mut [u8], mask: [u8; 4]) {
    for (i, b) in data.iter_mut().enumerate() {
        *b ^= mask[i & 3];
    }
}

/// A server frame (unmasked) with the first byte `first` (FIN, RSV bits, opcode).
#[cfg(test)]
pub(crate) fn server_frame(first: u8, payload: &[u8]) -> Vec<u8> {
    let mut out = vec![first];
    let len = payload.len() as u64;
    match len {
        0..=125 => out.push(len as u8),
        126..=0xFFFF => {
            out.push(126);
            out.extend_from_slice(&(len as u16).to_be_bytes());
        }
        _ => {
            out.push(127);
            out.extend_from_slice(&len.to_be_bytes());
        }
    }
    out.extend_from_slice(payload);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn headers_of_every_length_form_wait_for_all_their_bytes() {
        for size in [0usize, 125, 126, 0xFFFF, 0x10000] {
            let frame = server_frame(0x82, &vec![7u8; size]);
            let header_len = match size {
                0..=125 => 2,
                126..=0xFFFF => 4,
                _ => 10,
            };
            for cut in 0..header_len {
                assert_eq!(
                    parse_header(&frame[..cut]),
                    Ok(None),
                    "size {size} cut {cut}"
                );
            }
            let h = parse_header(&frame[..header_len]).unwrap().unwrap();
            assert_eq!(
                (h.len, h.header_len, h.fin),
                (size as u64, header_len, true)
            );
            assert_eq!(h.opcode, OpCode::Binary);
        }
    }

    #[test]
    fn broken_headers_are_typed_errors() {
        assert_eq!(parse_header(&[0x83, 0]), Err(FrameError::UnknownOpcode(3)));
        assert_eq!(
            parse_header(&[0x8B, 0]),
            Err(FrameError::UnknownOpcode(0xB))
        );
        assert_eq!(parse_header(&[0xA1, 0]), Err(FrameError::ReservedBits));
        assert_eq!(parse_header(&[0x91, 0]), Err(FrameError::ReservedBits));
        assert_eq!(parse_header(&[0x81, 0x80]), Err(FrameError::Masked));
        assert_eq!(parse_header(&[0x09, 0]), Err(FrameError::FragmentedControl));
        assert_eq!(
            parse_header(&[0x89, 126, 0, 126]),
            Err(FrameError::ControlTooLong(126))
        );
        let mut huge = vec![0x82, 127];
        huge.extend_from_slice(&u64::MAX.to_be_bytes());
        assert_eq!(parse_header(&huge), Err(FrameError::BadLength));
        let rsv1 = parse_header(&[0xC1, 0]).unwrap().unwrap();
        assert!(rsv1.rsv1);
    }

    #[test]
    fn client_frames_are_masked_and_unmask_to_the_payload() {
        for size in [0usize, 5, 126, 70_000] {
            let payload: Vec<u8> = (0..size).map(|i| (i % 251) as u8).collect();
            let mut out = Vec::new();
            encode(&mut out, true, false, OpCode::Text, &payload, [1, 2, 3, 4]);
            assert_eq!(out[0], 0x81);
            assert_eq!(out[1] & 0x80, 0x80);
            let header_len = match size {
                0..=125 => 2,
                126..=0xFFFF => 4,
                _ => 10,
            };
            assert_eq!(&out[header_len..header_len + 4], &[1, 2, 3, 4]);
            let mut body = out[header_len + 4..].to_vec();
            apply_mask(&mut body, [1, 2, 3, 4]);
            assert_eq!(body, payload);
        }
    }
}
