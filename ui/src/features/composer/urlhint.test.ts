import { describe, expect, it } from "vitest";

import { urlHint } from "./url";

describe("urlHint", () => {
  it.each([
    ["htp//host/x", "http://host/x"],
    ["http//host", "http://host"],
    ["htps:/host", "https://host"],
    ["http:/127.0.0.1:8000/items", "http://127.0.0.1:8000/items"],
    ["https//api.example.com", "https://api.example.com"],
    ["http:host", "http://host"],
    ["hhttp://host", "http://host"],
    ["http;//host", "http://host"],
    ["http:///host", "http://host"],
    ["  htp//host  ", "http://host"],
  ])("%s → %s", (typed, fixed) => {
    expect(urlHint(typed)).toEqual({ kind: "typo", fixed });
  });

  it.each(["http://host", "https://host/x?y=1", "HTTP://host", "httpbin.org/get", "localhost:8000", "{{baseUrl}}/items", "", "http//", "https://"])(
    "no hint for %j",
    (typed) => {
      expect(urlHint(typed)).toBeNull();
    },
  );

  it("says a WebSocket URL is not an HTTP request", () => {
    expect(urlHint("ws://127.0.0.1:9000/chat")).toEqual({ kind: "websocket" });
    expect(urlHint("WSS://host")).toEqual({ kind: "websocket" });
  });
});
