//! The command line, and its translation into an [`HttpRequest`]. Request items follow xh and
//! HTTPie: `Name:value` header, `name==value` query, `name=value` field, `name:=json` raw JSON
//! field, `name@path` file part.

use std::path::PathBuf;

use anyhow::{bail, Context, Result};
use clap::{Args, Parser, Subcommand};
use sextant_model::{
    HttpRequest, HttpVersionPref, KeyValue, MultipartPart, PartValue, ProxySetting, RequestBody,
};

#[derive(Parser, Debug)]
#[command(
    name = "sextant",
    version,
    about = "Sextant: send HTTP requests and inspect every part of the response."
)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Subcommand, Debug)]
pub enum Command {
    /// Send one HTTP request and print the response.
    #[command(after_help = SEND_EXAMPLES)]
    Send(SendArgs),
    /// Work with OpenAPI / Swagger descriptions.
    #[command(subcommand)]
    Openapi(OpenapiCommand),
    /// List, search, show and trim the history of requests sent (by the app and this CLI).
    #[command(after_help = HISTORY_EXAMPLES, args_conflicts_with_subcommands = true)]
    History(HistoryArgs),
    /// Import a spec, a curl command, a Postman, Insomnia or HAR file into a workspace folder.
    #[command(after_help = IMPORT_EXAMPLES)]
    Import(crate::interchange::ImportArgs),
    /// Export a request, folder or collection as curl commands, HAR or Postman v2.1.
    Export(crate::interchange::ExportArgs),
    /// Sign in with the OAuth 2.0 a saved request, folder or collection uses; print its token.
    #[command(subcommand, after_help = AUTH_EXAMPLES)]
    Auth(crate::signin::AuthCommand),
    /// Open a WebSocket session: a prompt on a terminal, JSON lines of frames when piped.
    #[command(after_help = crate::ws::EXAMPLES)]
    Ws(crate::ws::WsArgs),
    /// Run a collection, folder or request as a test suite; exit 0 passed, 1 failed, 2 error.
    #[command(after_help = crate::run::EXAMPLES)]
    Run(crate::run::RunArgs),
}

const AUTH_EXAMPLES: &str = "\
Examples:
  sextant auth login 'Shop API' --workspace collections/
  curl -H \"Authorization: Bearer $(sextant auth token 'Shop API/items/List items.yaml')\" ...
  sextant auth status 'Shop API' --env staging
  sextant auth logout 'Shop API'

Tokens are kept in the encrypted secret store of the desktop app's data directory, per
environment and sign-in (issuer, client id, scopes), and shared with the app.";

const IMPORT_EXAMPLES: &str = "\
Examples:
  sextant import openapi http://127.0.0.1:8000/openapi.json --out collections/
  sextant import postman team.postman_collection.json
  sextant import curl \"curl -X POST https://api.example.com/items -d 'a=1'\" --into my-api
  pbpaste | sextant import curl - --into my-api/items

Each collection is written as a folder of YAML files (docs/FORMAT.md); anything that could
not be carried over is printed as a warning.";

const HISTORY_EXAMPLES: &str = "\
Examples:
  sextant history
  sextant history pineapple --status 2xx --limit 20
  sextant history --method POST --host api.example.com --json
  sextant history show 42
  sextant history prune --max-entries 10000 --max-age 30d --max-size 500M

The history lives in $SEXTANT_DATA_DIR/history.sqlite when SEXTANT_DATA_DIR is set, else in
the desktop app's data directory ($XDG_DATA_HOME or ~/.local/share, then dev.sextant.app).";

#[derive(Args, Debug)]
pub struct HistoryArgs {
    #[command(subcommand)]
    pub command: Option<HistoryCommand>,
    #[command(flatten)]
    pub list: HistoryListArgs,
}

