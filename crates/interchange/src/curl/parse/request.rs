//! Turning a read [`Command`] into the saved request, in one place so the precedence rules
//! (`-X` over `-I` over `-G` over "POST when there is data", `-F` over `-T` over `-d`) and the
//! body's shape (form, JSON, text or file) are decided together.

use sextant_model::{
    Auth, DigestAlgorithm, HttpRequest, KeyValue, RequestBody, RequestSettings, SavedRequest,
};

use super::command::{Command, DataPiece};
use crate::text::{curl_escape, form_decode, is_plain_json, request_name, take_content_type};
use crate::warning::Warnings;
use crate::InterchangeError;

/// The header curl's `--compressed` adds, with every encoding the engine decodes.
const ACCEPT_ENCODING: &str = "deflate, gzip, br, zstd";
const FORM_TYPE: &str = "application/x-www-form-urlencoded";

impl Command {
    pub(super) fn into_request(
        self,
        warnings: &mut Warnings,
    ) -> Result<SavedRequest, InterchangeError> {
        let mut urls = self.urls.into_iter();
        let mut url = urls
            .next()
            .ok_or_else(|| InterchangeError::Curl("there is no URL".into()))?;
        for extra in urls {
            warnings.push(
                &extra,
                "curl would also fetch this URL; only the first is imported",
            );
        }
        if !url.contains("://") && !url.starts_with("{{") {
            url = format!("http://{url}");
        }

        let mut headers = self.headers;
        if !self.cookies.is_empty() {
            headers.push(KeyValue::new("Cookie", self.cookies.join("; ")));
        }
        if self.json {
            if !has_header(&headers, "accept") {
                headers.push(KeyValue::new("Accept", "application/json"));
            }
            if !has_header(&headers, "content-type") {
                headers.push(KeyValue::new("Content-Type", "application/json"));
            }
        }
        if self.compressed && !has_header(&headers, "accept-encoding") {
            headers.push(KeyValue::new("Accept-Encoding", ACCEPT_ENCODING));
        }

        let mut body = RequestBody::None;
        let mut default_method = "GET";
        if !self.parts.is_empty() {
            if !self.data.is_empty() {
                warnings.push(
                    "-d",
                    "curl refuses data together with -F; the data is dropped",
                );
            }
            body = RequestBody::Multipart { parts: self.parts };
            default_method = "POST";
        } else if let Some(path) = self.upload {
            body = RequestBody::Binary {
                path,
                content_type: take_content_type(&mut headers),
            };
            default_method = "PUT";
        } else if !self.data.is_empty() {
            if self.get {
                let query = joined(&self.data, "&", warnings);
                let sep = if url.contains('?') { '&' } else { '?' };
                url = format!("{url}{sep}{query}");
            } else {
                let sep = if self.json { "" } else { "&" };
                body = data_body(self.data, sep, &mut headers, warnings);
                default_method = "POST";
            }
        }
        let method = match self.method {
            Some(m) => m,
            None if self.head => "HEAD".to_owned(),
            None if self.get => "GET".to_owned(),
            None => default_method.to_owned(),
        };

        let defaults = RequestSettings::default();
        let settings = RequestSettings {
            connect_timeout_ms: self.connect_timeout_ms.or(defaults.connect_timeout_ms),
            timeout_ms: self.timeout_ms,
            follow_redirects: self.location,
            max_redirects: self.max_redirs.unwrap_or(defaults.max_redirects),
            verify_tls: !self.insecure,
            http_version: self.http_version,
            proxy: self.proxy,
            proxy_loopback: defaults.proxy_loopback,
            resend_files_cross_origin: defaults.resend_files_cross_origin,
            ..defaults
        };
        let auth = match (self.user, self.bearer) {
            (Some(user), _) => {
                let (username, password) = match user.split_once(':') {
                    Some((u, p)) => (u.to_owned(), p.to_owned()),
                    None => {
                        warnings.push(
                            "-u",
                            "no password given (curl would ask for it); left empty",
                        );
                        (user, String::new())
                    }
                };
                match (self.digest, self.aws_sigv4) {
                    (_, Some(provider)) => {
                        sigv4_auth(&provider, username, password, &mut headers, warnings)
                    }
                    (true, None) => Auth::Digest {
                        username,
                        password,
                        algorithm: DigestAlgorithm::Auto,
                    },
                    (false, None) => Auth::Basic { username, password },
                }
            }
            (None, Some(token)) => Auth::Bearer { token },
            (None, None) => Auth::Inherit,
        };
        let request = HttpRequest {
            method,
            url,
            query: Vec::new(),
            headers,
            body,
            settings,
            credentials: Vec::new(),
            signing: None,
        };
        let mut saved = SavedRequest::new(request_name(&request.method, &request.url), request);
        saved.auth = auth;
        Ok(saved)
    }
}

