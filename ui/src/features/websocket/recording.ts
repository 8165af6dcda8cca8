// A WebSocket session recorded in the history, reopened read-only: the handshake rebuilt from the
// entry's headers, the words for how it ended and for the cap, and the request a Reconnect opens.
// Pure: tested by `recording.test.ts`.

import type { HistoryEntry } from "../../lib/bindings/HistoryEntry";
import type { WsHandshake } from "../../lib/bindings/WsHandshake";
import type { WsRecording } from "../../lib/bindings/WsRecording";
import type { WsSessionSummary } from "../../lib/bindings/WsSessionSummary";
import { reopenEntry, type Reopened } from "../history/history";
import { closeMeaning, defaultWebSocket } from "./ws";

/** The method a WebSocket connection is recorded with (the Rust side's `WS_METHOD`). */
export const WS_METHOD = "WS";

export function isWsEntry(entry: Pick<HistoryEntry, "method">): boolean {
  return entry.method.toUpperCase() === WS_METHOD;
}

function header(list: HistoryEntry["responseHeaders"], name: string): string | null {
  return list.find((h) => h.name.toLowerCase() === name)?.value ?? null;
}

/** The opening handshake as the entry recorded it (no timings: the history keeps the session's length). */
export function handshakeFromEntry(entry: HistoryEntry): WsHandshake {
  const extensions = header(entry.responseHeaders, "sec-websocket-extensions");
  return {
    url: entry.url,
    status: entry.status ?? 0,
    requestHeaders: entry.requestHeaders,
    responseHeaders: entry.responseHeaders,
    subprotocol: header(entry.responseHeaders, "sec-websocket-protocol"),
    extensions: extensions ? extensions.split(",").map((e) => e.trim()).filter((e) => e !== "") : [],
    remoteAddr: null,
    connectMs: 0,
    handshakeMs: 0,
    warnings: [],
  };
}

/** "10,000 of 12,345 frames kept" when the history left frames out, else null. */
export function keptText(rec: Pick<WsRecording, "frames" | "totalFrames">): string | null {
  const kept = rec.frames.length;
  const total = Math.max(Number(rec.totalFrames), kept);
  return kept < total ? `${kept.toLocaleString("en-US")} of ${total.toLocaleString("en-US")} frames kept` : null;
}

/** How the recorded session ended: "Closed by the server: 4000 goodbye (…)", or why it never opened. */
export function recordedEnd(entry: Pick<HistoryEntry, "errorCode" | "errorMessage">, rec: WsRecording | null): string {
  if (rec && rec.closeCode !== null) {
    const by = rec.initiator === "server" ? "by the server" : rec.initiator === "client" ? "by you" : "abnormally";
    const meaning = closeMeaning(rec.closeCode);
    return `Closed ${by}: ${rec.closeCode}${rec.closeReason ? ` ${rec.closeReason}` : ""}${meaning ? ` (${meaning})` : ""}`;
  }
  if (entry.errorCode === "Cancelled") return "Cancelled while connecting";
  if (entry.errorCode) return `Could not connect (${entry.errorCode})`;
  return "Ended without a close";
}

/** Headers the handshake itself writes: not carried into a new request. */
const HANDSHAKE_HEADERS = new Set(["host", "upgrade", "connection", "sec-websocket-key", "sec-websocket-version", "sec-websocket-extensions", "sec-websocket-protocol"]);

/**
 * The request a Reconnect opens: as the user wrote it when the entry kept it, else the recorded
 * URL and headers (less the ones the handshake writes itself, the offered subprotocols back in
 * the settings); always a WebSocket request.
 */
export function reconnectRequest(entry: HistoryEntry, newId: () => string): Reopened {
  const reopened = reopenEntry(entry, newId);
  const websocket = reopened.parts.websocket ?? defaultWebSocket();
  if (entry.written !== null) return { ...reopened, parts: { ...reopened.parts, websocket } };
  const offered = entry.requestHeaders.find((h) => h.name.toLowerCase() === "sec-websocket-protocol")?.value ?? "";
  const subprotocols = offered.split(",").map((p) => p.trim()).filter((p) => p !== "");
  const headers = reopened.composer.headers.filter((h) => !HANDSHAKE_HEADERS.has(h.name.toLowerCase()));
  return {
    ...reopened,
    composer: { ...reopened.composer, method: "GET", headers },
    parts: { ...reopened.parts, websocket: { ...websocket, subprotocols } },
  };
}

/** A WebSocket row's second line in the history list: "3 frames · 4000 goodbye", "12,345 frames · 1006". */
export function wsRowText(summary: Pick<WsSessionSummary, "totalFrames" | "closeCode" | "closeReason"> | null): string | null {
  if (!summary) return null;
  const n = Number(summary.totalFrames);
  const frames = `${n.toLocaleString("en-US")} ${n === 1 ? "frame" : "frames"}`;
  if (summary.closeCode === null) return frames;
  const reason = summary.closeReason.length > 24 ? `${summary.closeReason.slice(0, 24)}…` : summary.closeReason;
  return `${frames} · ${summary.closeCode}${reason ? ` ${reason}` : ""}`;
}
