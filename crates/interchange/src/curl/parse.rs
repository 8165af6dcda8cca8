//! From a curl command line to a saved request: options are read in order into a [`Command`],
//! then turned into the request in one place so the precedence rules (`-X` over `-I` over `-G`
//! over "POST when there is data") live together.

use sextant_model::{
    Auth, DigestAlgorithm, HttpRequest, HttpVersionPref, KeyValue, MultipartPart, PartValue,
    ProxySetting, RequestBody, RequestSettings, SavedRequest,
};

use super::options::{self, Opt};
use super::shell::split_words;
use crate::files::warn_file_references;
use crate::text::{curl_escape, form_decode, is_plain_json, request_name, take_content_type};
use crate::warning::Warnings;
use crate::{Imported, InterchangeError};

/// The header curl's `--compressed` adds, with every encoding the engine decodes.
const ACCEPT_ENCODING: &str = "deflate, gzip, br, zstd";
const FORM_TYPE: &str = "application/x-www-form-urlencoded";

/// Reads a curl command line (as copied from a terminal, browser dev tools or documentation)
/// into a saved request named after its method and path.
pub fn parse_curl(command: &str) -> Result<Imported<SavedRequest>, InterchangeError> {
    let words = split_words(command)?;
    let mut words = words.into_iter().peekable();
    match words.peek() {
        Some(first) if is_curl(first) => {
            words.next();
        }
        Some(first) if first.starts_with('-') || first.contains("://") => {}
        Some(_) => {
            return Err(InterchangeError::Curl(
                "not curl: the command starts with neither `curl`, an option nor a URL".into(),
            ))
        }
        None => return Err(InterchangeError::Curl("the command is empty".into())),
    }

    let mut cmd = Command::default();
    let mut warnings = Warnings::default();
    while let Some(word) = words.next() {
        if let Some(name) = word.strip_prefix("--") {
            if name.is_empty() {
                continue;
            }
            let Some(spec) = options::long(name).or_else(|| negated(name)) else {
                warnings.push(&word, "unknown curl option, ignored");
                continue;
            };
            let arg = if spec.takes_arg {
                Some(
                    words
                        .next()
                        .ok_or_else(|| InterchangeError::Curl(format!("{word} needs a value")))?,
                )
            } else {
                None
            };
            cmd.apply(
                spec.opt,
                &word,
                arg,
                !name.starts_with("no-"),
                &mut warnings,
            )?;
        } else if word.len() > 1 && word.starts_with('-') {
            let cluster: Vec<char> = word.chars().skip(1).collect();
            let mut i = 0;
            while i < cluster.len() {
                let c = cluster[i];
                let flag = format!("-{c}");
                i += 1;
                let Some(spec) = options::short(c) else {
                    warnings.push(&flag, "unknown curl option, ignored");
                    continue;
                };
                let arg =
                    if !spec.takes_arg {
                        None
                    } else if i < cluster.len() {
                        let rest: String = cluster[i..].iter().collect();
                        i = cluster.len();
                        Some(rest)
                    } else {
                        Some(words.next().ok_or_else(|| {
                            InterchangeError::Curl(format!("{flag} needs a value"))
                        })?)
                    };
                cmd.apply(spec.opt, &flag, arg, true, &mut warnings)?;
            }
        } else {
            cmd.urls.push(word);
        }
    }
    let saved = cmd.into_request(&mut warnings)?;
    Ok(Imported {
        value: saved,
        warnings: warnings.0,
    })
}

/// Reads a file said to hold a curl command (the Import of a `.sh` or `.txt`): as
/// [`parse_curl`], but the first line with text (after comments and a `$ ` prompt) must start
/// with the word `curl`. Anything else is refused without quoting it: a key or a config file
/// chosen by mistake must not come back word by word in warnings. Every local file the command
/// sends (`-d @file`, `-F x=@file`, `-T file`) is named in a warning, as in the other imports.
pub fn import_curl(text: &str) -> Result<Imported<SavedRequest>, InterchangeError> {
    let first = text.lines().enumerate().find(|(_, line)| {
        let line = line.trim();
        !line.is_empty() && !line.starts_with('#')
    });
    let Some((index, line)) = first else {
        return Err(InterchangeError::Curl("the file is empty".into()));
    };
    let line = line.trim_start();
    let line = line.strip_prefix("$ ").unwrap_or(line);
    let word = line.split_whitespace().next().unwrap_or_default();
    if !is_curl(word) {
        return Err(InterchangeError::NotCurl { line: index + 1 });
    }
    let mut imported = parse_curl(text)?;
    let mut warnings = Warnings(std::mem::take(&mut imported.warnings));
    warn_file_references(&imported.value, &imported.value.name, &mut warnings);
    imported.warnings = warnings.0;
    Ok(imported)
}

fn is_curl(word: &str) -> bool {
    let name = word.rsplit(['/', '\\']).next().unwrap_or(word);
    name.eq_ignore_ascii_case("curl") || name.eq_ignore_ascii_case("curl.exe")
}

