// The WebSocket store's checks before anything reaches the Rust side, and each tab's editor
// (kept in local storage under the tab key, gone with the tab).
import { describe, expect, it } from "vitest";
import { tabs } from "../tabs/store.svelte";
import { emptySaved } from "../composer/composer";
import { websockets } from "./store.svelte";
import { emptyWebSocketSaved } from "./ws";

describe("websocket store", () => {
  it("a request without a URL is refused in the tab without a session", async () => {
    const tab = tabs.newTab(emptyWebSocketSaved(emptySaved()));
    await websockets.connect(tab.key);
    const s = websockets.of(tab.key);
    expect(s.status).toBe("closed");
    expect(s.error?.code).toBe("InvalidUrl");
    expect(s.sessionId).toBeNull();
  });

  it("sending needs an open session, and says so", async () => {
    const tab = tabs.newTab(emptyWebSocketSaved(emptySaved(), "ws://127.0.0.1:9/x"));
    websockets.setEditor(tab.key, { kind: "json", body: '{"a": 1}' });
    await websockets.sendEditor(tab.key);
    expect(websockets.sendProblem(tab.key)).toBe("Connect first.");
    expect(await websockets.ping(tab.key)).toBe("Connect first.");
    expect(await websockets.pong(tab.key, "beat")).toBe("Connect first.");
  });

  it("keeps a tab's editor under its key until the tab closes", () => {
    const tab = tabs.newTab(emptyWebSocketSaved(emptySaved()));
    websockets.setEditor(tab.key, { kind: "text", body: "hello" });
    expect(websockets.editor(tab.key)).toEqual({ kind: "text", body: "hello" });
    tabs.closeTab(tab.key);
    expect(websockets.editor(tab.key)).toEqual({ kind: "json", body: "" });
  });
});
