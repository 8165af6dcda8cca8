//! The socket's frame reader on exact bytes: every split of a stream gives the same messages,
//! and each way a server can break the protocol is a typed error, never a panic.

use super::*;
use crate::ws::deflate::Params;
use crate::ws::frame::{apply_mask, server_frame};

fn socket(deflate: bool, max: u64) -> Socket {
    let (ours, _theirs) = tokio::io::duplex(64);
    Socket::new(
        Box::new(ours),
        &[],
        deflate.then(|| Deflate::new(Params::default())),
        max,
    )
}

/// Feeds `chunks` in turn, taking every message each makes complete.
fn feed(socket: &mut Socket, chunks: &[&[u8]]) -> Result<Vec<Message>, ReadError> {
    let mut out = Vec::new();
    for chunk in chunks {
        socket.buf.extend_from_slice(chunk);
        while let Some(message) = socket.parse()? {
            out.push(message);
        }
    }
    Ok(out)
}

fn stream(compressed: bool) -> (Vec<u8>, Vec<Message>) {
    let text = "héllo, wörld ".repeat(40);
    let mut wire = Vec::new();
    if compressed {
        let mut peer = Deflate::new(Params::default());
        let packed = peer.compress(text.as_bytes()).unwrap();
        let (a, b) = packed.split_at(packed.len() / 2);
        wire.extend(server_frame(0x41, a)); // text, RSV1, not final
        wire.extend(server_frame(0x89, b"mid")); // a ping between fragments
        wire.extend(server_frame(0x80, b));
    } else {
        // Split inside the two-byte "é" on purpose: UTF-8 is checked on the whole message.
        let (a, b) = text.as_bytes().split_at(2);
        wire.extend(server_frame(0x01, a));
        wire.extend(server_frame(0x89, b"mid"));
        wire.extend(server_frame(0x80, b));
    }
    wire.extend(server_frame(0x82, &vec![9u8; 300]));
    wire.extend(server_frame(0x8A, b""));
    let mut close = 4000u16.to_be_bytes().to_vec();
    close.extend_from_slice(b"bye");
    wire.extend(server_frame(0x88, &close));
    let expected = vec![
        Message::Ping(b"mid".to_vec()),
        Message::Text(text),
        Message::Binary(vec![9u8; 300]),
        Message::Pong(Vec::new()),
        Message::Close(Some((4000, "bye".into()))),
    ];
    (wire, expected)
}

#[test]
fn every_split_of_the_stream_gives_the_same_messages() {
    for compressed in [false, true] {
        let (wire, expected) = stream(compressed);
        for cut in 0..=wire.len() {
            let mut s = socket(compressed, 1 << 20);
            let got = feed(&mut s, &[&wire[..cut], &wire[cut..]]).unwrap();
            assert_eq!(got, expected, "compressed {compressed}, cut at {cut}");
        }
        let mut s = socket(compressed, 1 << 20);
        let bytes: Vec<&[u8]> = wire.chunks(1).collect();
        assert_eq!(feed(&mut s, &bytes).unwrap(), expected);
    }
}

fn error_of(deflate: bool, max: u64, wire: &[u8]) -> ReadError {
    feed(&mut socket(deflate, max), &[wire]).expect_err("a broken stream")
}

fn protocol(deflate: bool, wire: &[u8]) -> String {
    match error_of(deflate, 1 << 20, wire) {
        ReadError::Protocol(why) => why,
        other => panic!("{other:?}"),
    }
}

#[test]
fn broken_frames_are_typed_errors() {
    assert!(protocol(false, &server_frame(0x83, b"x")).contains("opcode"));
    assert!(protocol(false, &server_frame(0xC1, b"x")).contains("permessage-deflate"));
    assert!(protocol(true, &server_frame(0xA1, b"x")).contains("RSV2"));
    assert!(protocol(true, &server_frame(0xC9, b"x")).contains("control frame"));
    assert!(protocol(false, &server_frame(0x89, &[0; 126])).contains("126-byte control"));
    assert!(protocol(false, &server_frame(0x09, b"x")).contains("fragmented control"));
    assert!(protocol(false, &server_frame(0x80, b"x")).contains("continuation"));
    let mut two_starts = server_frame(0x01, b"a");
    two_starts.extend(server_frame(0x81, b"b"));
    assert!(protocol(false, &two_starts).contains("new message"));
    let mut rsv1_later = server_frame(0x41, b"a");
    rsv1_later.extend(server_frame(0xC0, b"b"));
    assert!(protocol(true, &rsv1_later).contains("continuation"));
    assert!(protocol(false, &server_frame(0x88, &[3])).contains("1-byte"));
    assert!(protocol(false, &server_frame(0x88, &1005u16.to_be_bytes())).contains("1005"));
    assert!(protocol(true, &server_frame(0xC1, &[0xFF; 8])).contains("inflate"));
    let mut masked = server_frame(0x81, b"abcd");
    masked[1] |= 0x80;
    assert!(protocol(false, &masked).contains("masked"));
}

