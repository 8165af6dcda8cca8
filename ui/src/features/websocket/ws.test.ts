import { describe, expect, it } from "vitest";
import type { WsFrame } from "../../lib/bindings/WsFrame";
import type { WsHandshake } from "../../lib/bindings/WsHandshake";
import { emptySaved } from "../composer/composer";
import {
  appendFrames,
  applyWsEvent,
  closeCodeProblem,
  closeReasonProblem,
  connectingSession,
  emptyWebSocketSaved,
  filterFrames,
  formatOffset,
  frameSaveNote,
  hexToBytes,
  isWsUrl,
  messageProblem,
  nextMessageName,
  pingPayloadProblem,
  prettyJson,
  statusText,
  visibleRange,
} from "./ws";

const frame = (seq: number, over: Partial<WsFrame> = {}): WsFrame => ({
  seq,
  direction: "received",
  opcode: "text",
  atMs: seq * 10,
  size: 2,
  data: `m${seq}`,
  truncated: false,
  ...over,
});

const handshake: WsHandshake = {
  url: "ws://127.0.0.1:1/ws",
  status: 101,
  requestHeaders: [],
  responseHeaders: [],
  subprotocol: null,
  extensions: [],
  remoteAddr: null,
  connectMs: 1,
  handshakeMs: 2,
  warnings: [],
};

describe("websocket requests", () => {
  it("knows a WebSocket URL by its scheme", () => {
    expect(isWsUrl("ws://localhost:8000/ws")).toBe(true);
    expect(isWsUrl("  WSS://example.com")).toBe(true);
    expect(isWsUrl("https://example.com/ws")).toBe(false);
    expect(isWsUrl("{{base}}/ws")).toBe(false);
  });

  it("turns a new request into a WebSocket one, keeping what was typed", () => {
    const saved = emptyWebSocketSaved(emptySaved(), "ws://h/x");
    expect(saved.name).toBe("New request");
    expect(saved.request.url).toBe("ws://h/x");
    expect(saved.websocket?.autoPong).toBe(true);
    expect(saved.websocket?.messages).toEqual([]);
    expect(emptyWebSocketSaved(emptySaved("Chat")).name).toBe("Chat");
    expect(emptyWebSocketSaved(emptySaved()).request.url).toBe("");
    expect(saved.request.body).toEqual({ kind: "none" });
  });
});

describe("messages", () => {
  it("validates JSON, allowing {{variables}} as values", () => {
    expect(messageProblem("json", '{"a": 1}')).toBeNull();
    expect(messageProblem("json", '{"a": {{n}}, "b": "{{s}}"}')).toBeNull();
    expect(messageProblem("json", '{"a": ')).toMatch(/Not valid JSON/);
    expect(messageProblem("json", "  ")).toMatch(/Enter/);
    expect(messageProblem("text", "")).toBeNull();
  });

  it("checks hex digits and pairs", () => {
    expect(messageProblem("binaryHex", "de ad be ef")).toBeNull();
    expect(messageProblem("binaryHex", "abc")).toMatch(/odd/);
    expect(messageProblem("binaryHex", "zz")).toMatch(/hex digits/);
    expect(messageProblem("binaryFile", "")).toMatch(/file/);
  });

  it("allows the close codes a client may send", () => {
    expect(closeCodeProblem(1000)).toBeNull();
    expect(closeCodeProblem(4000)).toBeNull();
    expect(closeCodeProblem(1001)).toBeNull();
    expect(closeCodeProblem(1006)).not.toBeNull();
    expect(closeCodeProblem(1015)).not.toBeNull();
    expect(closeCodeProblem(5000)).not.toBeNull();
    expect(closeReasonProblem("goodbye")).toBeNull();
    expect(closeReasonProblem("é".repeat(62))).not.toBeNull();
  });

  it("names new saved messages after the free number", () => {
    expect(nextMessageName([])).toBe("Message 1");
    expect(nextMessageName(["Message 1", "Message 3"])).toBe("Message 2");
  });
});

