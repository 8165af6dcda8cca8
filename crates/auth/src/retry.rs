//! "A 401 on a request that used an OAuth token refreshes (or re-authenticates where no user is
//! needed) and retries once, never loops": the decision, as a pure function.

use sextant_model::OAuth2Grant;

/// What to do after a response to a request sent with an OAuth token.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Recovery {
    /// Not a rejection of the token, or already retried: show the response as it is.
    None,
    /// Refresh the token, then send again once.
    Refresh,
    /// Get a new token with the grant (client credentials, password: no user needed), then send
    /// again once.
    Reauthenticate,
    /// The token was rejected and only the user can get a new one (browser or device sign-in):
    /// show the response and offer to sign in.
    NeedsUser,
}

/// The recovery for `status` on a request whose token came from `grant`. `retried` is true on
/// the retry itself, which never recovers again.
pub fn after_unauthorized(
    status: u16,
    grant: OAuth2Grant,
    has_refresh_token: bool,
    retried: bool,
) -> Recovery {
    if status != 401 || retried {
        return Recovery::None;
    }
    if has_refresh_token {
        return Recovery::Refresh;
    }
    match grant {
        OAuth2Grant::ClientCredentials | OAuth2Grant::Password => Recovery::Reauthenticate,
        OAuth2Grant::AuthorizationCode | OAuth2Grant::DeviceCode | OAuth2Grant::Implicit => {
            Recovery::NeedsUser
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_a_first_401_recovers() {
        assert_eq!(
            after_unauthorized(200, OAuth2Grant::Password, true, false),
            Recovery::None
        );
        assert_eq!(
            after_unauthorized(403, OAuth2Grant::Password, true, false),
            Recovery::None
        );
        assert_eq!(
            after_unauthorized(401, OAuth2Grant::Password, true, true),
            Recovery::None
        );
    }

    #[test]
    fn a_refresh_token_is_tried_first() {
        for grant in [
            OAuth2Grant::AuthorizationCode,
            OAuth2Grant::ClientCredentials,
        ] {
            assert_eq!(
                after_unauthorized(401, grant, true, false),
                Recovery::Refresh
            );
        }
    }

    #[test]
    fn without_one_only_grants_that_need_no_user_sign_in_again() {
        use OAuth2Grant::*;
        assert_eq!(
            after_unauthorized(401, ClientCredentials, false, false),
            Recovery::Reauthenticate
        );
        assert_eq!(
            after_unauthorized(401, Password, false, false),
            Recovery::Reauthenticate
        );
        for grant in [AuthorizationCode, DeviceCode, Implicit] {
            assert_eq!(
                after_unauthorized(401, grant, false, false),
                Recovery::NeedsUser
            );
        }
    }
}
