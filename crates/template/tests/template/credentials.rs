//! The rows auth adds are named on the request as credentials, so the engine can drop them on a
//! redirect to another origin whatever the key is called.

use sextant_model::{ApiKeyLocation, Auth, HttpRequest, KeyValue, SavedRequest};
use sextant_template::{resolve, Context, ResolveOptions};

fn credentials(auth: Auth, headers: &[(&str, &str)]) -> Vec<String> {
    let mut request = HttpRequest::get("http://127.0.0.1/x");
    request.headers = headers.iter().map(|(n, v)| KeyValue::new(*n, *v)).collect();
    let mut saved = SavedRequest::new("r", request);
    saved.auth = auth;
    let opts = ResolveOptions {
        reveal_secrets: true,
    };
    resolve(&saved, &Context::default(), &opts)
        .unwrap()
        .request
        .credentials
}

fn api_key(name: &str, location: ApiKeyLocation) -> Auth {
    Auth::ApiKey {
        name: name.into(),
        value: "v".into(),
        location,
    }
}

#[test]
fn an_api_key_row_is_marked_in_the_header_or_the_query() {
    assert_eq!(
        credentials(api_key("X-Harmless", ApiKeyLocation::Header), &[]),
        ["X-Harmless"]
    );
    assert_eq!(
        credentials(api_key("signature", ApiKeyLocation::Query), &[]),
        ["signature"]
    );
}

#[test]
fn bearer_and_basic_mark_authorization() {
    let bearer = Auth::Bearer { token: "t".into() };
    assert_eq!(credentials(bearer, &[]), ["Authorization"]);
    let basic = Auth::Basic {
        username: "u".into(),
        password: "p".into(),
    };
    assert_eq!(credentials(basic, &[]), ["Authorization"]);
}

#[test]
fn nothing_is_marked_when_auth_adds_nothing() {
    assert!(credentials(Auth::None, &[]).is_empty());
    let own = api_key("X-Key", ApiKeyLocation::Header);
    assert!(credentials(own, &[("X-Key", "typed")]).is_empty());
}