#[derive(Args, Debug, Default)]
pub struct HistoryListArgs {
    /// Words to find in the URL, headers, bodies or error (a trailing * matches a prefix).
    pub text: Option<String>,
    /// Only this method.
    #[arg(long, value_name = "METHOD")]
    pub method: Option<String>,
    /// Only this status class: 2xx (or 2) … 5xx, or `failed` for no response.
    #[arg(long, value_name = "CLASS")]
    pub status: Option<String>,
    /// Only this host (without port).
    #[arg(long, value_name = "HOST")]
    pub host: Option<String>,
    /// How many entries to list, newest first.
    #[arg(long, default_value_t = 50, value_name = "N")]
    pub limit: u32,
    /// Print the entries as JSON.
    #[arg(long)]
    pub json: bool,
}

#[derive(Subcommand, Debug)]
pub enum HistoryCommand {
    /// Print one entry: the request as sent and the response as recorded.
    Show {
        id: i64,
        /// Print the entry as JSON.
        #[arg(long)]
        json: bool,
    },
    /// Delete the oldest entries (and their body files) until every given limit holds.
    Prune {
        /// Keep at most N of the newest entries.
        #[arg(long, value_name = "N")]
        max_entries: Option<u64>,
        /// Drop entries older than this: 90s, 45m, 12h, 30d, 4w.
        #[arg(long, value_name = "AGE")]
        max_age: Option<String>,
        /// Keep the newest entries whose bodies add up to at most this: 500K, 500M, 2G.
        #[arg(long, value_name = "SIZE")]
        max_size: Option<String>,
    },
}

#[derive(Subcommand, Debug)]
pub enum OpenapiCommand {
    /// Import a spec (Swagger 2.0, OpenAPI 3.0 or 3.1; JSON or YAML) and print its version,
    /// counts of paths, operations and schemas, and any warnings. Exits 1 with the error and
    /// its location when the document cannot be read.
    #[command(
        after_help = "Examples:\n  sextant openapi inspect ./openapi.yaml\n  sextant openapi inspect http://127.0.0.1:8000/openapi.json"
    )]
    Inspect {
        /// A file path, or an http(s):// URL fetched through Sextant's engine.
        source: String,
        /// Print the summary as JSON.
        #[arg(long)]
        json: bool,
    },
    /// Compare two versions of a spec (files or URLs): operations added, removed and changed,
    /// breaking changes marked.
    Diff {
        old: String,
        new: String,
        /// Exit 1 when any change is breaking.
        #[arg(long)]
        fail_on_breaking: bool,
    },
}

const SEND_EXAMPLES: &str = "\
Request items:
  Name:value      request header (Name: with nothing after it sends an empty value)
  name==value     query parameter
  name=value      JSON string field (form field with --form, text part with --multipart)
  name:=json      raw JSON field (number, boolean, array, object)
  name@path       file part (implies --multipart)

Examples:
  sextant send 127.0.0.1:8000/items
  sextant send POST http://127.0.0.1:8000/items name=Lamp price:=12.5 tags:='[\"home\"]'
  sextant send PUT 127.0.0.1:8000/upload --multipart note=hi file@./photo.png
  sextant send 127.0.0.1:8000/items limit==5 Accept:application/json --timings
  sextant send DELETE 127.0.0.1:8000/items/1 --check-status
  sextant send https://localhost:8443/ --insecure --http1
  sextant send -a alice:s3cret httpbin.org/basic-auth/alice/s3cret
  sextant send -A digest -a alice httpbin.org/digest-auth/auth/alice/s3cret/MD5
  sextant send -A bearer -a \"$TOKEN\" api.example.com/me
  sextant send 127.0.0.1:8000/large -o large.bin

Saved requests:
  sextant send 'Shop API/items/List items.yaml' --env local
  sextant send collections/shop/items/list.yaml --workspace collections/
A first word ending in .yaml (no scheme://) that names a request file in the workspace (by its
path there, or a path inside it) is a saved request: it is sent with its collection's variables
and auth and the chosen environment, and its assertions are checked (failures on stderr, as
`sextant run` prints them). A .yaml word naming no file is reported missing unless it starts
like a host (localhost, a dot, a port); anything else is [METHOD] URL [ITEM]....

