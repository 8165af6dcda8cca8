// History's part outside its panel: a recorded entry opened into a tab (its request as the user
// wrote it in the composer, resolved on a re-send in the collection it was sent from; its response
// as recorded) or sent again. It goes into the active tab only while that one is pristine, else
// into a new tab. The panel reloads on the "sent" event. A recorded WebSocket session is shown
// read-only by the panel (websocket/RecordingView); Reconnect (or Re-send) opens its request in a
// new WebSocket tab and connects.

import type { ApiError } from "../../lib/bindings/ApiError";
import type { HistoryEntry } from "../../lib/bindings/HistoryEntry";
import { newId } from "../../lib/ids";
import { layout } from "../../shell/layout.svelte";
import { exchanges } from "../exchange/store.svelte";
import { explorer } from "../explorer/store.svelte";
import { tabs } from "../tabs/store.svelte";
import { UNNAMED } from "../tabs/tabs";
import { reconnectRequest, isWsEntry } from "../websocket/recording";
import { websockets } from "../websocket/store.svelte";
import { reopenEntry, responseFromEntry } from "./history";
import { setOrigin } from "./origin";

class HistoryStore {
  /** Opens a recorded entry: its request in the composer, its response as recorded. */
  open(entry: HistoryEntry) {
    const tab = tabs.target((key) => exchanges.of(key).kind !== "idle");
    // Titled by its method and path until the user names it.
    const reopened = reopenEntry(entry, newId);
    tabs.replaceContent(tab.key, reopened.composer, { ...reopened.parts, name: UNNAMED });
    setOrigin(tab.key, reopened.origin);
    explorer.dismissHint();
    if (entry.status === null) {
      const code = (entry.errorCode ?? "Internal") as ApiError["code"];
      exchanges.set(tab.key, { kind: "error", error: { code, message: entry.errorMessage ?? "" }, elapsedMs: entry.durationMs });
    } else {
      const shown = responseFromEntry(entry);
      exchanges.set(tab.key, { kind: "done", response: shown.response, recordedText: shown.recordedText });
    }
    layout.view = "request";
  }

  /** Opens a recorded WebSocket session's request in a new tab and connects it. */
  reconnect(entry: HistoryEntry) {
    const tab = tabs.newTab();
    const reopened = reconnectRequest(entry, newId);
    tabs.replaceContent(tab.key, reopened.composer, { ...reopened.parts, name: UNNAMED });
    setOrigin(tab.key, reopened.origin);
    explorer.dismissHint();
    layout.view = "request";
    void websockets.connect(tab.key);
  }

  /** Opens the entry and sends its request again (a WebSocket session connects again). */
  resend(entry: HistoryEntry) {
    if (isWsEntry(entry)) {
      this.reconnect(entry);
      return;
    }
    this.open(entry);
    const tab = tabs.active;
    if (tab) void exchanges.send(tab.key);
  }
}

export const history = new HistoryStore();
