//! OAuth 2.0 token and discovery exchanges in the history. They go through the engine like any
//! send, so they are recorded like one, under the [`TOKEN_EXCHANGES`] collection name so a user
//! can tell them from their own requests. What they carry is credentials through and through, so
//! before anything reaches the database the client credentials (`Authorization: Basic`), the
//! form fields that hold a secret ([`SECRET_FORM_FIELDS`]) and the tokens in the answer
//! ([`SECRET_ANSWER_FIELDS`]) are masked, and every such value is also redacted wherever else it
//! occurs in the entry. The answer's body file is gone by then (`TokenHttp` removes it): the
//! entry keeps the masked text, never a path.

use std::sync::Arc;
use std::time::{SystemTime, UNIX_EPOCH};

use sextant_auth::Observer;
use sextant_model::{HttpRequest, HttpResponse, RequestBody};
use sextant_store::History;

use crate::history::HistoryState;
use crate::history_record::{self, Finished, MASK, MAX_BODY_TEXT};
use crate::App;

/// The collection name token exchanges are recorded under.
pub const TOKEN_EXCHANGES: &str = "OAuth 2.0 token requests";

/// Request form fields whose value is a secret.
pub const SECRET_FORM_FIELDS: &[&str] = &[
    "client_secret",
    "password",
    "code",
    "code_verifier",
    "refresh_token",
    "device_code",
    "assertion",
    "client_assertion",
    "subject_token",
    "actor_token",
];

/// Answer fields whose value is a secret.
pub const SECRET_ANSWER_FIELDS: &[&str] = &[
    "access_token",
    "refresh_token",
    "id_token",
    "device_code",
    "issued_token",
];

impl App {
    /// The observer that records each token exchange, when there is a history to record to.
    pub(crate) fn token_exchange_recorder(&self) -> Option<Observer> {
        let HistoryState::Open {
            history, source, ..
        } = &self.history
        else {
            return None;
        };
        let history = Arc::clone(history);
        let source = *source;
        Some(Arc::new(move |request, response, body| {
            record(&history, source, request, response, body);
        }))
    }
}

/// Writes one exchange's entry. The observer is synchronous and a write is one small insert, so
/// it is written here and then; a history that cannot be written is reported on stderr, as for a
/// send.
fn record(
    history: &History,
    source: sextant_store::Source,
    request: &HttpRequest,
    response: &HttpResponse,
    body: &[u8],
) {
    let (request, mut secrets) = masked_request(request);
    let head = &body[..body.len().min(MAX_BODY_TEXT as usize)];
    let (answer, answer_secrets) = masked_answer(head);
    secrets.extend(answer_secrets);
    let at_ms = now_ms() - response.timings.total_ms as i64;
    let entry = history_record::entry(Finished {
        at_ms,
        source,
        collection: Some(TOKEN_EXCHANGES.to_string()),
        secrets: &secrets,
        request: &request,
        duration_ms: response.timings.total_ms,
        outcome: Ok(response),
        body_head: answer.map(String::into_bytes),
        body_path: None,
    });
    if let Err(e) = history.record(&entry) {
        eprintln!("sextant: the token exchange was not recorded in the history: {e}");
    }
}

/// The request with its secret form fields masked (the `Authorization` header is masked by the
/// history's own rules: the exchange marks it a credential), and the values that were masked.
fn masked_request(request: &HttpRequest) -> (HttpRequest, Vec<String>) {
    let mut out = request.clone();
    let mut secrets = Vec::new();
    if let RequestBody::Text { text, .. } = &mut out.body {
        if let Some(masked) = mask_form(text, &mut secrets) {
            *text = masked;
        }
    }
    if !out.credentials.iter().any(|c| c == "Authorization")
        && out
            .headers
            .iter()
            .any(|h| h.name.eq_ignore_ascii_case("authorization"))
    {
        out.credentials.push("Authorization".into());
    }
    (out, secrets)
}

