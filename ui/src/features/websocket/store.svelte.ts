// The WebSocket sessions, one per tab: connect (the handshake, then frames and the close over a
// channel), send, ping, pong and close, and each tab's message editor (kind and text), which is kept
// across restarts in local storage under the tab's key like a draft, and goes when the tab closes.

import type { SendContext } from "../../lib/bindings/SendContext";
import type { WsEvent } from "../../lib/bindings/WsEvent";
import type { WsMessageKind } from "../../lib/bindings/WsMessageKind";
import { emit, on } from "../../lib/events";
import { newId } from "../../lib/ids";
import { collections } from "../collections/store.svelte";
import { originOf } from "../history/origin";
import { tabs } from "../tabs/store.svelte";
import { variables } from "../variables/store.svelte";
import * as api from "./api";
import { applyWsEvent, connectingSession, defaultWebSocket, idleSession, messageProblem, type WsSession } from "./ws";

export interface EditorState {
  kind: WsMessageKind;
  body: string;
}

const EDITOR_PREFIX = "sextant.ws.editor.";
/** Editor text past this is not kept across restarts (local storage is small). */
const EDITOR_KEEP_MAX = 256 * 1024;

function storage(): Storage | null {
  try {
    return typeof localStorage === "undefined" ? null : localStorage;
  } catch {
    return null;
  }
}

class WebSocketStore {
  /** Replaced whole on each change: a session's frames are never proxied item by item. */
  #sessions = $state.raw<Record<string, WsSession>>({});
  #editors = $state<Record<string, EditorState>>({});
  /** Why the tab's last send did not go, shown under its editor. */
  #sendProblems = $state<Record<string, string | null>>({});

  constructor() {
    on("tabClosed", ({ key }) => {
      const s = this.#sessions[key];
      if (s?.sessionId && (s.status === "open" || s.status === "connecting" || s.status === "reconnecting")) {
        api.wsClose(s.sessionId, 1001, "").catch(() => {});
      }
      const { [key]: _gone, ...rest } = this.#sessions;
      this.#sessions = rest;
      delete this.#editors[key];
      delete this.#sendProblems[key];
      storage()?.removeItem(EDITOR_PREFIX + key);
    });
  }

  of(key: string | null): WsSession {
    return (key !== null && this.#sessions[key]) || idleSession();
  }

  #set(key: string, s: WsSession) {
    this.#sessions = { ...this.#sessions, [key]: s };
  }

