//! Reading curl's options, in order, into a [`Command`]: each flag sets a field or adds a
//! header, data piece or multipart part, and anything that cannot be imported becomes a
//! warning. Nothing here decides the request yet (see `request`), so the order of flags on the
//! command line never matters to the result beyond what curl itself does.

use sextant_model::{HttpVersionPref, KeyValue, MultipartPart, PartValue, ProxySetting};

use crate::curl::options::Opt;
use crate::warning::Warnings;
use crate::InterchangeError;

pub(super) enum DataPiece {
    Text(String),
    File { path: String, strips_newlines: bool },
    Field { name: Option<String>, value: String },
}

#[derive(Default)]
pub(super) struct Command {
    pub(super) method: Option<String>,
    pub(super) urls: Vec<String>,
    pub(super) headers: Vec<KeyValue>,
    pub(super) data: Vec<DataPiece>,
    pub(super) json: bool,
    pub(super) parts: Vec<MultipartPart>,
    pub(super) user: Option<String>,
    pub(super) bearer: Option<String>,
    pub(super) digest: bool,
    pub(super) aws_sigv4: Option<String>,
    pub(super) cookies: Vec<String>,
    pub(super) upload: Option<String>,
    pub(super) insecure: bool,
    pub(super) location: bool,
    pub(super) compressed: bool,
    pub(super) get: bool,
    pub(super) head: bool,
    pub(super) timeout_ms: Option<u32>,
    pub(super) connect_timeout_ms: Option<u32>,
    pub(super) max_redirs: Option<u32>,
    pub(super) http_version: HttpVersionPref,
    pub(super) proxy: ProxySetting,
}

impl Command {
    pub(super) fn apply(
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