Exit status: 0 on success; 1 when an assertion of a saved request failed; 2 on a transport
error (DNS, connect, TLS, timeout...) or a saved request that cannot be found or read;
with --check-status, 3, 4 or 5 for a 3xx, 4xx or 5xx response; 130 when interrupted.";

#[derive(Args, Debug)]
pub struct SendArgs {
    /// METHOD (optional, GET by default or POST when there is a body), URL, then request items;
    /// or PATH, a saved request file in the workspace.
    #[arg(required = true, value_name = "[METHOD] URL [ITEM]... | PATH")]
    pub words: Vec<String>,
    /// The environment of the saved request's collection (none by default, as `sextant run`).
    #[arg(long, value_name = "NAME")]
    pub env: Option<String>,
    /// The workspace a saved request is in. Default: the desktop app's workspace.
    #[arg(long, value_name = "DIR")]
    pub workspace: Option<PathBuf>,

    /// Send the fields as a JSON object (the default when there are fields).
    #[arg(long, short = 'j', group = "kind")]
    pub json: bool,
    /// Send the fields as application/x-www-form-urlencoded.
    #[arg(long, short = 'f', group = "kind")]
    pub form: bool,
    /// Send the fields and files as multipart/form-data.
    #[arg(long, group = "kind")]
    pub multipart: bool,
    /// Raw body: text, or @FILE to send a file's bytes.
    #[arg(long, short = 'd', group = "kind", value_name = "TEXT|@FILE")]
    pub data: Option<String>,
    /// Content-Type for --data.
    #[arg(long, value_name = "TYPE")]
    pub content_type: Option<String>,

    /// Total timeout in seconds (redirects and body included).
    #[arg(long, value_name = "SECONDS")]
    pub timeout: Option<f64>,
    /// Connection setup timeout in seconds.
    #[arg(long, value_name = "SECONDS", default_value_t = 30.0)]
    pub connect_timeout: f64,
    /// Do not verify the server's TLS certificate.
    #[arg(long, short = 'k')]
    pub insecure: bool,
    /// Do not follow redirects.
    #[arg(long)]
    pub no_follow: bool,
    /// Most redirects to follow.
    #[arg(long, default_value_t = 10, value_name = "N")]
    pub max_redirects: u32,
    /// Use HTTP/1.1 only.
    #[arg(long, group = "version")]
    pub http1: bool,
    /// Use HTTP/2 with prior knowledge (no negotiation).
    #[arg(long, group = "version")]
    pub http2: bool,
    /// Send through this proxy (http://, https:// or socks5://); `system` uses the environment.
    #[arg(long, value_name = "URL")]
    pub proxy: Option<String>,

    /// Print the timing breakdown after the response.
    #[arg(long, short = 't')]
    pub timings: bool,
    /// Print each redirect hop.
    #[arg(long, short = 'v')]
    pub verbose: bool,
    /// Print only the response body.
    #[arg(long, short = 'b')]
    pub body_only: bool,
    /// Save the body to FILE instead of printing it.
    #[arg(long, short = 'o', value_name = "FILE")]
    pub output: Option<PathBuf>,
    /// Exit non-zero on 3xx (when not followed), 4xx and 5xx responses.
    #[arg(long)]
    pub check_status: bool,
    /// Never colour the output (NO_COLOR in the environment does the same).
    #[arg(long)]
    pub no_color: bool,
    /// Do not record this request in the history.
    #[arg(long)]
    pub no_history: bool,

    /// How --auth is sent: basic (the default), digest (answers the server's challenge) or
    /// bearer.
    #[arg(long, short = 'A', value_enum, requires = "auth", value_name = "TYPE")]
    pub auth_type: Option<crate::auth::AuthType>,
    /// USER[:PASS] for basic and digest (a missing password is asked on the terminal), TOKEN
    /// for bearer.
    #[arg(long, short = 'a', value_name = "USER[:PASS]|TOKEN")]
    pub auth: Option<String>,
}

