// The exchange store's checks before anything reaches the Rust side, and what it forgets.
import { describe, expect, it } from "vitest";
import { on } from "../../lib/events";
import { tabs } from "../tabs/store.svelte";
import { exchanges } from "./store.svelte";

describe("exchange store", () => {
  it("a request without a URL is refused in the tab, nothing is sent and no 'sent' is emitted", async () => {
    const tab = tabs.newTab();
    const sent: string[] = [];
    const off = on("sent", ({ tabKey }) => sent.push(tabKey));
    await exchanges.send(tab.key);
    off();
    const x = exchanges.of(tab.key);
    expect(x.kind).toBe("error");
    if (x.kind === "error") expect(x.error.code).toBe("InvalidUrl");
    expect(sent).toEqual([]);
  });

  it("a closed tab's exchange goes; reset leaves idle", () => {
    const tab = tabs.newTab();
    exchanges.set(tab.key, { kind: "error", error: { code: "Internal", message: "x" }, elapsedMs: 1 });
    exchanges.reset(tab.key);
    expect(exchanges.of(tab.key).kind).toBe("idle");
    exchanges.set(tab.key, { kind: "error", error: { code: "Internal", message: "x" }, elapsedMs: 1 });
    tabs.closeTab(tab.key);
    expect(exchanges.of(tab.key).kind).toBe("idle");
  });

  it("reset does not interrupt a send on its way", () => {
    const tab = tabs.newTab();
    const sending = { kind: "sending", requestId: "r", startedAt: 0, status: null, received: 0, expected: null, redirects: 0 } as const;
    exchanges.set(tab.key, sending);
    exchanges.reset(tab.key);
    expect(exchanges.of(tab.key).kind).toBe("sending");
  });
});