/// `--no-location`, `--no-insecure`, ...: the boolean options switched off.
fn negated(name: &str) -> Option<options::Spec> {
    let spec = options::long(name.strip_prefix("no-")?)?;
    (!spec.takes_arg).then_some(spec)
}

enum DataPiece {
    Text(String),
    File { path: String, strips_newlines: bool },
    Field { name: Option<String>, value: String },
}

#[derive(Default)]
struct Command {
    method: Option<String>,
    urls: Vec<String>,
    headers: Vec<KeyValue>,
    data: Vec<DataPiece>,
    json: bool,
    parts: Vec<MultipartPart>,
    user: Option<String>,
    bearer: Option<String>,
    digest: bool,
    aws_sigv4: Option<String>,
    cookies: Vec<String>,
    upload: Option<String>,
    insecure: bool,
    location: bool,
    compressed: bool,
    get: bool,
    head: bool,
    timeout_ms: Option<u32>,
    connect_timeout_ms: Option<u32>,
    max_redirs: Option<u32>,
    http_version: HttpVersionPref,
    proxy: ProxySetting,
}

impl Command {
    fn apply(
        &mut self,
        opt: Opt,
        flag: &str,
        arg: Option<String>,
        on: bool,
        warnings: &mut Warnings,
    ) -> Result<(), InterchangeError> {
        let arg = arg.unwrap_or_default();
        match opt {
            Opt::Request => self.method = Some(arg),
            Opt::Header => self.header(flag, &arg, warnings),
            Opt::Data => self.data.push(match arg.strip_prefix('@') {
                Some(path) => DataPiece::File {
                    path: path.to_owned(),
                    strips_newlines: true,
                },
                None => DataPiece::Text(arg),
            }),
            Opt::DataRaw => self.data.push(DataPiece::Text(arg)),
            Opt::DataBinary => self.data.push(data_or_file(arg)),
            Opt::Json => {
                self.json = true;
                self.data.push(data_or_file(arg));
            }
            Opt::DataUrlencode => self.urlencode(flag, &arg, warnings),
            Opt::Form => self.form(flag, &arg, warnings),
            Opt::FormString => match arg.split_once('=') {
                Some((name, text)) => self.parts.push(text_part(name, text)),
                None => warnings.push(flag, format!("{arg:?} has no `=`; part ignored")),
            },
            Opt::User => self.user = Some(arg),
            Opt::OAuth2Bearer => self.bearer = Some(arg),
            Opt::Digest => self.digest = on,
            Opt::AwsSigV4 => self.aws_sigv4 = Some(arg),
            Opt::Insecure => self.insecure = on,
            Opt::Location => self.location = on,
            Opt::Compressed => self.compressed = on,
            Opt::Get => self.get = on,
            Opt::Head => self.head = on,
            Opt::Cookie => {
                if arg.contains('=') {
                    self.cookies.push(arg);
                } else {
                    warnings.push(
                        flag,
                        format!(
                            "{arg:?} names a cookie file, which is not read; no cookies imported"
                        ),
                    );
                }
            }
            Opt::UserAgent => self.headers.push(KeyValue::new("User-Agent", arg)),
            Opt::Referer => self.headers.push(KeyValue::new("Referer", arg)),
            Opt::Url => self.urls.push(arg),
            Opt::MaxTime => self.timeout_ms = seconds(flag, &arg, warnings),
            Opt::ConnectTimeout => self.connect_timeout_ms = seconds(flag, &arg, warnings),
            Opt::MaxRedirs => match arg.parse::<u32>() {
                Ok(n) => self.max_redirs = Some(n),
                Err(_) => warnings.push(flag, format!("{arg:?} is not a redirect count; ignored")),
            },
            Opt::Http10 => {
                self.http_version = HttpVersionPref::Http1;
                warnings.push(flag, "HTTP/1.0 is not offered; the request uses HTTP/1.1");
            }
            Opt::Http11 => self.http_version = HttpVersionPref::Http1,
            Opt::Http2 => self.http_version = HttpVersionPref::Auto,
            Opt::Http2PriorKnowledge => self.http_version = HttpVersionPref::Http2PriorKnowledge,
            Opt::Proxy => self.proxy = ProxySetting::Url { url: arg },
            Opt::Socks5 => {
                self.proxy = ProxySetting::Url {
                    url: format!("socks5://{arg}"),
                }
            }
            Opt::NoProxy => {
                if arg.trim() == "*" {
                    self.proxy = ProxySetting::None;
                } else {
                    warnings.push(flag, format!("proxy exceptions {arg:?} are not imported"));
                }
            }
            Opt::UploadFile => self.upload = Some(arg),
            Opt::OutputOnly => {}
            Opt::Unsupported => {
                let what = if arg.is_empty() {
                    String::new()
                } else {
                    format!(" (with {arg:?})")
                };
                warnings.push(flag, format!("not supported by Sextant{what}; ignored"));
            }
        }
        Ok(())
    }

