//! "Try it": the request Sextant prefills when the user picks an operation of an imported API.
//!
//! The operation's parameters, body and security become a complete [`HttpRequest`] with example
//! values, so it can be sent as it is and edited from there. What cannot be invented is left for
//! the user and listed in [`TryItRequest`]: files to upload (disabled parts with an empty path, in
//! `missing_files`), credentials (`{{...}}` placeholders, explained in `notes`) and credential
//! fields of a body the document gives no value for (left empty, named in a note).
//!
//! Parameters are serialised by their `style` / `explode` as OpenAPI 3 defines them (Swagger
//! 2.0's `collectionFormat` was already translated by the importer). Values come from the
//! document first: a parameter's `example` (or its schema's first `examples` entry, which is
//! where FastAPI puts them), then the schema's `default`, then [`crate::example_for`].

use serde::{Deserialize, Serialize};
use serde_json::Value;
use sextant_model::{
    ApiKeyLocation, Auth, DigestAlgorithm, HttpRequest, KeyValue, MultipartPart, PartValue,
    RequestBody, Variable,
};
use url::Url;

mod body;
mod credentials;
pub(crate) mod oauth;
pub(crate) mod scope;
mod security;

use body::*;
use credentials::*;
use security::*;

use crate::example::{example_within, ExampleBudget};
use crate::model::{
    ApiSpec, MediaType, OAuthFlow, OAuthFlowKind, Operation, Parameter, ParameterLocation,
    RequestBodySpec, Schema, SecurityRequirement, SecurityScheme, SecuritySchemeKind, Server,
};

/// How allOf branches are followed when gathering a form's properties.
const MAX_ALL_OF_DEPTH: usize = 8;

/// Where the request goes.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct TryItOptions {
    /// Used instead of the document's servers (the user picked another environment).
    pub server_url: Option<String>,
    /// What relative server URLs (`/`, `/api`) are resolved against: normally the URL the
    /// document was fetched from.
    pub base_url_for_relative: Option<String>,
    /// Put `{{name}}` in the URL for each path parameter (its value goes to `path_params`)
    /// instead of the value itself: for saved requests, where the user edits them as variables.
    pub path_params_as_variables: bool,
    /// Describe credentials as an [`Auth`] (in `auth`) instead of `{{...}}` placeholders in
    /// headers and query rows.
    pub credentials_as_auth: bool,
    /// Variables the caller defines around the request (a collection's `baseUrl` and server
    /// variables); any other `{{name}}` in the request is defined in `variables`.
    pub defined_variables: Vec<String>,
}

/// A prefilled request and what the user still has to supply.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ts_rs::TS)]
#[serde(rename_all = "camelCase")]
#[ts(export, export_to = "openapi/")]
pub struct TryItRequest {
    pub request: HttpRequest,
    /// Each `{name}` of the path template with the value put into the URL (before
    /// percent-encoding), in path order.
    pub path_params: Vec<(String, String)>,
    /// Required multipart parts that need a file (they are disabled, with an empty path), or
    /// `"body"` when the whole body is a file.
    pub missing_files: Vec<String>,
    /// Sentences for the user: placeholders to replace, things that were not prefilled.
    pub notes: Vec<String>,
    /// The credentials, when `credentials_as_auth` was asked for and the scheme maps to one.
    pub auth: Option<Auth>,
    /// Variables the request defines for itself, so that nothing the document names is filled
    /// from the user's other variables: the credentials (secret and empty, named by Sextant:
    /// `apiKey`, `token`, `username`/`password`, numbered from 2 when a spec declares several
    /// of a kind) and every other `{{name}}` the document's text put into the request (empty).
    pub variables: Vec<Variable>,
}

/// Builds the request for `op` with example values. See the module documentation.
///
/// * URL: `options.server_url`, else the operation's first server, else the document's first
///   (server variables replaced by their defaults), without its trailing slash, followed by the
///   path with path parameters substituted. A relative server is resolved against
///   `options.base_url_for_relative`; without one the URL stays relative (and a note says so).
/// * Query and header rows: required parameters first, then optional ones, each group in
///   document order. An optional parameter without an example or default is a disabled row with
///   an empty value. Cookie parameters share one `Cookie` header (a second, disabled one holds
///   those without a value).
/// * Body: the first media type of JSON (`application/json`, `*+json`), urlencoded form,
///   multipart, `text/*`, else the first declared.
/// * Credentials: the first security alternative whose schemes are all declared. An API key is
///   sent as `{{apiKey}}`, HTTP basic as `Basic {{username:password}}`, bearer as
///   `Bearer {{token}}`, each defined (empty, secret) in `variables`: the scheme's name never
///   picks a variable. OAuth 2.0 and OpenID Connect only get a note, unless
///   `credentials_as_auth` asks for an [`Auth`]: then they (and digest) are prefilled too.
/// * Any other `{{name}}` in the result (from the document's own text) is defined, empty, in
///   `variables`.
///
/// Examples are made within one [`ExampleBudget`] for the whole request; anything it cuts is
/// explained in `notes`.
pub fn request_for(spec: &ApiSpec, op: &Operation, options: &TryItOptions) -> TryItRequest {
    request_within(spec, op, options, &mut ExampleBudget::default()).0
}

