//! Signing in to APIs with OAuth 2.0 and OpenID Connect, for a desktop app.
//!
//! Every grant a user may configure ([`sextant_model::OAuth2Config`]): authorization code with
//! PKCE through the system browser and a loopback redirect (RFC 8252 §7.3), client credentials,
//! resource-owner password, the device authorization grant (RFC 8628), and refresh; OIDC and
//! RFC 8414 discovery; the token set and its expiry; the key tokens are kept under; and the
//! "401 → refresh → retry once" decision. The implicit grant is supported for old providers only
//! (RFC 9700 discourages it): the loopback listener relays the URL fragment with a page of its
//! own.
//!
//! Every token-endpoint request goes through [`sextant_engine::Engine`] ([`TokenHttp`]): the
//! engine's TLS, proxy and timeout settings apply, redirects are never followed (a 3xx is an
//! error), answers are read under a byte budget and a time limit, and the body file the engine
//! wrote (it holds tokens) is deleted at once. Tokens are kept only in the [`TokenStore`] the
//! caller hands in (the app's encrypted secret store), under a [`TokenKey`]. No Tauri here.
//!
//! The `oauth2` crate builds and reads the token-endpoint exchanges (client authentication,
//! error bodies, device polling with `slow_down`). The rest is ours because `oauth2` has no
//! part in it or fits badly: the authorization URL (its typed client wants every endpoint fixed
//! at compile time and `plain` PKCE behind a feature), the loopback listener, discovery (only
//! the heavier `openidconnect` crate has it), JWT reading and the token set.

mod authorize;
mod browser;
mod device;
mod discovery;
mod error;
pub mod grants;
mod http;
pub mod jwt;
mod key;
mod loopback;
mod pkce;
mod retry;
mod session;
mod token;

pub use authorize::{authorization_url, AuthorizationFlow};
pub use browser::Launcher;
pub use device::{device_flow, DeviceOptions, DevicePrompt};
pub use discovery::{discover, ProviderMetadata};
pub use error::AuthError;
pub use http::{Observer, TokenHttp, DEFAULT_EXCHANGE_TIMEOUT_MS, DEFAULT_MAX_BODY};
pub use key::{forget, load, save, MemoryTokenStore, TokenKey, TokenStore, TokenStoreError};
pub use loopback::{Callback, Loopback, ResponseMode, DEFAULT_CALLBACK_TIMEOUT};
pub use pkce::{random_token, Pkce};
pub use retry::{after_unauthorized, Recovery};
pub use session::{current_token, recover_after_401, Source};
pub use token::{now_ms, TokenSet};