#[test]
fn text_that_is_not_utf8_is_a_utf8_error() {
    assert!(matches!(
        error_of(false, 100, &server_frame(0x81, &[0xC3, 0x28])),
        ReadError::Utf8(_)
    ));
    let mut close = 1000u16.to_be_bytes().to_vec();
    close.push(0xFF);
    assert!(matches!(
        error_of(false, 100, &server_frame(0x88, &close)),
        ReadError::Utf8(_)
    ));
}

#[test]
fn oversized_messages_are_refused_from_the_header_or_while_inflating() {
    // Only the header has arrived: refused before the payload.
    let header = &server_frame(0x82, &vec![0; 70_000])[..10];
    match error_of(false, 65_536, header) {
        ReadError::TooLarge { size, max } => assert_eq!((size, max), (70_000, 65_536)),
        other => panic!("{other:?}"),
    }
    let mut fragments = server_frame(0x02, &[0; 60]);
    fragments.extend(server_frame(0x80, &[0; 60]));
    assert!(matches!(
        error_of(false, 100, &fragments),
        ReadError::TooLarge {
            size: 120,
            max: 100
        }
    ));
    let bomb = Deflate::new(Params::default())
        .compress(&vec![b'a'; 1 << 20])
        .unwrap();
    match error_of(true, 1000, &server_frame(0xC1, &bomb)) {
        ReadError::TooLarge { size, max: 1000 } => assert!(size > 1000),
        other => panic!("{other:?}"),
    }
}

#[tokio::test]
async fn the_end_of_the_stream_between_or_inside_frames() {
    use tokio::io::AsyncWriteExt;
    let (ours, mut theirs) = tokio::io::duplex(1024);
    let mut s = Socket::new(Box::new(ours), &server_frame(0x81, b"early"), None, 1000);
    theirs
        .write_all(&server_frame(0x81, b"later"))
        .await
        .unwrap();
    drop(theirs);
    assert_eq!(
        s.next().await.unwrap().unwrap(),
        Message::Text("early".into())
    );
    assert_eq!(
        s.next().await.unwrap().unwrap(),
        Message::Text("later".into())
    );
    assert!(s.next().await.is_none());

    let (ours, mut theirs) = tokio::io::duplex(1024);
    let mut s = Socket::new(Box::new(ours), &[], None, 1000);
    theirs
        .write_all(&server_frame(0x81, b"cut short")[..5])
        .await
        .unwrap();
    drop(theirs);
    match s.next().await {
        Some(Err(ReadError::Io(e))) => assert_eq!(e.kind(), std::io::ErrorKind::UnexpectedEof),
        other => panic!("{other:?}"),
    }
}

#[tokio::test]
async fn sent_frames_are_masked_and_compressed_when_negotiated() {
    use tokio::io::AsyncReadExt;
    for deflate in [false, true] {
        let (ours, mut theirs) = tokio::io::duplex(1 << 16);
        let mut s = Socket::new(
            Box::new(ours),
            &[],
            deflate.then(|| Deflate::new(Params::default())),
            1000,
        );
        let text = "compress me ".repeat(100);
        s.send(&Message::Text(text.clone())).await.unwrap();
        s.send(&Message::Close(Some((1000, "ok".into()))))
            .await
            .unwrap();
        drop(s);
        let mut wire = Vec::new();
        theirs.read_to_end(&mut wire).await.unwrap();
        let header = wire[1] & 0x7F;
        let (len, at) = if header == 126 {
            (usize::from(u16::from_be_bytes([wire[2], wire[3]])), 4)
        } else {
            (usize::from(header), 2)
        };
        assert_eq!(wire[0], if deflate { 0xC1 } else { 0x81 });
        assert_eq!(wire[1] & 0x80, 0x80, "masked");
        let mask = [wire[at], wire[at + 1], wire[at + 2], wire[at + 3]];
        let mut payload = wire[at + 4..at + 4 + len].to_vec();
        apply_mask(&mut payload, mask);
        let plain = if deflate {
            Deflate::new(Params::default())
                .decompress(&payload, u64::MAX)
                .unwrap()
        } else {
            payload
        };
        assert_eq!(plain, text.as_bytes());
        let close = &wire[at + 4 + len..];
        assert_eq!(close[0], 0x88);
        let mut body = close[6..].to_vec();
        apply_mask(&mut body, [close[2], close[3], close[4], close[5]]);
        assert_eq!(body, [&1000u16.to_be_bytes()[..], b"ok"].concat());
    }
}
