import { describe, expect, it } from "vitest";
import type { HistoryEntry } from "../../lib/bindings/HistoryEntry";
import type { WsRecording } from "../../lib/bindings/WsRecording";
import { emptySaved } from "../composer/composer";
import { handshakeFromEntry, isWsEntry, keptText, reconnectRequest, recordedEnd, wsRowText } from "./recording";
import { defaultWebSocket } from "./ws";

function entry(extra: Partial<HistoryEntry> = {}): HistoryEntry {
  return {
    id: 9,
    atMs: 0,
    source: "app",
    collection: null,
    method: "WS",
    url: "ws://127.0.0.1:8000/ws/echo",
    host: "127.0.0.1",
    requestHeaders: [
      { name: "Host", value: "127.0.0.1:8000" },
      { name: "Sec-WebSocket-Key", value: "abc" },
      { name: "Sec-WebSocket-Protocol", value: "chat.v1, chat.v2" },
      { name: "X-Room", value: "blue" },
    ],
    requestBody: null,
    written: null,
    status: 101,
    responseHeaders: [
      { name: "Sec-WebSocket-Protocol", value: "chat.v2" },
      { name: "Sec-WebSocket-Extensions", value: "permessage-deflate; client_max_window_bits, x-other" },
    ],
    responseBodyText: "hello\n",
    responseId: null,
    bodySize: 5,
    durationMs: 120,
    timings: null,
    errorCode: null,
    errorMessage: null,
    ...extra,
  };
}

function recording(extra: Partial<WsRecording> = {}): WsRecording {
  return { entryId: 9, frames: [], totalFrames: 0, frameCap: 10_000, closeCode: 4000, closeReason: "goodbye", initiator: "server", ...extra };
}

let n = 0;
const newId = () => `k${++n}`;

describe("a recorded session", () => {
  it("is told by its method", () => {
    expect(isWsEntry({ method: "WS" })).toBe(true);
    expect(isWsEntry({ method: "GET" })).toBe(false);
  });

  it("rebuilds the handshake from the entry's headers", () => {
    const h = handshakeFromEntry(entry());
    expect(h.url).toBe("ws://127.0.0.1:8000/ws/echo");
    expect(h.status).toBe(101);
    expect(h.subprotocol).toBe("chat.v2");
    expect(h.extensions).toEqual(["permessage-deflate; client_max_window_bits", "x-other"]);
    expect(h.requestHeaders).toHaveLength(4);
  });

  it("says how many frames the history kept only when it left some out", () => {
    const frame = { seq: 0, direction: "sent" as const, opcode: "text" as const, atMs: 0, size: 1, data: "x", truncated: false };
    expect(keptText(recording({ frames: [frame], totalFrames: 1 }))).toBeNull();
    const frames = Array.from({ length: 10_000 }, (_, i) => ({ ...frame, seq: i }));
    expect(keptText(recording({ frames, totalFrames: 12_345 }))).toBe("10,000 of 12,345 frames kept");
  });

  it("says how it ended: who closed with what, or why it never opened", () => {
    expect(recordedEnd(entry(), recording())).toBe("Closed by the server: 4000 goodbye");
    expect(recordedEnd(entry(), recording({ closeCode: 1000, closeReason: "", initiator: "client" }))).toBe("Closed by you: 1000 (normal closure)");
    expect(recordedEnd(entry({ errorCode: "Connect" }), recording({ closeCode: 1006, closeReason: "", initiator: "abnormal" }))).toBe(
      "Closed abnormally: 1006 (connection dropped without a close frame)",
    );
    expect(recordedEnd(entry({ status: null, errorCode: "Protocol", errorMessage: "HTTP 403" }), null)).toBe("Could not connect (Protocol)");
    expect(recordedEnd(entry({ status: null, errorCode: "Cancelled" }), null)).toBe("Cancelled while connecting");
  });

  it("reads as frames and close in its history row", () => {
    expect(wsRowText(null)).toBeNull();
    expect(wsRowText({ totalFrames: 1, closeCode: null, closeReason: "" })).toBe("1 frame");
    expect(wsRowText({ totalFrames: 12_345, closeCode: 4000, closeReason: "goodbye" })).toBe("12,345 frames · 4000 goodbye");
  });
});

describe("reconnectRequest", () => {
  it("reopens the request as written, always as a WebSocket request", () => {
    const saved = { ...emptySaved(), request: { ...emptySaved().request, url: "ws://{{host}}/ws/echo" }, websocket: { ...defaultWebSocket(), subprotocols: ["a"] } };
    const r = reconnectRequest(entry({ written: { saved, path: "api/chat.yaml", environment: null } }), newId);
    expect(r.composer.url).toBe("ws://{{host}}/ws/echo");
    expect(r.parts.websocket?.subprotocols).toEqual(["a"]);
    expect(r.origin).toBe("api/chat.yaml");
    const plain = { ...saved, websocket: null };
    expect(reconnectRequest(entry({ written: { saved: plain, path: null, environment: null } }), newId).parts.websocket).toEqual(defaultWebSocket());
  });

  it("without the request as written, keeps the URL and the user's headers, not the handshake's", () => {
    const r = reconnectRequest(entry(), newId);
    expect(r.composer.method).toBe("GET");
    expect(r.composer.url).toBe("ws://127.0.0.1:8000/ws/echo");
    expect(r.composer.headers.map((h) => h.name)).toEqual(["X-Room"]);
    expect(r.parts.websocket?.subprotocols).toEqual(["chat.v1", "chat.v2"]);
  });
});
