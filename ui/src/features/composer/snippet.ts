// The languages of the composer's Code pane, in the order the picker lists them, and the one
// chosen last (kept for the session, so each tab opens Code in the same language), and the notice
// shown instead of a snippet for a WebSocket request.

import type { SavedRequest } from "../../lib/bindings/SavedRequest";
import type { SnippetLanguage } from "../../lib/bindings/SnippetLanguage";
import { isWsUrl } from "../websocket/ws";

export const SNIPPET_LANGUAGES: ReadonlyArray<{ id: SnippetLanguage; label: string }> = [
  { id: "curl", label: "curl (bash)" },
  { id: "pythonHttpx", label: "Python · httpx" },
  { id: "pythonRequests", label: "Python · requests" },
  { id: "javaScriptFetch", label: "JavaScript · fetch" },
  { id: "goNetHttp", label: "Go · net/http" },
  { id: "rustReqwest", label: "Rust · reqwest (blocking)" },
];

/** How long the request must stay unchanged before its snippet is asked for again. */
export const SNIPPET_DEBOUNCE_MS = 250;

/** What the Code pane says instead of a snippet for a WebSocket request. */
export const WEBSOCKET_NOTICE =
  "Code snippets cover HTTP requests. This is a WebSocket request (ws:// or wss://): connect it in its tab, or script it with the sextant ws command.";

/**
 * Why `saved` gets no snippet (a WebSocket request: its settings, or a `ws://`/`wss://` URL as
 * typed), or null. A URL that becomes `ws://` only once templated is refused by the Rust side.
 */
export function snippetNotice(saved: SavedRequest): string | null {
  return saved.websocket != null || isWsUrl(saved.request.url) ? WEBSOCKET_NOTICE : null;
}
