// The token panel's commands: a request's sign-in status, signing in (cancelled like a send),
// refreshing and forgetting its token.
export { cancelRequest, oauthForget, oauthRefresh, oauthSignIn, oauthStatus } from "../../lib/ipc";
