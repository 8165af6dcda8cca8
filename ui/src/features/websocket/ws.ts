// The WebSocket feature's pure logic: what makes a saved request a WebSocket connection, checks
// of a message before it is sent, the live session's state and how each `WsEvent` changes it,
// the log's filters and the figures its rows show. No state, no IPC: tested by `ws.test.ts`.

import type { ApiError } from "../../lib/bindings/ApiError";
import type { SavedRequest } from "../../lib/bindings/SavedRequest";
import type { WebSocketSettings } from "../../lib/bindings/WebSocketSettings";
import type { WsCloseInitiator } from "../../lib/bindings/WsCloseInitiator";
import type { WsEvent } from "../../lib/bindings/WsEvent";
import type { WsFrame } from "../../lib/bindings/WsFrame";
import type { WsHandshake } from "../../lib/bindings/WsHandshake";
import type { WsMessageKind } from "../../lib/bindings/WsMessageKind";
import type { WsOpcode } from "../../lib/bindings/WsOpcode";

/** Frames the window keeps per session; older ones are dropped (and counted) past it. */
export const LOG_CAP = 10_000;

export const MESSAGE_KINDS: ReadonlyArray<{ kind: WsMessageKind; label: string }> = [
  { kind: "text", label: "Text" },
  { kind: "json", label: "JSON" },
  { kind: "binaryHex", label: "Binary (hex)" },
  { kind: "binaryFile", label: "Binary (file)" },
];

export const OPCODES: ReadonlyArray<WsOpcode> = ["text", "binary", "ping", "pong", "close"];

/** True for a `ws://` or `wss://` URL (what turns a new request into a WebSocket one). */
export function isWsUrl(url: string): boolean {
  return /^\s*wss?:\/\//i.test(url);
}

/** The settings a new WebSocket request starts with (the model's defaults). */
export function defaultWebSocket(): WebSocketSettings {
  return {
    subprotocols: [],
    deflate: false,
    maxMessageBytes: 16 * 1024 * 1024,
    autoPong: true,
    keepaliveSecs: null,
    reconnect: false,
    messages: [],
  };
}

/** A new, unsaved WebSocket request. */
export function emptyWebSocketSaved(base: SavedRequest, url = ""): SavedRequest {
  return { ...base, request: { ...base.request, method: "GET", url }, websocket: defaultWebSocket() };
}

/** Why this message cannot be sent as it is, or null. `{{variables}}` count as valid values. */
export function messageProblem(kind: WsMessageKind, body: string): string | null {
  switch (kind) {
    case "text":
      return null;
    case "json": {
      if (body.trim() === "") return "Enter a JSON value to send.";
      try {
        JSON.parse(body.replace(/\{\{[^{}]*\}\}/g, "0"));
        return null;
      } catch (e) {
        return `Not valid JSON: ${(e as Error).message}`;
      }
    }
    case "binaryHex": {
      const digits = body.replace(/\s+/g, "");
      if (!/^[0-9a-fA-F]*$/.test(digits)) return "Only hex digits (0-9, a-f) and spaces.";
      if (digits.length % 2 !== 0) return "An odd number of hex digits: each byte is two.";
      return null;
    }
    case "binaryFile":
      return body.trim() === "" ? "Choose a file to send." : null;
  }
}

/** Close codes a client may send (RFC 6455 7.4): 1000–1003, 1007–1014, and 3000–4999 for applications. */
export function closeCodeProblem(code: number): string | null {
  if (!Number.isInteger(code)) return "A whole number.";
  if ((code >= 1000 && code <= 1003) || (code >= 1007 && code <= 1014) || (code >= 3000 && code <= 4999)) return null;
  return "Use 1000 (normal), another standard code a client may send, or an application code from 3000 to 4999.";
}

/** A close reason must fit a control frame: 123 bytes of UTF-8. */
export function closeReasonProblem(reason: string): string | null {
  return new TextEncoder().encode(reason).length > 123 ? "At most 123 bytes." : null;
}

const CLOSE_NAMES: Record<number, string> = {
  1000: "normal closure",
  1001: "going away",
  1002: "protocol error",
  1003: "unsupported data",
  1005: "no status code",
  1006: "connection dropped without a close frame",
  1007: "invalid payload",
  1008: "policy violation",
  1009: "message too big",
  1010: "extension required",
  1011: "server error",
  1012: "service restart",
  1013: "try again later",
  1015: "TLS handshake failed",
};

/** What a close code means, when it is a standard one. */
export function closeMeaning(code: number): string | null {
  return CLOSE_NAMES[code] ?? null;
}

export type WsStatus = "idle" | "connecting" | "open" | "closing" | "closed" | "reconnecting";

export interface WsClosed {
  code: number;
  reason: string;
  initiator: WsCloseInitiator;
  error: ApiError | null;
}

/** One tab's live (or last) session, as the window shows it. */
export interface WsSession {
  status: WsStatus;
  sessionId: string | null;
  handshake: WsHandshake | null;
  /** The log, oldest first, at most LOG_CAP frames. */
  frames: WsFrame[];
  /** Frames left out of the log: the engine's cap plus the window's. */
  dropped: number;
  closed: WsClosed | null;
  /** A failure before the session opened (the handshake's ApiError). */
  error: ApiError | null;
  attempt: number;
  reconnectInMs: number | null;
}

export function idleSession(): WsSession {
  return { status: "idle", sessionId: null, handshake: null, frames: [], dropped: 0, closed: null, error: null, attempt: 0, reconnectInMs: null };
}

export function connectingSession(sessionId: string): WsSession {
  return { ...idleSession(), status: "connecting", sessionId, attempt: 1 };
}