    fn header(&mut self, flag: &str, arg: &str, warnings: &mut Warnings) {
        if let Some(name) = arg.strip_suffix(';').filter(|n| !n.contains(':')) {
            self.headers.push(KeyValue::new(name.trim(), ""));
            return;
        }
        let Some((name, value)) = arg.split_once(':') else {
            warnings.push(
                flag,
                format!("{arg:?} is not a `Name: value` header; ignored"),
            );
            return;
        };
        let value = value.trim_start();
        if value.is_empty() {
            warnings.push(
                flag,
                format!("`{name}:` removes a header curl adds by itself; nothing to import"),
            );
            return;
        }
        self.headers.push(KeyValue::new(name.trim(), value));
    }

    fn urlencode(&mut self, flag: &str, arg: &str, warnings: &mut Warnings) {
        let piece = match arg.find(['=', '@']) {
            Some(i) if arg.as_bytes()[i] == b'@' => {
                warnings.push(
                    flag,
                    format!("{arg:?} encodes a file's contents, which is not read; piece dropped"),
                );
                return;
            }
            Some(0) => DataPiece::Field {
                name: None,
                value: arg[1..].to_owned(),
            },
            Some(i) => DataPiece::Field {
                name: Some(arg[..i].to_owned()),
                value: arg[i + 1..].to_owned(),
            },
            None => DataPiece::Field {
                name: None,
                value: arg.to_owned(),
            },
        };
        self.data.push(piece);
    }

    fn form(&mut self, flag: &str, arg: &str, warnings: &mut Warnings) {
        let Some((name, spec)) = arg.split_once('=') else {
            warnings.push(flag, format!("{arg:?} has no `=`; part ignored"));
            return;
        };
        if let Some(rest) = spec.strip_prefix('@').or_else(|| spec.strip_prefix('<')) {
            let (path, params) = form_value(rest);
            let mut filename = None;
            let mut content_type = None;
            for (key, value) in params {
                match key.as_str() {
                    "type" => content_type = Some(value),
                    "filename" => filename = Some(value),
                    _ => warnings.push(flag, format!("part parameter `{key}` is not imported")),
                }
            }
            if spec.starts_with('<') {
                warnings.push(
                    flag,
                    format!("part {name:?} is sent as a file part (curl sends the file's text as a plain field)"),
                );
            }
            self.parts.push(MultipartPart {
                name: name.to_owned(),
                enabled: true,
                value: PartValue::File {
                    path,
                    filename,
                    content_type,
                },
            });
            return;
        }
        let text = match spec.find(";type=").or_else(|| spec.find(";filename=")) {
            Some(i) => {
                warnings.push(
                    flag,
                    format!(
                        "part {name:?}: parameters {:?} of a text part are not imported",
                        &spec[i + 1..]
                    ),
                );
                &spec[..i]
            }
            None => spec,
        };
        self.parts.push(text_part(name, text));
    }

    fn into_request(self, warnings: &mut Warnings) -> Result<SavedRequest, InterchangeError> {
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

fn data_or_file(arg: String) -> DataPiece {
    match arg.strip_prefix('@') {
        Some(path) => DataPiece::File {
            path: path.to_owned(),
            strips_newlines: false,
        },
        None => DataPiece::Text(arg),
    }
}

fn text_part(name: &str, text: &str) -> MultipartPart {
    MultipartPart {
        name: name.to_owned(),
        enabled: true,
        value: PartValue::Text {
            text: text.to_owned(),
        },
    }
}

/// After `@` in `-F`: the file name (plain up to `;`, or double-quoted) and `;key=value`
/// parameters whose values may be double-quoted too.
fn form_value(rest: &str) -> (String, Vec<(String, String)>) {
    let mut chars = rest.chars().peekable();
    let path = read_value(&mut chars);
    let mut params = Vec::new();
    while chars.next() == Some(';') {
        let key: String = chars.by_ref().take_while(|&c| c != '=').collect();
        let value = read_value(&mut chars);
        params.push((key.trim().to_owned(), value));
    }
    (path, params)
}

fn read_value(chars: &mut std::iter::Peekable<std::str::Chars<'_>>) -> String {
    let mut out = String::new();
    if chars.peek() == Some(&'"') {
        chars.next();
        while let Some(c) = chars.next() {
            match c {
                '"' => break,
                '\\' => out.extend(chars.next()),
                c => out.push(c),
            }
        }
        return out;
    }
    while let Some(&c) = chars.peek() {
        if c == ';' {
            break;
        }
        out.push(c);
        chars.next();
    }
    out
}

fn seconds(flag: &str, arg: &str, warnings: &mut Warnings) -> Option<u32> {
    match arg.parse::<f64>() {
        Ok(s) if s.is_finite() && s > 0.0 && s * 1000.0 <= f64::from(u32::MAX) => {
            Some((s * 1000.0).round() as u32)
        }
        _ => {
            warnings.push(
                flag,
                format!("{arg:?} is not a number of seconds; no limit set"),
            );
            None
        }
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