/// [`request_for`], its examples taken out of `budget` (at most a request's worth; an import
/// passes one budget for all its requests). Also returns the notes about examples cut short,
/// which are among the request's notes too.
pub(crate) fn request_within(
    spec: &ApiSpec,
    op: &Operation,
    options: &TryItOptions,
    budget: &mut ExampleBudget,
) -> (TryItRequest, Vec<String>) {
    let mut examples = budget.for_request();
    let mut out = TryItRequest {
        request: HttpRequest::new(op.method.clone(), String::new()),
        path_params: Vec::new(),
        missing_files: Vec::new(),
        notes: Vec::new(),
        auth: None,
        variables: Vec::new(),
    };
    let server = server_url(spec, op, options, &mut out.notes);
    let path = fill_path(
        op,
        options.path_params_as_variables,
        &mut out.path_params,
        &mut out.notes,
        &mut examples,
    );
    out.request.url = format!("{server}{path}");

    let mut cookies = Cookies::default();
    let mut fill_in = Vec::new();
    add_parameters(
        op,
        &mut out.request,
        &mut cookies,
        &mut examples,
        &mut fill_in,
    );
    if options.credentials_as_auth {
        out.auth = security_auth(spec, op, &server, &mut out.variables, &mut out.notes);
    } else {
        add_security(spec, op, &mut out, &mut cookies);
    }
    cookies.into_headers(&mut out.request.headers);

    if let Some(body) = &op.request_body {
        add_body(body, &mut out, &mut examples, &mut fill_in);
    }
    out.notes.extend(fill_in_note(&fill_in));
    scope::confine(&mut out, &options.defined_variables);
    let cut = examples.take_notes();
    out.notes.extend(cut.iter().cloned());
    budget.spend(&examples);
    (out, cut)
}

// ---- URL ---------------------------------------------------------------------------------

fn server_url(
    spec: &ApiSpec,
    op: &Operation,
    options: &TryItOptions,
    notes: &mut Vec<String>,
) -> String {
    let raw = match &options.server_url {
        Some(url) => url.trim().to_owned(),
        None => match op.servers.first().or(spec.servers.first()) {
            Some(server) => with_variable_defaults(server, notes),
            None => String::new(),
        },
    };
    if has_scheme(&raw) || raw.starts_with("{{") {
        return raw.trim_end_matches('/').to_owned();
    }
    // An empty reference would resolve to the document itself, not to its site.
    let relative = if raw.is_empty() { "/" } else { raw.as_str() };
    let Some(base) = options.base_url_for_relative.as_deref() else {
        notes.push(format!(
            "The server URL \"{relative}\" is relative and no base URL was given, so the \
             request URL is relative too; prefix it with the API's address."
        ));
        return raw.trim_end_matches('/').to_owned();
    };
    match Url::parse(base).and_then(|base| base.join(relative)) {
        Ok(joined) => joined.as_str().trim_end_matches('/').to_owned(),
        Err(err) => {
            notes.push(format!(
                "The relative server URL \"{relative}\" could not be resolved against \
                 \"{base}\" ({err}); the request URL is relative."
            ));
            raw.trim_end_matches('/').to_owned()
        }
    }
}

fn with_variable_defaults(server: &Server, notes: &mut Vec<String>) -> String {
    substitute(&server.url, |name| {
        let found = server.variables.iter().find(|v| v.name == name);
        if found.is_none() {
            notes.push(format!(
                "The server URL \"{}\" uses {{{name}}}, which it does not define; replace it.",
                server.url
            ));
        }
        found.map(|v| v.default.clone())
    })
}

/// True for `scheme://...`; false for relative references like `/api` or `api/v1`.
fn has_scheme(url: &str) -> bool {
    url.split_once("://").is_some_and(|(scheme, _)| {
        scheme.starts_with(|c: char| c.is_ascii_alphabetic())
            && scheme
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '.'))
    })
}

/// Replaces each `{name}` of `template` by `value(name)`, leaving it as written when that is
/// `None` (and any unclosed `{` as it is).
fn substitute(template: &str, mut value: impl FnMut(&str) -> Option<String>) -> String {
    let mut out = String::with_capacity(template.len());
    let mut rest = template;
    while let Some(open) = rest.find('{') {
        let Some(len) = rest[open..].find('}') else {
            break;
        };
        let close = open + len;
        out.push_str(&rest[..open]);
        match value(&rest[open + 1..close]) {
            Some(text) => out.push_str(&text),
            None => out.push_str(&rest[open..=close]),
        }
        rest = &rest[close + 1..];
    }
    out.push_str(rest);
    out
}

