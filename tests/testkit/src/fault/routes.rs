//! The fault server's routes: a few well-behaved ones (so the engine's ordinary paths can be
//! tested against a server whose bytes we control) and many that break HTTP in one exact way
//! each (stalls, resets, bad chunking, redirect loops, encoded and mis-encoded bodies).

use std::io::{self, Write};
use std::sync::OnceLock;
use std::time::Duration;

use tokio::io::AsyncWriteExt;

use super::http::{head, Conn, RawStream, Request, Response};
use super::paced;

/// What the connection loop does after a route has answered.
pub(crate) enum Next {
    /// Read the next request on the same connection.
    KeepAlive,
    /// Close gracefully (FIN, or TLS close_notify then FIN).
    Close,
    /// Drop the socket as it is (after a route set zero linger, this sends a RST).
    Abort,
}

/// Size of each write of `/bytes/{n}`.
/// `/csv`: a small RFC 4180 document (a quoted comma, doubled quotes, CRLF line ends).
const CSV: &str = "id,name,note\r\n1,Ada,\"Lovelace, A.\"\r\n2,Grace,\"said \"\"hi\"\"\"\r\n";
const CHUNK: usize = 64 * 1024;

/// The repeating pattern of `/bytes/{n}`: byte `i` of the body is `i % 256`. The chunk size is a
/// multiple of 256, so consecutive chunks continue the pattern.
static PATTERN: [u8; CHUNK] = pattern();

const fn pattern() -> [u8; CHUNK] {
    let mut bytes = [0u8; CHUNK];
    let mut i = 0;
    while i < CHUNK {
        bytes[i] = i as u8;
        i += 1;
    }
    bytes
}