pub(crate) enum Item {
    Header(String, String),
    Query(String, String),
    Field(String, String),
    RawJson(String, serde_json::Value),
    File(String, String),
}

pub(crate) fn parse_item(word: &str) -> Result<Item> {
    // The earliest separator wins, longest first at the same position (`==` before `=`).
    const SEPS: [&str; 5] = [":=", "==", "=", "@", ":"];
    let mut best: Option<(usize, &str)> = None;
    for sep in SEPS {
        if let Some(i) = word.find(sep) {
            if best.is_none_or(|(j, s)| i < j || (i == j && sep.len() > s.len())) {
                best = Some((i, sep));
            }
        }
    }
    let Some((i, sep)) = best else {
        bail!("cannot read request item {word:?}: expected Name:value, name==value, name=value, name:=json or name@file");
    };
    let (name, value) = (word[..i].to_string(), word[i + sep.len()..].to_string());
    if name.is_empty() {
        bail!("request item {word:?} has no name");
    }
    Ok(match sep {
        ":=" => Item::RawJson(
            name,
            serde_json::from_str(&value)
                .with_context(|| format!("the value of {word:?} is not valid JSON"))?,
        ),
        "==" => Item::Query(name, value),
        "=" => Item::Field(name, value),
        "@" => Item::File(name, value),
        _ => Item::Header(name, value),
    })
}

fn looks_like_method(word: &str) -> bool {
    !word.is_empty()
        && word.bytes().all(|b| b.is_ascii_alphabetic())
        && word == word.to_ascii_uppercase()
}

impl SendArgs {
    pub fn to_request(&self) -> Result<HttpRequest> {
        let mut words = self.words.iter();
        let first = words.next().context("a URL is required")?;
        let (method, url) = if looks_like_method(first) && self.words.len() > 1 {
            (
                Some(first.clone()),
                words.next().cloned().unwrap_or_default(),
            )
        } else {
            (None, first.clone())
        };

        let mut req = HttpRequest::get(url);
        let mut fields: Vec<(String, serde_json::Value)> = Vec::new();
        let mut files = Vec::new();
        for word in words {
            match parse_item(word)? {
                Item::Header(n, v) => req.headers.push(KeyValue::new(n, v)),
                Item::Query(n, v) => req.query.push(KeyValue::new(n, v)),
                Item::Field(n, v) => fields.push((n, serde_json::Value::String(v))),
                Item::RawJson(n, v) => fields.push((n, v)),
                Item::File(n, path) => files.push((n, path)),
            }
        }

        req.body = if let Some(data) = &self.data {
            if !fields.is_empty() || !files.is_empty() {
                bail!("--data cannot be combined with field or file items");
            }
            match data.strip_prefix('@') {
                Some(path) => RequestBody::Binary {
                    path: path.to_string(),
                    content_type: self.content_type.clone(),
                },
                None => RequestBody::Text {
                    content_type: self
                        .content_type
                        .clone()
                        .unwrap_or_else(|| "text/plain".into()),
                    text: data.clone(),
                },
            }
        } else if self.multipart || !files.is_empty() {
            let mut parts: Vec<MultipartPart> = fields
                .into_iter()
                .map(|(name, v)| MultipartPart {
                    name,
                    enabled: true,
                    value: PartValue::Text {
                        text: scalar_text(v),
                    },
                })
                .collect();
            parts.extend(files.into_iter().map(|(name, path)| MultipartPart {
                name,
                enabled: true,
                value: PartValue::File {
                    path,
                    filename: None,
                    content_type: None,
                },
            }));
            RequestBody::Multipart { parts }
        } else if self.form {
            RequestBody::Form {
                fields: fields
                    .into_iter()
                    .map(|(n, v)| KeyValue::new(n, scalar_text(v)))
                    .collect(),
            }
        } else if !fields.is_empty() || self.json {
            let object: serde_json::Map<_, _> = fields.into_iter().collect();
            RequestBody::Json {
                text: serde_json::to_string(&object)?,
            }
        } else {
            RequestBody::None
        };

        req.method = method.unwrap_or_else(|| {
            if matches!(req.body, RequestBody::None) {
                "GET"
            } else {
                "POST"
            }
            .into()
        });
        let s = &mut req.settings;
        s.timeout_ms = self.timeout.map(secs_to_ms);
        s.connect_timeout_ms = Some(secs_to_ms(self.connect_timeout));
        s.verify_tls = !self.insecure;
        s.follow_redirects = !self.no_follow;
        s.max_redirects = self.max_redirects;
        s.http_version = if self.http1 {
            HttpVersionPref::Http1
        } else if self.http2 {
            HttpVersionPref::Http2PriorKnowledge
        } else {
            HttpVersionPref::Auto
        };
        s.proxy = match self.proxy.as_deref() {
            None => ProxySetting::None,
            Some("system") => ProxySetting::System,
            Some(url) => ProxySetting::Url { url: url.into() },
        };
        if let Some(auth) = &self.auth {
            let kind = self.auth_type.unwrap_or_default();
            crate::auth::apply(&mut req, kind, auth, crate::auth::ask_password)?;
        }
        Ok(req)
    }
}