/** Appends a batch to a capped log: the oldest frames go first. */
export function appendFrames(log: WsFrame[], batch: WsFrame[], cap = LOG_CAP): { frames: WsFrame[]; dropped: number } {
  const all = log.concat(batch);
  const over = Math.max(0, all.length - cap);
  return { frames: over > 0 ? all.slice(over) : all, dropped: over };
}

/** The session after one event of its stream. */
export function applyWsEvent(s: WsSession, e: WsEvent, cap = LOG_CAP): WsSession {
  switch (e.event) {
    case "connecting":
      return { ...s, status: "connecting", attempt: e.attempt, reconnectInMs: null, closed: null, error: null };
    case "open":
      return { ...s, status: "open", handshake: e.handshake, closed: null, error: null, reconnectInMs: null };
    case "frames": {
      const { frames, dropped } = appendFrames(s.frames, e.frames, cap);
      return { ...s, frames, dropped: s.dropped + dropped + e.dropped };
    }
    case "closed":
      return { ...s, status: "closed", closed: { code: e.code, reason: e.reason, initiator: e.initiator, error: e.error }, reconnectInMs: null };
    case "reconnecting":
      return { ...s, status: "reconnecting", attempt: e.attempt, reconnectInMs: e.inMs };
  }
}

/** The status line's words: "Connected", "Closed 4000 goodbye", ... */
export function statusText(s: WsSession): string {
  switch (s.status) {
    case "idle":
      return "Not connected";
    case "connecting":
      return s.attempt > 1 ? `Connecting (attempt ${s.attempt})…` : "Connecting…";
    case "open":
      return "Connected";
    case "closing":
      return "Closing…";
    case "reconnecting":
      return `Reconnecting in ${((s.reconnectInMs ?? 0) / 1000).toFixed(1)} s (attempt ${s.attempt})`;
    case "closed": {
      if (s.error?.code === "Cancelled" && !s.closed) return "Cancelled";
      if (s.error && !s.closed) return "Could not connect";
      const c = s.closed;
      if (!c) return "Closed";
      const by = c.initiator === "server" ? "by the server" : c.initiator === "client" ? "by you" : "abnormally";
      return `Closed ${by}: ${c.code}${c.reason ? ` ${c.reason}` : ""}`;
    }
  }
}

export type DirectionFilter = "all" | "sent" | "received";

export interface LogFilter {
  direction: DirectionFilter;
  /** Opcodes shown; all when empty. */
  opcodes: ReadonlySet<WsOpcode>;
  text: string;
}

export function frameMatches(f: WsFrame, filter: LogFilter): boolean {
  if (filter.direction !== "all" && f.direction !== filter.direction) return false;
  if (filter.opcodes.size > 0 && !filter.opcodes.has(f.opcode)) return false;
  const q = filter.text.trim().toLowerCase();
  return q === "" || f.data.toLowerCase().includes(q);
}

export function filterFrames(frames: WsFrame[], filter: LogFilter): WsFrame[] {
  if (filter.direction === "all" && filter.opcodes.size === 0 && filter.text.trim() === "") return frames;
  return frames.filter((f) => frameMatches(f, filter));
}

/** `+0.042 s`, `+12.500 s`, `+2:05.000`: the offset since the connection attempt started. */
export function formatOffset(ms: number): string {
  if (ms < 60_000) return `+${(ms / 1000).toFixed(3)} s`;
  const min = Math.floor(ms / 60_000);
  const sec = ((ms % 60_000) / 1000).toFixed(3).padStart(6, "0");
  return `+${min}:${sec}`;
}

/** A text frame's JSON, pretty-printed; null when it is not JSON (or not an object/array). */
export function prettyJson(text: string): string | null {
  const t = text.trimStart();
  if (!t.startsWith("{") && !t.startsWith("[")) return null;
  try {
    return JSON.stringify(JSON.parse(text), null, 2);
  } catch {
    return null;
  }
}

/** Why a ping payload cannot go (a control frame carries at most 125 bytes), or null. */
export function pingPayloadProblem(payload: string): string | null {
  const n = new TextEncoder().encode(payload).length;
  return n > 125 ? `A ping carries at most 125 bytes (this is ${n}).` : null;
}

/** What "Save…" on a binary frame writes, said before it does: the whole payload, or the log's cut. */
export function frameSaveNote(f: Pick<WsFrame, "size" | "data" | "truncated">): string | null {
  if (!f.truncated) return null;
  const kept = Math.floor(f.data.replace(/[^0-9a-fA-F]/g, "").length / 2);
  return `Only the first ${kept.toLocaleString("en-US")} of ${f.size.toLocaleString("en-US")} bytes were kept by the log: those are saved.`;
}

/** Bytes from the log's lowercase hex (binary payloads); bad pairs are skipped. */
export function hexToBytes(hex: string): Uint8Array {
  const clean = hex.replace(/[^0-9a-fA-F]/g, "");
  const out = new Uint8Array(Math.floor(clean.length / 2));
  for (let i = 0; i < out.length; i++) out[i] = parseInt(clean.slice(i * 2, i * 2 + 2), 16);
  return out;
}

/** The slice of rows a virtual list draws: [first, last) with `overscan` rows either side. */
export function visibleRange(scrollTop: number, viewport: number, rowHeight: number, total: number, overscan = 8): [number, number] {
  const first = Math.max(0, Math.floor(scrollTop / rowHeight) - overscan);
  const last = Math.min(total, Math.ceil((scrollTop + viewport) / rowHeight) + overscan);
  return [first, Math.max(first, last)];
}

/** The next free "Message N" name among the saved messages. */
export function nextMessageName(names: string[]): string {
  const taken = new Set(names);
  for (let n = 1; ; n++) if (!taken.has(`Message ${n}`)) return `Message ${n}`;
}