pub(crate) async fn handle<S: RawStream>(conn: &mut Conn<S>, req: Request) -> io::Result<Next> {
    let keep_alive = req.keep_alive();
    let head_only = req.method == "HEAD";
    let path = req.path.clone();
    let segments: Vec<&str> = path.trim_start_matches('/').split('/').collect();

    let response = match segments.as_slice() {
        ["ok"] => Response::text(200, "ok"),
        ["json"] => Response::new(200, "application/json", r#"{"hello":"world","n":1}"#),
        ["csv"] => Response::new(200, "text/csv; charset=utf-8", CSV),
        ["echo"] => echo(&req),
        ["bytes", n] => {
            let Ok(n) = n.parse::<u64>() else {
                return send(
                    conn,
                    Response::text(400, "bad length"),
                    keep_alive,
                    head_only,
                )
                .await;
            };
            return bytes(conn, n, keep_alive, head_only).await;
        }
        ["slow-body"] => {
            let chunks = query_num(&req, "chunks", 5);
            let delay = Duration::from_millis(query_num(&req, "delay_ms", 200));
            return slow_body(conn, chunks, delay, keep_alive).await;
        }
        ["paced"] => {
            let total = query_num(&req, "bytes", 1024 * 1024);
            let rate = query_num(&req, "rate", 1024 * 1024);
            return paced::paced(conn, total, rate, keep_alive).await;
        }
        ["gate", key] => {
            let first = query_num(&req, "first", 1024);
            let total = query_num(&req, "total", 64 * 1024);
            return paced::gated(conn, key, first, total).await;
        }
        ["gate-open", key] => {
            paced::open(key);
            Response::text(200, "opened")
        }
        ["stall-head"] => {
            conn.hold_open().await;
            return Ok(Next::Abort);
        }
        ["stall-body"] => {
            let mut headers = octets();
            headers.push(("Content-Length".into(), "1000".into()));
            let head = head(200, &headers, false);
            conn.stream
                .write_all(&[head.as_slice(), &PATTERN[..10]].concat())
                .await?;
            conn.stream.flush().await?;
            conn.hold_open().await;
            return Ok(Next::Abort);
        }
        ["reset-mid-body"] => {
            let mut headers = octets();
            headers.push(("Content-Length".into(), "100000".into()));
            let head = head(200, &headers, false);
            conn.stream
                .write_all(&[head.as_slice(), &PATTERN[..10_000]].concat())
                .await?;
            conn.stream.flush().await?;
            // Give the client a moment to take in what was sent, so the reset lands mid-body
            // rather than racing the head.
            tokio::time::sleep(Duration::from_millis(50)).await;
            conn.stream.tcp().set_zero_linger()?;
            return Ok(Next::Abort);
        }
        ["close-before-head"] => return Ok(Next::Close),
        ["broken-chunked"] => {
            let headers = vec![
                ("Content-Type".into(), "text/plain".into()),
                ("Transfer-Encoding".into(), "chunked".into()),
            ];
            let mut out = head(200, &headers, false);
            out.extend_from_slice(b"5\r\nhello\r\nzz\r\n");
            conn.stream.write_all(&out).await?;
            conn.stream.flush().await?;
            return Ok(Next::Close);
        }
        ["redirect-loop"] => Response::redirect("/redirect-loop"),
        ["redirect-to"] => match req.query("url") {
            Some(url) => {
                let mut response = Response::redirect(url);
                response.status = query_num(&req, "status", 302) as u16;
                response
            }
            None => Response::text(400, "no url"),
        },
        ["gzip-bomb"] => {
            let mib = query_num(&req, "mib", 1024).clamp(1, 16 * 1024);
            Response::new(200, "application/json", gzip_zeros_cached(mib))
                .header("Content-Encoding", "gzip")
        }
        ["endless"] => {
            let delay = Duration::from_millis(query_num(&req, "delay_ms", 0));
            return endless(conn, delay).await;
        }
        ["redirect", n] => match n.parse::<u64>() {
            Ok(0) => Response::text(200, "done"),
            Ok(n) => Response::redirect(&format!("/redirect/{}", n - 1)),
            Err(_) => Response::text(400, "bad count"),
        },
        ["sse", "slow"] => {
            let count = query_num(&req, "count", 5);
            let delay = Duration::from_millis(query_num(&req, "delay_ms", 200));
            return super::sse::slow(conn, count, delay).await;
        }
        ["sse", "resume"] => {
            let count = query_num(&req, "count", 10);
            let drop_after = query_num(&req, "drop_after", 4);
            return super::sse::resume(conn, &req, count, drop_after).await;
        }
        ["sse", "flaky"] => {
            let count = query_num(&req, "count", 10);
            let every = query_num(&req, "every", 2);
            return super::sse::flaky(conn, &req, count, every).await;
        }
        ["sse", "fast"] => {
            let count = query_num(&req, "count", 1000);
            let per_sec = query_num(&req, "per_sec", 0);
            return super::sse::fast(conn, count, per_sec).await;
        }
        ["huge-headers"] => {
            let count = query_num(&req, "count", 100);
            let value = "x".repeat(query_num(&req, "size", 100) as usize);
            let mut response = Response::text(200, "ok");
            for i in 0..count {
                response = response.header(&format!("X-Big-{i}"), value.clone());
            }
            response
        }
        ["encoded", coding] => encoded(coding),
        ["big-json", n] => match n.parse::<usize>() {
            Ok(n) => Response::new(200, "application/json", big_json_cached(n)),
            Err(_) => Response::text(400, "bad length"),
        },
        ["set-cookie"] => {
            let name = req.query("name").unwrap_or("session");
            let value = req.query("value").unwrap_or("1");
            Response::text(200, "ok").header("Set-Cookie", format!("{name}={value}; Path=/"))
        }
        ["set-cookie-redirect"] => {
            Response::redirect("/cookies").header("Set-Cookie", "hop=1; Path=/")
        }
        ["cookies"] => {
            let cookies: Vec<&str> = req
                .headers
                .iter()
                .filter(|(n, _)| n.eq_ignore_ascii_case("cookie"))
                .map(|(_, v)| v.as_str())
                .collect();
            Response::text(200, cookies.join("; "))
        }
        ["digest", case] => digest(&req, case),
        ["flaky", key] => super::runs::flaky(key, query_num(&req, "fail", 2)),
        ["log", key] => super::runs::log(key),
        ["log", key, item] => {
            super::runs::log_append(key, item, query_num(&req, "delay_ms", 0)).await
        }
        ["ws-stream"] => {
            let count = query_num(&req, "count", 1000);
            let per_sec = query_num(&req, "per_sec", 0);
            return super::ws_stream::stream(conn, &req, count, per_sec).await;
        }
        ["ws", case @ ..] => return super::ws::fault(conn, &req, case).await,
        _ => Response::text(404, "not found"),
    };
    send(conn, response, keep_alive, head_only).await
}

/// HTTP Digest without checking the hash (httpbin checks hashes; this checks the engine's retry
/// rules). Without credentials: a challenge with nonce `n1`. `stale-once`: an answer to `n1` gets
/// `stale=true` with nonce `n2`; an answer to `n2` is a 200 echoing `nonce`, `nc` and `uri`.
/// `always-stale`: every answer gets another stale challenge with a new nonce.
fn digest(req: &Request, case: &str) -> Response {
    let challenge = |nonce: &str, stale: bool| {
        let stale = if stale { ", stale=true" } else { "" };
        Response::text(401, "unauthorized").header(
            "WWW-Authenticate",
            format!(
                r#"Digest realm="fault", qop="auth", algorithm=MD5, nonce="{nonce}", opaque="op"{stale}"#
            ),
        )
    };
    let auth = req
        .headers
        .iter()
        .find(|(n, _)| n.eq_ignore_ascii_case("authorization"))
        .map(|(_, v)| v.as_str())
        .filter(|v| v.starts_with("Digest "));
    let Some(auth) = auth else {
        return challenge("n1", false);
    };
    let nonce = digest_param(auth, "nonce");
    let nc = digest_param(auth, "nc");
    let uri = digest_param(auth, "uri");
    match (case, nonce.as_str()) {
        ("stale-once", "n1") => challenge("n2", true),
        ("stale-once", "n2") => Response::text(200, format!("nonce={nonce} nc={nc} uri={uri}")),
        ("always-stale", _) => challenge(&format!("{nonce}x"), true),
        _ => Response::text(400, format!("unexpected nonce {nonce:?}")),
    }
}

/// One `name=value` or `name="value"` parameter of a Digest answer; empty when absent.
fn digest_param(header: &str, name: &str) -> String {
    header
        .trim_start_matches("Digest ")
        .split(", ")
        .filter_map(|pair| pair.split_once('='))
        .find(|(k, _)| k.trim() == name)
        .map(|(_, v)| v.trim_matches('"').to_owned())
        .unwrap_or_default()
}

async fn send<S: RawStream>(
    conn: &mut Conn<S>,
    response: Response,
    keep_alive: bool,
    head_only: bool,
) -> io::Result<Next> {
    conn.stream
        .write_all(&response.encode(!keep_alive, head_only))
        .await?;
    conn.stream.flush().await?;
    Ok(if keep_alive {
        Next::KeepAlive
    } else {
        Next::Close
    })
}

/// [`big_json`], generated once per size so benchmarks time the client, not the generator.
fn big_json_cached(min_len: usize) -> Vec<u8> {
    use std::collections::HashMap;
    use std::sync::{Mutex, OnceLock};
    static CACHE: OnceLock<Mutex<HashMap<usize, Vec<u8>>>> = OnceLock::new();
    let mut cache = CACHE
        .get_or_init(Default::default)
        .lock()
        .unwrap_or_else(|p| p.into_inner());
    cache
        .entry(min_len)
        .or_insert_with(|| big_json(min_len))
        .clone()
}

/// A compact JSON array of records, at least `min_len` bytes long (for body-viewer benchmarks).
fn big_json(min_len: usize) -> Vec<u8> {
    let mut out = Vec::with_capacity(min_len + 256);
    out.push(b'[');
    let mut i = 0u64;
    while out.len() < min_len {
        if i > 0 {
            out.push(b',');
        }
        out.extend_from_slice(
            format!(
                r#"{{"id":{i},"name":"item {i}","tags":["alpha","beta"],"price":{}.5,"active":{}}}"#,
                i % 1000,
                i.is_multiple_of(2)
            )
            .as_bytes(),
        );
        i += 1;
    }
    out.push(b']');
    out
}

fn octets() -> Vec<(String, String)> {
    vec![("Content-Type".into(), "application/octet-stream".into())]
}

fn query_num(req: &Request, name: &str, default: u64) -> u64 {
    req.query(name)
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

fn echo(req: &Request) -> Response {
    let headers: Vec<[&str; 2]> = req
        .headers
        .iter()
        .map(|(n, v)| [n.as_str(), v.as_str()])
        .collect();
    let doc = serde_json::json!({
        "method": req.method,
        "path": req.target,
        "headers": headers,
        "body": String::from_utf8_lossy(&req.body),
        "bodyLength": req.body.len(),
    });
    Response::new(200, "application/json", doc.to_string())
}

async fn bytes<S: RawStream>(
    conn: &mut Conn<S>,
    n: u64,
    keep_alive: bool,
    head_only: bool,
) -> io::Result<Next> {
    let mut headers = octets();
    headers.push(("Content-Length".into(), n.to_string()));
    conn.stream
        .write_all(&head(200, &headers, !keep_alive))
        .await?;
    let mut left = if head_only { 0 } else { n };
    while left > 0 {
        let take = left.min(CHUNK as u64) as usize;
        conn.stream.write_all(&PATTERN[..take]).await?;
        left -= take as u64;
    }
    conn.stream.flush().await?;
    Ok(if keep_alive {
        Next::KeepAlive
    } else {
        Next::Close
    })
}

async fn slow_body<S: RawStream>(
    conn: &mut Conn<S>,
    chunks: u64,
    delay: Duration,
    keep_alive: bool,
) -> io::Result<Next> {
    let mut headers = octets();
    headers.push(("Content-Length".into(), (chunks * 1024).to_string()));
    conn.stream
        .write_all(&head(200, &headers, !keep_alive))
        .await?;
    conn.stream.flush().await?;
    for _ in 0..chunks {
        conn.stream.write_all(&PATTERN[..1024]).await?;
        conn.stream.flush().await?;
        tokio::time::sleep(delay).await;
    }
    Ok(if keep_alive {
        Next::KeepAlive
    } else {
        Next::Close
    })
}

/// A chunked body that never ends: 64 KiB chunks (of `{`, so it stays a JSON prefix) every
/// `delay`, until the client goes away.
async fn endless<S: RawStream>(conn: &mut Conn<S>, delay: Duration) -> io::Result<Next> {
    let headers = vec![
        ("Content-Type".into(), "application/json".into()),
        ("Transfer-Encoding".into(), "chunked".into()),
    ];
    conn.stream.write_all(&head(200, &headers, true)).await?;
    let chunk = [
        format!("{CHUNK:x}\r\n").into_bytes(),
        vec![b'{'; CHUNK],
        b"\r\n".to_vec(),
    ]
    .concat();
    loop {
        conn.stream.write_all(&chunk).await?;
        conn.stream.flush().await?;
        if !delay.is_zero() {
            tokio::time::sleep(delay).await;
        }
    }
}

/// [`gzip_zeros`], built once per size.
fn gzip_zeros_cached(mib: u64) -> Vec<u8> {
    use std::collections::HashMap;
    use std::sync::Mutex;
    static CACHE: OnceLock<Mutex<HashMap<u64, Vec<u8>>>> = OnceLock::new();
    let mut cache = CACHE
        .get_or_init(Default::default)
        .lock()
        .unwrap_or_else(|p| p.into_inner());
    cache.entry(mib).or_insert_with(|| gzip_zeros(mib)).clone()
}

/// A valid gzip stream of `mib` MiB of zero bytes (~1 KB on the wire per MiB decoded), built
/// without compressing the whole: one MiB is deflated by a fresh compressor and fully flushed
/// (byte-aligned, no back-references out of it), so the same bytes can be repeated; a final
/// empty block and the combined CRC close it.
pub(crate) fn gzip_zeros(mib: u64) -> Vec<u8> {
    const MIB: usize = 1024 * 1024;
    let zeros = vec![0u8; MIB];
    let mut deflater = flate2::Compress::new(flate2::Compression::best(), false);
    let mut block = Vec::with_capacity(MIB);
    deflater
        .compress_vec(&zeros, &mut block, flate2::FlushCompress::Full)
        .expect("deflating zeros");
    let mut one = flate2::Crc::new();
    one.update(&zeros);
    let mut crc = flate2::Crc::new();
    let mut out = vec![0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 0, 0xff];
    for _ in 0..mib {
        out.extend_from_slice(&block);
        crc.combine(&one);
    }
    // A final fixed-Huffman block holding only end-of-block.
    out.extend_from_slice(&[0x03, 0x00]);
    out.extend_from_slice(&crc.sum().to_le_bytes());
    out.extend_from_slice(&((mib * MIB as u64) as u32).to_le_bytes());
    out
}

/// The ~20 KB JSON document that `/encoded/*` compresses.
pub(crate) fn encoded_document() -> &'static str {
    static DOC: OnceLock<String> = OnceLock::new();
    DOC.get_or_init(|| {
        let items: Vec<serde_json::Value> = (0..300)
            .map(|i| {
                serde_json::json!({
                    "id": i,
                    "name": format!("item-{i}"),
                    "active": i % 3 != 0,
                    "score": i * 7 % 100,
                    "tags": ["alpha", "beta"],
                })
            })
            .collect();
        serde_json::Value::Array(items).to_string()
    })
}

fn encoded(coding: &str) -> Response {
    let doc = encoded_document().as_bytes();
    let body = match coding {
        "gzip" => {
            let mut enc = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
            enc.write_all(doc).and_then(|()| enc.finish())
        }
        "deflate" => {
            let mut enc =
                flate2::write::ZlibEncoder::new(Vec::new(), flate2::Compression::default());
            enc.write_all(doc).and_then(|()| enc.finish())
        }
        "br" => {
            let mut enc = brotli::CompressorWriter::new(Vec::new(), 4096, 5, 22);
            enc.write_all(doc)
                .and_then(|()| enc.flush())
                .map(|()| enc.into_inner())
        }
        "zstd" => zstd::encode_all(doc, 3),
        "bogus-gzip" => {
            return Response::new(200, "application/json", "this is not gzip data at all")
                .header("Content-Encoding", "gzip");
        }
        _ => return Response::text(404, "unknown encoding"),
    };
    match body {
        Ok(body) => Response::new(200, "application/json", body)
            .header("Content-Encoding", coding)
            .header("X-Decoded-Length", doc.len().to_string()),
        Err(e) => Response::text(500, format!("compressing: {e}")),
    }
}

#[cfg(test)]
mod tests {
    use std::io::Read;

    #[test]
    fn the_gzip_bomb_is_valid_gzip_of_zeros() {
        let bomb = super::gzip_zeros(3);
        assert!(bomb.len() < 16 * 1024, "{} bytes on the wire", bomb.len());
        let mut decoded = Vec::new();
        flate2::read::GzDecoder::new(bomb.as_slice())
            .read_to_end(&mut decoded)
            .unwrap();
        assert_eq!(decoded.len(), 3 * 1024 * 1024);
        assert!(decoded.iter().all(|&b| b == 0));
    }
}