/// A urlencoded form with the values of [`SECRET_FORM_FIELDS`] masked; `None` when `text` is
/// not a form that holds one.
fn mask_form(text: &str, secrets: &mut Vec<String>) -> Option<String> {
    let mut masked_any = false;
    let mut ser = url::form_urlencoded::Serializer::new(String::new());
    for (name, value) in url::form_urlencoded::parse(text.as_bytes()) {
        if SECRET_FORM_FIELDS.contains(&name.as_ref()) && !value.is_empty() {
            masked_any = true;
            secrets.push(value.into_owned());
            ser.append_pair(&name, MASK);
        } else {
            ser.append_pair(&name, &value);
        }
    }
    if !masked_any {
        return None;
    }
    let encoded_mask: String = url::form_urlencoded::byte_serialize(MASK.as_bytes()).collect();
    Some(ser.finish().replace(&encoded_mask, MASK))
}

/// The answer's text with its tokens masked (a JSON object, or a urlencoded form as some
/// providers answer), and the values that were masked. Text that is neither is kept as is.
fn masked_answer(head: &[u8]) -> (Option<String>, Vec<String>) {
    let mut secrets = Vec::new();
    let Some(text) = history_record::text_of(head, None) else {
        return (None, secrets);
    };
    if let Ok(serde_json::Value::Object(mut object)) = serde_json::from_str(&text) {
        for field in SECRET_ANSWER_FIELDS {
            if let Some(value) = object.get_mut(*field) {
                if let Some(secret) = value.as_str().filter(|s| !s.is_empty()) {
                    secrets.push(secret.to_string());
                }
                *value = serde_json::Value::String(MASK.to_string());
            }
        }
        let masked = serde_json::to_string_pretty(&object).unwrap_or_default();
        return (Some(masked), secrets);
    }
    if text.contains('=') && !text.trim_start().starts_with('<') {
        let mut form_secrets = Vec::new();
        let mut masked_any = false;
        let mut ser = url::form_urlencoded::Serializer::new(String::new());
        for (name, value) in url::form_urlencoded::parse(text.trim().as_bytes()) {
            if SECRET_ANSWER_FIELDS.contains(&name.as_ref()) && !value.is_empty() {
                masked_any = true;
                form_secrets.push(value.into_owned());
                ser.append_pair(&name, MASK);
            } else {
                ser.append_pair(&name, &value);
            }
        }
        if masked_any {
            let encoded_mask: String =
                url::form_urlencoded::byte_serialize(MASK.as_bytes()).collect();
            secrets.extend(form_secrets);
            return (Some(ser.finish().replace(&encoded_mask, MASK)), secrets);
        }
    }
    (Some(text), secrets)
}

fn now_ms() -> i64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| i64::try_from(d.as_millis()).unwrap_or(i64::MAX))
        .unwrap_or(0)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn secret_form_fields_are_masked_and_others_kept() {
        let mut secrets = Vec::new();
        let masked = mask_form(
            "grant_type=authorization_code&code=abc%2B1&code_verifier=v&redirect_uri=http%3A%2F%2F127.0.0.1%2Fcb",
            &mut secrets,
        )
        .unwrap();
        assert_eq!(
            masked,
            "grant_type=authorization_code&code=•••&code_verifier=•••&redirect_uri=http%3A%2F%2F127.0.0.1%2Fcb"
        );
        assert_eq!(secrets, ["abc+1", "v"]);
        assert_eq!(
            mask_form("grant_type=client_credentials", &mut secrets),
            None
        );
    }

    #[test]
    fn tokens_in_the_answer_are_masked_json_or_form() {
        let (json, secrets) = masked_answer(
            br#"{"access_token":"at1","token_type":"Bearer","refresh_token":"rt1","expires_in":60}"#,
        );
        let json: serde_json::Value = serde_json::from_str(&json.unwrap()).unwrap();
        assert_eq!(json["access_token"], MASK);
        assert_eq!(json["refresh_token"], MASK);
        assert_eq!(json["token_type"], "Bearer");
        assert_eq!(json["expires_in"], 60);
        assert_eq!(secrets, ["at1", "rt1"]);

        let (form, secrets) = masked_answer(b"access_token=at2&scope=repo");
        assert_eq!(form.unwrap(), "access_token=•••&scope=repo");
        assert_eq!(secrets, ["at2"]);

        let (error, secrets) = masked_answer(b"{\"error\":\"invalid_client\"}");
        assert!(error.unwrap().contains("invalid_client"));
        assert!(secrets.is_empty());
        assert_eq!(masked_answer(b"").0, None);
    }
}