describe("the session", () => {
  it("follows its events: open, frames, a server close with code and reason", () => {
    let s = connectingSession("s1");
    expect(statusText(s)).toBe("Connecting…");
    s = applyWsEvent(s, { event: "open", handshake });
    expect(s.status).toBe("open");
    expect(statusText(s)).toBe("Connected");
    s = applyWsEvent(s, { event: "frames", frames: [frame(0), frame(1)], dropped: 0 });
    expect(s.frames.map((f) => f.seq)).toEqual([0, 1]);
    s = applyWsEvent(s, { event: "closed", code: 4000, reason: "goodbye", initiator: "server", error: null });
    expect(s.status).toBe("closed");
    expect(statusText(s)).toBe("Closed by the server: 4000 goodbye");
  });

  it("says an abnormal close is one", () => {
    const s = applyWsEvent(connectingSession("s"), {
      event: "closed",
      code: 1006,
      reason: "",
      initiator: "abnormal",
      error: { code: "Protocol", message: "the connection dropped" },
    });
    expect(statusText(s)).toBe("Closed abnormally: 1006");
    expect(s.closed?.error?.message).toBe("the connection dropped");
  });

  it("caps the log, counting what it dropped with the engine's count", () => {
    let s = connectingSession("s");
    s = applyWsEvent(s, { event: "frames", frames: [frame(0), frame(1), frame(2)], dropped: 5 }, 2);
    expect(s.frames.map((f) => f.seq)).toEqual([1, 2]);
    expect(s.dropped).toBe(6);
    expect(appendFrames([frame(0)], [frame(1)], 5)).toEqual({ frames: [frame(0), frame(1)], dropped: 0 });
  });

  it("counts reconnect attempts", () => {
    const s = applyWsEvent(connectingSession("s"), { event: "reconnecting", attempt: 2, inMs: 1500 });
    expect(statusText(s)).toBe("Reconnecting in 1.5 s (attempt 2)");
  });
});

describe("the log", () => {
  const frames = [
    frame(0, { direction: "sent", data: '{"hello":1}' }),
    frame(1, { data: '{"hello":1}' }),
    frame(2, { opcode: "ping", data: "" }),
    frame(3, { opcode: "binary", data: "00ff" }),
  ];

  it("filters by direction, opcode and text", () => {
    const all = { direction: "all" as const, opcodes: new Set<never>(), text: "" };
    expect(filterFrames(frames, all)).toBe(frames);
    expect(filterFrames(frames, { ...all, direction: "sent" }).map((f) => f.seq)).toEqual([0]);
    expect(filterFrames(frames, { ...all, opcodes: new Set(["ping", "binary"] as const) }).map((f) => f.seq)).toEqual([2, 3]);
    expect(filterFrames(frames, { ...all, text: "HELLO" }).map((f) => f.seq)).toEqual([0, 1]);
  });

  it("formats offsets, JSON and hex", () => {
    expect(formatOffset(42)).toBe("+0.042 s");
    expect(formatOffset(125_000)).toBe("+2:05.000");
    expect(prettyJson('{"a":[1]}')).toBe('{\n  "a": [\n    1\n  ]\n}');
    expect(prettyJson("hello")).toBeNull();
    expect(prettyJson("{bad")).toBeNull();
    expect([...hexToBytes("00ff10")]).toEqual([0, 255, 16]);
  });

  it("draws only the rows in view", () => {
    expect(visibleRange(0, 100, 20, 1000, 2)).toEqual([0, 7]);
    expect(visibleRange(2000, 100, 20, 1000, 2)).toEqual([98, 107]);
    expect(visibleRange(0, 100, 20, 3, 2)).toEqual([0, 3]);
  });
});

describe("ping payloads, cancelled connects and saved binary frames", () => {
  it("a ping payload is at most 125 bytes of UTF-8", () => {
    expect(pingPayloadProblem("")).toBeNull();
    expect(pingPayloadProblem("x".repeat(125))).toBeNull();
    expect(pingPayloadProblem("é".repeat(63))).toBe("A ping carries at most 125 bytes (this is 126).");
  });

  it("a connect cancelled while it ran reads Cancelled, not a failure", () => {
    const s = { ...connectingSession("s1"), status: "closed" as const, error: { code: "Cancelled" as const, message: "cancelled" } };
    expect(statusText(s)).toBe("Cancelled");
    expect(statusText({ ...s, error: { code: "Connect" as const, message: "refused" } })).toBe("Could not connect");
  });

  it("saving a frame the log cut says how much of it is saved", () => {
    expect(frameSaveNote(frame(0, { opcode: "binary", data: "00ff", size: 2 }))).toBeNull();
    expect(frameSaveNote(frame(0, { opcode: "binary", data: "00ff10", size: 70_000, truncated: true }))).toBe(
      "Only the first 3 of 70,000 bytes were kept by the log: those are saved.",
    );
  });
});