fn fill_path(
    op: &Operation,
    as_variables: bool,
    path_params: &mut Vec<(String, String)>,
    notes: &mut Vec<String>,
    examples: &mut ExampleBudget,
) -> String {
    let path = substitute(&op.path, |name| {
        let param = op
            .parameters
            .iter()
            .find(|p| p.location == ParameterLocation::Path && p.name == name);
        let Some(param) = param else {
            notes.push(format!(
                "The path has {{{name}}} but the operation declares no such path parameter; \
                 replace it in the URL."
            ));
            path_params.push((name.to_owned(), String::new()));
            return None;
        };
        let value = param
            .example
            .clone()
            .filter(|v| !v.is_null())
            .unwrap_or_else(|| example_within(&param.schema, examples));
        path_params.push((
            name.to_owned(),
            path_value(param, &value, &|s| s.to_owned()),
        ));
        if as_variables {
            return Some(format!("{{{{{name}}}}}"));
        }
        Some(path_value(param, &value, &encode_segment))
    });
    if path.starts_with('/') {
        path
    } else {
        format!("/{path}")
    }
}

/// Serialises a path parameter by its style (`simple`, `label` or `matrix`), passing each
/// name and value through `enc` while the style's own separators stay as they are.
fn path_value(param: &Parameter, value: &Value, enc: &dyn Fn(&str) -> String) -> String {
    let explode = param.explode.unwrap_or(false);
    let name = enc(&param.name);
    let style = param.style.as_deref().unwrap_or("simple");
    let pairs = |kv: &[(String, String)], eq: &str, sep: &str| {
        kv.iter()
            .map(|(k, v)| format!("{}{eq}{}", enc(k), enc(v)))
            .collect::<Vec<_>>()
            .join(sep)
    };
    let list = |items: &[String], sep: &str| {
        items
            .iter()
            .map(|item| enc(item))
            .collect::<Vec<_>>()
            .join(sep)
    };
    match (style, Shape::of(value)) {
        ("label", Shape::Scalar(s)) => format!(".{}", enc(&s)),
        ("label", Shape::List(items)) => {
            format!(".{}", list(&items, if explode { "." } else { "," }))
        }
        ("label", Shape::Pairs(kv)) if explode => format!(".{}", pairs(&kv, "=", ".")),
        ("label", Shape::Pairs(kv)) => format!(".{}", pairs(&kv, ",", ",")),
        ("matrix", Shape::Scalar(s)) => format!(";{name}={}", enc(&s)),
        ("matrix", Shape::List(items)) if explode => items
            .iter()
            .map(|item| format!(";{name}={}", enc(item)))
            .collect(),
        ("matrix", Shape::List(items)) => format!(";{name}={}", list(&items, ",")),
        ("matrix", Shape::Pairs(kv)) if explode => format!(";{}", pairs(&kv, "=", ";")),
        ("matrix", Shape::Pairs(kv)) => format!(";{name}={}", pairs(&kv, ",", ",")),
        (_, Shape::Scalar(s)) => enc(&s),
        (_, Shape::List(items)) => list(&items, ","),
        (_, Shape::Pairs(kv)) if explode => pairs(&kv, "=", ","),
        (_, Shape::Pairs(kv)) => pairs(&kv, ",", ","),
    }
}

/// Percent-encodes everything but RFC 3986's unreserved characters, so a value cannot add path
/// segments (`/`), a query (`?`) or a fragment (`#`).
fn encode_segment(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for byte in text.bytes() {
        if byte.is_ascii_alphanumeric() || matches!(byte, b'-' | b'.' | b'_' | b'~') {
            out.push(char::from(byte));
        } else {
            out.push_str(&format!("%{byte:02X}"));
        }
    }
    out
}

// ---- parameters --------------------------------------------------------------------------

/// A parameter value broken down the way the serialisation styles see it.
enum Shape {
    Scalar(String),
    List(Vec<String>),
    Pairs(Vec<(String, String)>),
}

impl Shape {
    fn of(value: &Value) -> Shape {
        match value {
            Value::Array(items) => Shape::List(items.iter().map(plain_text).collect()),
            Value::Object(fields) => Shape::Pairs(
                fields
                    .iter()
                    .map(|(k, v)| (k.clone(), plain_text(v)))
                    .collect(),
            ),
            other => Shape::Scalar(plain_text(other)),
        }
    }
}