fn secs_to_ms(s: f64) -> u32 {
    (s * 1000.0).clamp(1.0, u32::MAX as f64) as u32
}

fn scalar_text(v: serde_json::Value) -> String {
    match v {
        serde_json::Value::String(s) => s,
        other => other.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn args(words: &[&str]) -> SendArgs {
        let mut argv = vec!["sextant", "send"];
        argv.extend_from_slice(words);
        match Cli::try_parse_from(argv).unwrap().command {
            Command::Send(a) => a,
            other => panic!("not send: {other:?}"),
        }
    }

    #[test]
    fn items_become_headers_query_and_a_json_body() {
        let req = args(&["http://h/x", "X-A:1", "q==2", "name=Lamp", "price:=12.5"])
            .to_request()
            .unwrap();
        assert_eq!(req.method, "POST");
        assert_eq!(req.headers, vec![KeyValue::new("X-A", "1")]);
        assert_eq!(req.query, vec![KeyValue::new("q", "2")]);
        assert_eq!(
            req.body,
            RequestBody::Json {
                text: r#"{"name":"Lamp","price":12.5}"#.into()
            }
        );
    }

    #[test]
    fn an_uppercase_first_word_is_the_method() {
        let req = args(&["PURGE", "http://h/"]).to_request().unwrap();
        assert_eq!(req.method, "PURGE");
        assert_eq!(req.url, "http://h/");
    }

    #[test]
    fn header_values_may_contain_colons_and_equals() {
        match parse_item("Authorization:Bearer a=b:c").unwrap() {
            Item::Header(n, v) => {
                assert_eq!((n.as_str(), v.as_str()), ("Authorization", "Bearer a=b:c"))
            }
            _ => panic!("not a header"),
        }
    }

    #[test]
    fn files_imply_multipart_and_form_makes_urlencoded() {
        let req = args(&["http://h/", "note=hi", "file@/tmp/x.png"])
            .to_request()
            .unwrap();
        assert!(matches!(req.body, RequestBody::Multipart { ref parts } if parts.len() == 2));
        let req = args(&["--form", "http://h/", "a=1"]).to_request().unwrap();
        assert!(matches!(req.body, RequestBody::Form { .. }));
    }

    #[test]
    fn settings_flags_map_to_request_settings() {
        let req = args(&[
            "-k",
            "--no-follow",
            "--http1",
            "--timeout",
            "1.5",
            "http://h/",
        ])
        .to_request()
        .unwrap();
        assert!(!req.settings.verify_tls);
        assert!(!req.settings.follow_redirects);
        assert_eq!(req.settings.http_version, HttpVersionPref::Http1);
        assert_eq!(req.settings.timeout_ms, Some(1500));
    }
}
