// Which requests the Code pane shows a notice for instead of a snippet: WebSocket ones.
import { describe, expect, it } from "vitest";
import { emptyWebSocketSaved } from "../websocket/ws";
import { emptySaved } from "./composer";
import { snippetNotice, WEBSOCKET_NOTICE } from "./snippet";

function withUrl(url: string) {
  const saved = emptySaved();
  saved.request.url = url;
  return saved;
}

describe("code snippet notice", () => {
  it("a WebSocket request gets the notice, by its settings or its ws:// or wss:// URL", () => {
    expect(snippetNotice(emptyWebSocketSaved(emptySaved(), "http://127.0.0.1:9/chat"))).toBe(WEBSOCKET_NOTICE);
    expect(snippetNotice(withUrl("ws://127.0.0.1:9/chat"))).toBe(WEBSOCKET_NOTICE);
    expect(snippetNotice(withUrl("  WSS://example.com/feed"))).toBe(WEBSOCKET_NOTICE);
    expect(WEBSOCKET_NOTICE.startsWith("Code snippets cover HTTP requests.")).toBe(true);
  });

  it("an HTTP request, or one whose URL is a variable, gets a snippet", () => {
    expect(snippetNotice(withUrl("http://127.0.0.1:9/ws"))).toBeNull();
    expect(snippetNotice(withUrl("{{baseUrl}}/items"))).toBeNull();
    expect(snippetNotice(emptySaved())).toBeNull();
  });
});