/// Strings as they are, `null` as nothing, anything else as compact JSON.
fn plain_text(value: &Value) -> String {
    match value {
        Value::String(s) => s.clone(),
        Value::Null => String::new(),
        other => other.to_string(),
    }
}

/// The document's value for a query, header or cookie parameter; `None` for an optional one
/// the document gives nothing for.
/// A parameter's example, else its default, else (required) a generated value; a required
/// credential without a value in the document is empty, its name added to `fill_in`.
fn parameter_value(
    param: &Parameter,
    examples: &mut ExampleBudget,
    fill_in: &mut Vec<String>,
) -> Option<Value> {
    let document = param
        .example
        .iter()
        .chain(param.schema.examples.first())
        .chain(&param.schema.default)
        .find(|v| !v.is_null())
        .cloned();
    document.or_else(|| {
        if !param.required {
            return None;
        }
        if is_credential(&param.name, Some(&param.schema)) && !has_document_value(&param.schema) {
            fill_in.push(param.name.clone());
            return Some(Value::String(String::new()));
        }
        Some(example_within(&param.schema, examples))
    })
}

/// `Cookie` header contents: the pairs to send, and those the user may switch on.
#[derive(Default)]
struct Cookies {
    sent: Vec<String>,
    unsent: Vec<String>,
}

impl Cookies {
    fn push(&mut self, name: &str, value: &str, enabled: bool) {
        let pair = format!("{name}={value}");
        if enabled {
            self.sent.push(pair);
        } else {
            self.unsent.push(pair);
        }
    }

    fn into_headers(self, headers: &mut Vec<KeyValue>) {
        if !self.sent.is_empty() {
            headers.push(KeyValue::new("Cookie", self.sent.join("; ")));
        }
        if !self.unsent.is_empty() {
            headers.push(KeyValue {
                name: "Cookie".into(),
                value: self.unsent.join("; "),
                enabled: false,
            });
        }
    }
}

fn add_parameters(
    op: &Operation,
    request: &mut HttpRequest,
    cookies: &mut Cookies,
    examples: &mut ExampleBudget,
    fill_in: &mut Vec<String>,
) {
    let (required, optional): (Vec<&Parameter>, Vec<&Parameter>) = op
        .parameters
        .iter()
        .filter(|p| p.location != ParameterLocation::Path)
        .partition(|p| p.required);
    for param in required.into_iter().chain(optional) {
        let value = parameter_value(param, examples, fill_in);
        let enabled = value.is_some();
        let value = value.unwrap_or_else(|| Value::String(String::new()));
        match param.location {
            ParameterLocation::Query => {
                for (name, value) in query_rows(param, &value) {
                    request.query.push(KeyValue {
                        name,
                        value,
                        enabled,
                    });
                }
            }
            ParameterLocation::Header => request.headers.push(KeyValue {
                name: param.name.clone(),
                value: simple_value(&value, param.explode.unwrap_or(false)),
                enabled,
            }),
            ParameterLocation::Cookie => {
                cookies.push(&param.name, &simple_value(&value, false), enabled)
            }
            ParameterLocation::Path => {}
        }
    }
}

/// Query rows for one parameter (`form` style by default, exploded unless it says otherwise).
fn query_rows(param: &Parameter, value: &Value) -> Vec<(String, String)> {
    let style = param.style.as_deref().unwrap_or("form");
    let explode = param.explode.unwrap_or(style == "form");
    let separator = match style {
        "spaceDelimited" => " ",
        "pipeDelimited" => "|",
        _ => ",",
    };
    let name = &param.name;
    match Shape::of(value) {
        Shape::Scalar(s) => vec![(name.clone(), s)],
        Shape::List(items) if explode && style == "form" => {
            items.into_iter().map(|item| (name.clone(), item)).collect()
        }
        Shape::List(items) => vec![(name.clone(), items.join(separator))],
        Shape::Pairs(kv) if style == "deepObject" => kv
            .into_iter()
            .map(|(k, v)| (format!("{name}[{k}]"), v))
            .collect(),
        Shape::Pairs(kv) if explode => kv,
        Shape::Pairs(kv) => {
            let flat: Vec<String> = kv.into_iter().flat_map(|(k, v)| [k, v]).collect();
            vec![(name.clone(), flat.join(separator))]
        }
    }
}

/// `simple` style, used by headers (and, without explode, by cookies here).
fn simple_value(value: &Value, explode: bool) -> String {
    match Shape::of(value) {
        Shape::Scalar(s) => s,
        Shape::List(items) => items.join(","),
        Shape::Pairs(kv) if explode => kv
            .iter()
            .map(|(k, v)| format!("{k}={v}"))
            .collect::<Vec<_>>()
            .join(","),
        Shape::Pairs(kv) => kv
            .into_iter()
            .flat_map(|(k, v)| [k, v])
            .collect::<Vec<_>>()
            .join(","),
    }
}
