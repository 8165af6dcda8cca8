//! Declarative checks of a response, saved with a request (`SavedRequest.assertions`) and run
//! after each send: what to read from the response ([`AssertQuery`]), how to judge it
//! ([`AssertPredicate`]), and what came of it ([`AssertionResult`]).

use serde::{Deserialize, Serialize};
use ts_rs::TS;

/// What an assertion reads from the response.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(tag = "kind", rename_all = "camelCase")]
#[ts(export)]
pub enum AssertQuery {
    /// The status code.
    Status,
    /// A header's value (case-insensitive name; the first when repeated).
    Header { name: String },
    /// The value of a cookie the response set.
    Cookie { name: String },
    /// The values an RFC 9535 JSONPath selects in the JSON body.
    JsonPath { path: String },
    /// The body as text.
    BodyText,
    /// The whole exchange's duration in milliseconds.
    ResponseTime,
    /// The decoded body's size in bytes.
    Size,
    /// How many redirects were followed.
    Redirects,
}

impl AssertQuery {
    /// The query as an assertion line writes it, names and paths as typed: `status`,
    /// `header content-type`, `body $.id`.
    pub fn describe(&self) -> String {
        match self {
            Self::Status => "status".to_owned(),
            Self::Header { name } => format!("header {name}"),
            Self::Cookie { name } => format!("cookie {name}"),
            Self::JsonPath { path } => format!("body {path}"),
            Self::BodyText => "body".to_owned(),
            Self::ResponseTime => "duration".to_owned(),
            Self::Size => "size".to_owned(),
            Self::Redirects => "redirects".to_owned(),
        }
    }
}

/// How an assertion judges what its query read.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub enum AssertPredicate {
    Equals,
    NotEquals,
    Less,
    LessOrEqual,
    Greater,
    GreaterOrEqual,
    Contains,
    StartsWith,
    EndsWith,
    /// A regular expression (the `regex` crate's syntax) found in the text.
    Matches,
    Exists,
    IsEmpty,
    /// The length of a string, array or object equals the value.
    Length,
    IsString,
    IsNumber,
    IsInteger,
    IsBoolean,
    IsArray,
    IsObject,
    IsNull,
    /// One of the values of a list (a JSON array, or items separated by commas).
    In,
    /// The JSON value matches the JSON Schema in a file (the value: its path, relative to the
    /// collection folder, which it may not leave).
    MatchesSchema,
}

impl AssertPredicate {
    /// Every predicate, in the order the request-file format lists them.
    pub const ALL: [AssertPredicate; 22] = [
        Self::Equals,
        Self::NotEquals,
        Self::Less,
        Self::LessOrEqual,
        Self::Greater,
        Self::GreaterOrEqual,
        Self::Contains,
        Self::StartsWith,
        Self::EndsWith,
        Self::Matches,
        Self::Exists,
        Self::IsEmpty,
        Self::Length,
        Self::IsString,
        Self::IsNumber,
        Self::IsInteger,
        Self::IsBoolean,
        Self::IsArray,
        Self::IsObject,
        Self::IsNull,
        Self::In,
        Self::MatchesSchema,
    ];

    /// The predicate as an assertion line of a request file writes it (`==`, `contains`,
    /// `isNull`): also how exports, imports and results name it.
    pub fn word(self) -> &'static str {
        match self {
            Self::Equals => "==",
            Self::NotEquals => "!=",
            Self::Less => "<",
            Self::LessOrEqual => "<=",
            Self::Greater => ">",
            Self::GreaterOrEqual => ">=",
            Self::Contains => "contains",
            Self::StartsWith => "startsWith",
            Self::EndsWith => "endsWith",
            Self::Matches => "matches",
            Self::Exists => "exists",
            Self::IsEmpty => "isEmpty",
            Self::Length => "length",
            Self::IsString => "isString",
            Self::IsNumber => "isNumber",
            Self::IsInteger => "isInteger",
            Self::IsBoolean => "isBoolean",
            Self::IsArray => "isArray",
            Self::IsObject => "isObject",
            Self::IsNull => "isNull",
            Self::In => "in",
            Self::MatchesSchema => "matchesSchema",
        }
    }

    /// Whether the predicate compares with a value.
    pub fn takes_value(self) -> bool {
        !matches!(
            self,
            Self::Exists
                | Self::IsEmpty
                | Self::IsString
                | Self::IsNumber
                | Self::IsInteger
                | Self::IsBoolean
                | Self::IsArray
                | Self::IsObject
                | Self::IsNull
        )
    }
}

fn yes() -> bool {
    true
}

/// One check of a response. `value` may hold `{{variables}}`; it is read as JSON when it parses
/// as JSON (`1`, `"1"`, `true`, `[1, 2]`) and as text otherwise.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct Assertion {
    pub query: AssertQuery,
    pub predicate: AssertPredicate,
    #[serde(default)]
    pub value: Option<String>,
    #[serde(default)]
    pub negate: bool,
    #[serde(default = "yes")]
    pub enabled: bool,
}

impl Assertion {
    pub fn new(query: AssertQuery, predicate: AssertPredicate, value: Option<&str>) -> Self {
        Self {
            query,
            predicate,
            value: value.map(str::to_owned),
            negate: false,
            enabled: true,
        }
    }
}

/// The OpenAPI operation a saved request calls, for contract checks on each send: where the
/// document is (a URL, or a file path: relative to the collection folder, or absolute) and the
/// operation (its `operationId`, or `METHOD /path/template`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct ContractRef {
    pub spec: String,
    pub operation: String,
}

/// Where a result came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub enum AssertionKind {
    /// One of the request's assertions.
    #[default]
    Assertion,
    /// The contract check against the request's OpenAPI operation.
    Contract,
}

/// What one enabled assertion (or one contract check) found after a send.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct AssertionResult {
    /// The assertion's position in the request's list (for a contract result: its position
    /// among the contract results).
    pub index: u32,
    #[serde(default)]
    pub kind: AssertionKind,
    pub passed: bool,
    /// The predicate and value, as read (`== 200`, `not contains "x"`).
    pub expected: String,
    /// What the query read (JSON for JSON values), or `(nothing)`.
    pub actual: String,
    /// One sentence: `expected status == 200, got 404`.
    pub message: String,
    /// For JSON values that differ: a line diff of the two, pretty-printed (`-` expected, `+`
    /// actual, ` ` both).
    #[serde(default)]
    pub diff: Option<String>,
    /// The JSON pointer of the offending value in the body (contract results).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub pointer: Option<String>,
    /// Where the broken rule is in the API document (`#/components/schemas/Item/required`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub schema_pointer: Option<String>,
    /// An assertion that would have caught this failure, for "save as assertion".
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub suggestion: Option<Assertion>,
}

#[cfg(test)]
mod tests {
    use super::AssertPredicate;

    #[test]
    fn every_predicate_has_its_own_word() {
        let mut words: Vec<&str> = AssertPredicate::ALL.iter().map(|p| p.word()).collect();
        words.sort_unstable();
        words.dedup();
        assert_eq!(words.len(), AssertPredicate::ALL.len());
        for p in AssertPredicate::ALL {
            let back = AssertPredicate::ALL.iter().find(|q| q.word() == p.word());
            assert_eq!(back, Some(&p));
        }
    }
}