  /** Applies `fn` only while `sessionId` is still the tab's session. */
  #update(key: string, sessionId: string, fn: (s: WsSession) => WsSession) {
    const s = this.#sessions[key];
    if (s && s.sessionId === sessionId) this.#set(key, fn(s));
  }

  /** The tab's message editor: as last set, else as kept in local storage (read, never written, here: it runs inside derivations). */
  editor(key: string): EditorState {
    const e = this.#editors[key];
    if (e) return e;
    try {
      const raw = storage()?.getItem(EDITOR_PREFIX + key);
      if (raw) return { kind: "json", body: "", ...(JSON.parse(raw) as Partial<EditorState>) };
    } catch {
      // A damaged entry starts empty.
    }
    return { kind: "json", body: "" };
  }

  setEditor(key: string, next: EditorState) {
    this.#editors[key] = next;
    this.#sendProblems[key] = null;
    if (next.body.length <= EDITOR_KEEP_MAX) storage()?.setItem(EDITOR_PREFIX + key, JSON.stringify(next));
  }

  /** A session is under way (connecting, open, closing or waiting to reconnect). */
  live(key: string): boolean {
    const st = this.of(key).status;
    return st === "connecting" || st === "open" || st === "closing" || st === "reconnecting";
  }

  async connect(key: string) {
    const tab = tabs.tab(key);
    if (!tab || this.live(key)) return;
    if (tab.composer.url.trim() === "") {
      this.#set(key, { ...idleSession(), status: "closed", error: { code: "InvalidUrl", message: "Enter a ws:// or wss:// URL to connect to." } });
      return;
    }
    const saved = tab.current;
    if (!saved.websocket) saved.websocket = defaultWebSocket();
    const path = tab.path ?? originOf(tab.key);
    const context: SendContext | null = collections.info !== null ? { path, environment: variables.environmentFor(path) } : null;
    const sessionId = newId();
    this.#set(key, connectingSession(sessionId));
    tab.markUsed();
    const onEvent = (e: WsEvent) => {
      this.#update(key, sessionId, (s) => applyWsEvent(s, e));
      // The session is in the history now: its panel reloads, as after a send.
      if (e.event === "closed") emit("sent", { tabKey: key, captured: false });
    };
    try {
      const handshake = await api.wsConnect(sessionId, saved, context, onEvent);
      this.#update(key, sessionId, (s) => (s.status === "connecting" ? { ...s, status: "open", handshake } : { ...s, handshake: s.handshake ?? handshake }));
    } catch (err) {
      const error = api.normaliseError(err);
      this.#update(key, sessionId, (s) => ({ ...s, status: "closed", error }));
    }
  }

  /** Sends a message; the problem that stops it, or null once it is on its way. */
  async send(key: string, kind: WsMessageKind, body: string): Promise<string | null> {
    const s = this.of(key);
    if (s.status !== "open" || !s.sessionId) return "Connect first.";
    const problem = messageProblem(kind, body);
    if (problem) return problem;
    try {
      await api.wsSend(s.sessionId, { kind, body });
      return null;
    } catch (err) {
      return api.normaliseError(err).message;
    }
  }

  async ping(key: string, payload = ""): Promise<string | null> {
    return this.#control(key, (sessionId) => api.wsPing(sessionId, payload));
  }

  /** An unsolicited pong (a one-way heartbeat, RFC 6455 §5.5.3); logged like a ping. */
  async pong(key: string, payload = ""): Promise<string | null> {
    return this.#control(key, (sessionId) => api.wsPong(sessionId, payload));
  }

  /** Sends a control frame on the tab's open session; the problem that stops it, or null. */
  async #control(key: string, send: (sessionId: string) => Promise<void>): Promise<string | null> {
    const s = this.of(key);
    if (s.status !== "open" || !s.sessionId) return "Connect first.";
    try {
      await send(s.sessionId);
      return null;
    } catch (err) {
      return api.normaliseError(err).message;
    }
  }

  /**
   * Ends a handshake that is still running (Cancel in the URL bar): `ws_close` on a connecting
   * session cancels it on the Rust side, and its `ws_connect` then fails with `Cancelled`.
   */
  async cancel(key: string) {
    const s = this.of(key);
    if (s.status !== "connecting" || !s.sessionId) return;
    const sessionId = s.sessionId;
    try {
      await api.wsClose(sessionId, 1000, "");
    } catch (err) {
      const error = api.normaliseError(err);
      this.#update(key, sessionId, (x) => (x.status === "connecting" ? { ...x, status: "closed", error } : x));
    }
  }

  async close(key: string, code = 1000, reason = "") {
    const s = this.of(key);
    if (!s.sessionId || s.status === "closed" || s.status === "idle") return;
    const sessionId = s.sessionId;
    if (s.status === "open") this.#set(key, { ...s, status: "closing" });
    try {
      await api.wsClose(sessionId, code, reason);
    } catch (err) {
      const error = api.normaliseError(err);
      this.#update(key, sessionId, (x) => (x.status === "closed" ? x : { ...x, status: "closed", error }));
    }
  }

  sendProblem(key: string): string | null {
    return this.#sendProblems[key] ?? null;
  }

  /** Sends what the tab's editor holds (the Send button, Ctrl+Enter). */
  async sendEditor(key: string) {
    const e = this.editor(key);
    this.#sendProblems[key] = await this.send(key, e.kind, e.body);
  }

  /** Sends a saved message as it is. */
  async sendMessage(key: string, kind: WsMessageKind, body: string) {
    this.#sendProblems[key] = await this.send(key, kind, body);
  }

  /** Empties the tab's log (the session stays as it is). */
  clearLog(key: string) {
    const s = this.#sessions[key];
    if (s) this.#set(key, { ...s, frames: [], dropped: 0 });
  }
}

export const websockets = new WebSocketStore();
