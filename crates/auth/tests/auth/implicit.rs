//! The implicit grant (legacy; RFC 9700 discourages it). No test provider offers it, so a
//! scripted provider-and-browser plays both parts.

use std::time::Duration;

use sextant_auth::{AuthorizationFlow, TokenHttp};
use sextant_model::{OAuth2Config, OAuth2Grant};

use crate::support::engine;

const CEILING: Duration = Duration::from_secs(60);

/// The implicit grant end to end with a scripted provider-and-browser: it reads the
/// authorization URL, loads the redirect URI as the provider's redirect would (the fragment
/// stays in the browser, so the relay page answers), then follows the relay with the fragment.
#[tokio::test]
async fn implicit_takes_the_token_from_the_relayed_fragment() {
    const SCRIPT: &str = r#"
import sys, urllib.parse as p, urllib.request as r
q = dict(p.parse_qsl(p.urlparse(sys.argv[1]).query))
assert q["response_type"] == "token" and "code_challenge" not in q, q
page = r.urlopen(q["redirect_uri"]).read().decode()
assert "location.hash" in page, page
fragment = p.urlencode({"access_token": "implicit-token", "token_type": "Bearer", "expires_in": "60", "scope": "api:read", "state": q["state"]})
print(r.urlopen(q["redirect_uri"] + "?" + fragment).read().decode())
"#;
    let engine = engine();
    let http = TokenHttp::new(&engine.engine);
    let config = OAuth2Config {
        grant: OAuth2Grant::Implicit,
        authorization_url: "http://127.0.0.1:9/authorize".into(),
        client_id: "legacy".into(),
        ..Default::default()
    };
    let flow = AuthorizationFlow::start(&config).await.unwrap();
    let launcher =
        sextant_auth::Launcher::Command(vec!["python3".into(), "-c".into(), SCRIPT.into()]);
    let tokens = tokio::time::timeout(CEILING, flow.finish(&http, &config, &launcher, CEILING))
        .await
        .unwrap()
        .unwrap();
    assert_eq!(tokens.access_token, "implicit-token");
    assert_eq!(tokens.scopes_granted, ["api:read"]);
    assert!(tokens.expires_at_ms.is_some());
    assert!(tokens.refresh_token.is_none());
    assert!(tokens.raw.get("state").is_none());
}
