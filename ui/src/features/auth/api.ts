// The token panel's commands: a request's sign-in status, signing in (in the system browser,
// cancelled like a send, or in a window of the app's own), refreshing and forgetting its token.
export { cancelRequest, oauthForget, oauthOpenAddress, oauthRefresh, oauthSignIn, oauthSignInWindow, oauthStatus } from "../../lib/ipc";
