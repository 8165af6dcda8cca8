// The languages of the composer's Code pane, in the order the picker lists them, and the one
// chosen last (kept for the session, so each tab opens Code in the same language).

import type { SnippetLanguage } from "../../lib/bindings/SnippetLanguage";

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