fn has_header(headers: &[KeyValue], name: &str) -> bool {
    headers.iter().any(|h| h.name.eq_ignore_ascii_case(name))
}

/// The bytes curl would send for the data pieces, `&`-joined; file pieces cannot be inlined.
fn joined(pieces: &[DataPiece], sep: &str, warnings: &mut Warnings) -> String {
    let mut out: Vec<String> = Vec::new();
    for piece in pieces {
        match piece {
            DataPiece::Text(t) => out.push(t.clone()),
            DataPiece::Field {
                name: Some(n),
                value,
            } => out.push(format!("{n}={}", curl_escape(value))),
            DataPiece::Field { name: None, value } => out.push(curl_escape(value)),
            DataPiece::File { path, .. } => warnings.push(
                &format!("@{path}"),
                "data read from a file cannot be combined with other data; dropped",
            ),
        }
    }
    out.join(sep)
}

fn data_body(
    pieces: Vec<DataPiece>,
    sep: &str,
    headers: &mut Vec<KeyValue>,
    warnings: &mut Warnings,
) -> RequestBody {
    let content_type = take_content_type(headers);
    if let [DataPiece::File {
        path,
        strips_newlines,
    }] = pieces.as_slice()
    {
        if *strips_newlines {
            warnings.push(
                &format!("@{path}"),
                "curl -d strips newlines from the file; the file is sent as it is",
            );
        }
        return RequestBody::Binary {
            path: path.clone(),
            content_type,
        };
    }
    let all_fields = pieces
        .iter()
        .all(|p| matches!(p, DataPiece::Field { name: Some(_), .. }));
    if all_fields && content_type.is_none() {
        let fields = pieces
            .into_iter()
            .filter_map(|p| match p {
                DataPiece::Field {
                    name: Some(name),
                    value,
                } => Some(KeyValue::new(form_decode(&name), value)),
                _ => None,
            })
            .collect();
        return RequestBody::Form { fields };
    }
    let text = joined(&pieces, sep, warnings);
    match content_type {
        Some(ct) if is_plain_json(&ct) => RequestBody::Json { text },
        Some(content_type) => RequestBody::Text { content_type, text },
        None => RequestBody::Text {
            content_type: FORM_TYPE.to_owned(),
            text,
        },
    }
}

/// `--aws-sigv4 aws:amz:REGION:SERVICE -u ACCESS:SECRET`; an `X-Amz-Security-Token` header
/// becomes the session token. curl guesses a missing region or service from the host name; the
/// import leaves it empty and says so.
fn sigv4_auth(
    provider: &str,
    access_key: String,
    secret_key: String,
    headers: &mut Vec<KeyValue>,
    warnings: &mut Warnings,
) -> Auth {
    let mut parts = provider.split(':').skip(2);
    let region = parts.next().unwrap_or_default().to_owned();
    let service = parts.next().unwrap_or_default().to_owned();
    if region.is_empty() || service.is_empty() {
        warnings.push(
            "--aws-sigv4",
            format!("{provider:?} names no region or service; fill them in the Auth tab"),
        );
    }
    let token = headers
        .iter()
        .position(|h| h.name.eq_ignore_ascii_case("x-amz-security-token"));
    let session_token = token.map(|i| headers.remove(i).value).unwrap_or_default();
    Auth::AwsSigV4 {
        access_key,
        secret_key,
        session_token,
        region,
        service,
    }
}
