//! Turning what the user typed into the bytes of a message: `{{variables}}` substituted in the
//! request's scopes (as they are now), JSON checked, hex parsed, a file read under the rules
//! body files follow.

use sextant_model::{ApiError, ErrorCode, RequestBody, SavedRequest, WsMessageKind, WsOutgoing};

use crate::send::SendContext;
use crate::App;

/// The biggest file sent as one binary message.
pub(crate) const MAX_FILE_MESSAGE: u64 = 256 * 1024 * 1024;

pub(crate) enum Payload {
    Text(String),
    Binary(Vec<u8>),
}

fn invalid(message: String) -> ApiError {
    ApiError::new(ErrorCode::InvalidRequest, message)
}

/// Hex digits, whitespace (and `:`/`-` separators) ignored.
pub(crate) fn parse_hex(text: &str) -> Result<Vec<u8>, ApiError> {
    let digits: Vec<u8> = text
        .bytes()
        .filter(|b| !b.is_ascii_whitespace() && *b != b':' && *b != b'-')
        .collect();
    if let Some(bad) = digits.iter().find(|b| !b.is_ascii_hexdigit()) {
        return Err(invalid(format!(
            "the message is not hex: {:?} is not a hex digit",
            char::from(*bad)
        )));
    }
    if digits.len() % 2 == 1 {
        return Err(invalid(
            "the message is not hex: an odd number of digits (each byte needs two)".into(),
        ));
    }
    Ok(digits
        .chunks(2)
        .map(|pair| {
            let high = char::from(pair[0]).to_digit(16).unwrap_or(0);
            let low = char::from(pair[1]).to_digit(16).unwrap_or(0);
            u8::try_from(high * 16 + low).unwrap_or(0)
        })
        .collect())
}

impl App {
    /// `saved` with `body` as its body, templated (in `context`) and its file vetted as `send`
    /// would: the body comes back substituted, a file path canonical.
    async fn ws_prepare_body(
        &self,
        saved: &SavedRequest,
        context: Option<SendContext>,
        body: RequestBody,
    ) -> Result<RequestBody, ApiError> {
        let mut probe = saved.clone();
        probe.request.body = body;
        probe.captures.clear();
        Ok(self.prepare(&probe, context).await?.request.body)
    }

    pub(crate) async fn ws_outgoing(
        &self,
        saved: &SavedRequest,
        context: Option<SendContext>,
        message: WsOutgoing,
    ) -> Result<Payload, ApiError> {
        let lost = || ApiError::new(ErrorCode::Internal, "templating the message lost it");
        if message.kind == WsMessageKind::BinaryFile {
            let body = RequestBody::Binary {
                path: message.body.trim().to_owned(),
                content_type: None,
            };
            let RequestBody::Binary { path, .. } =
                self.ws_prepare_body(saved, context, body).await?
            else {
                return Err(lost());
            };
            return read_file(&path).await.map(Payload::Binary);
        }
        let body = RequestBody::Text {
            content_type: "text/plain".into(),
            text: message.body,
        };
        let RequestBody::Text { text, .. } = self.ws_prepare_body(saved, context, body).await?
        else {
            return Err(lost());
        };
        match message.kind {
            WsMessageKind::Json => match serde_json::from_str::<serde_json::Value>(&text) {
                Ok(_) => Ok(Payload::Text(text)),
                Err(e) => Err(invalid(format!("the message is not valid JSON: {e}"))),
            },
            WsMessageKind::BinaryHex => Ok(Payload::Binary(parse_hex(&text)?)),
            WsMessageKind::Text | WsMessageKind::BinaryFile => Ok(Payload::Text(text)),
        }
    }
}

async fn read_file(path: &str) -> Result<Vec<u8>, ApiError> {
    let io = |e: std::io::Error| ApiError::new(ErrorCode::Io, format!("cannot read {path}: {e}"));
    let size = tokio::fs::metadata(path).await.map_err(io)?.len();
    if size > MAX_FILE_MESSAGE {
        return Err(ApiError::new(
            ErrorCode::TooLarge,
            format!(
                "{path} has {size} bytes, over the {} MiB limit for a file sent as one WebSocket \
                 message",
                MAX_FILE_MESSAGE >> 20
            ),
        ));
    }
    tokio::fs::read(path).await.map_err(io)
}

#[cfg(test)]
mod tests {
    use super::parse_hex;

    #[test]
    fn hex_with_spaces_and_separators() {
        assert_eq!(
            parse_hex("00 ff\nAB:cd-01").unwrap(),
            vec![0, 0xff, 0xab, 0xcd, 1]
        );
        assert!(parse_hex("abc").unwrap_err().message.contains("odd"));
        assert!(parse_hex("zz").unwrap_err().message.contains("'z'"));
    }
}
