import { describe, expect, it } from "vitest";

import type { StreamRecord } from "../../lib/bindings/StreamRecord";
import { FilteredRecords, RecordLog, eventTypes, filterRecords, formatAt, prettyData, reconnectText, streamKindOf, visibleRange } from "./log";

function rec(index: number, data: string, extra: Partial<StreamRecord> = {}): StreamRecord {
  return { index, atMs: index * 10, event: null, id: null, data, retryMs: null, offset: index * 20, problem: null, ...extra };
}

describe("streamKindOf", () => {
  it("reads the framing with or without parameters", () => {
    expect(streamKindOf("text/event-stream; charset=utf-8")).toBe("sse");
    expect(streamKindOf("Text/Event-Stream")).toBe("sse");
    expect(streamKindOf("application/x-ndjson")).toBe("ndjson");
    expect(streamKindOf("application/jsonl")).toBe("ndjson");
    expect(streamKindOf("application/json-seq")).toBe("jsonSeq");
    expect(streamKindOf("application/json")).toBeNull();
    expect(streamKindOf(null)).toBeNull();
  });
});

describe("RecordLog", () => {
  it("keeps batches in order and counts them", () => {
    const log = new RecordLog("sse");
    log.append([rec(0, "a"), rec(1, "b")], 2);
    log.append([rec(2, "c")], 3);
    expect(log.records.map((r) => r.data)).toEqual(["a", "b", "c"]);
    expect(log.total).toBe(3);
    expect(log.dropped).toBe(0);
  });

  it("drops the oldest past its cap and says how many are only in the file", () => {
    const log = new RecordLog("ndjson", 100);
    for (let b = 0; b < 25; b++) log.append(Array.from({ length: 10 }, (_, i) => rec(b * 10 + i, `r${b * 10 + i}`)));
    expect(log.records.length).toBe(100);
    expect(log.dropped).toBe(150);
    expect(log.total).toBe(250);
    expect(log.records[0].data).toBe("r150");
    expect(log.records[99].data).toBe("r249");
  });

  it("measures a rate from arrival times, none from records read back", () => {
    const log = new RecordLog("sse");
    log.append([rec(0, "a", { atMs: 0 }), rec(1, "b", { atMs: 500 }), rec(2, "c", { atMs: 1000 })]);
    expect(log.rate()).toBe(2);
    const stored = new RecordLog("sse");
    stored.append([rec(0, "a", { atMs: null }), rec(1, "b", { atMs: null })]);
    expect(stored.rate()).toBeNull();
  });

  it("keeps its event types and rate per batch as a rescan of the kept records finds them", () => {
    const log = new RecordLog("sse", 6);
    const types = ["a", "b", "a", null, "c", "a", "a", "a", "a", "d", "a", "a"];
    const all = types.map((event, i) => rec(i, `r${i}`, { event, atMs: i * 100, ...(i === 4 ? { reconnect: 1 } : {}) }));
    const seen: string[][] = [];
    for (let i = 0; i < all.length; i += 2) {
      log.append(all.slice(i, i + 2));
      expect(log.types()).toEqual(eventTypes(log.records));
      seen.push(log.types());
      const span = (log.records[log.records.length - 1].atMs as number) - (log.records[0].atMs as number);
      expect(log.rate()).toBeCloseTo(((log.records.length - 1) * 1000) / span);
    }
    // "b", "message" and "c" (a marker is no type) went with the oldest records; "d" came late.
    expect(seen[1]).toEqual(["a", "b", "message"]);
    expect(log.types()).toEqual(["a", "d"]);
    expect(log.dropped).toBe(6);
  });
});

describe("filters", () => {
  const records = [
    rec(0, '{"token":"Hello"}', { event: "token", id: "1" }),
    rec(1, '{"token":"world"}', { event: "token", id: "2" }),
    rec(2, "plain", {}),
    rec(3, '{"done":true}', { event: "done" }),
  ];

  it("by type, with message for events without one", () => {
    expect(filterRecords(records, { type: "token", text: "" }).map((r) => r.index)).toEqual([0, 1]);
    expect(filterRecords(records, { type: "message", text: "" }).map((r) => r.index)).toEqual([2]);
    expect(eventTypes(records)).toEqual(["token", "message", "done"]);
  });

  it("by text in the data, type or id, case-insensitively, combined with the type", () => {
    expect(filterRecords(records, { type: "", text: "WORLD" }).map((r) => r.index)).toEqual([1]);
    expect(filterRecords(records, { type: "", text: "done" }).map((r) => r.index)).toEqual([3]);
    expect(filterRecords(records, { type: "done", text: "hello" })).toEqual([]);
    expect(filterRecords(records, { type: "", text: "" })).toBe(records);
  });
});

describe("FilteredRecords", () => {
  it("follows a capped live log batch by batch as filterRecords over the kept records does", () => {
    const log = new RecordLog("sse", 20);
    const view = new FilteredRecords();
    const filters = [
      { type: "tick", text: "" },
      { type: "", text: "7" },
      { type: "tock", text: "1" },
      { type: "", text: "" },
    ];
    for (let b = 0; b < 12; b++) {
      const batch = Array.from({ length: 7 }, (_, i) => {
        const n = b * 7 + i;
        return rec(n, `r${n}`, { event: n % 3 === 0 ? "tock" : "tick", ...(n === 30 ? { reconnect: 1 } : {}) });
      });
      log.append(batch);
      const filter = filters[Math.floor(b / 3)];
      expect(view.of(log, filter).map((r) => r.index)).toEqual(filterRecords(log.records, filter).map((r) => r.index));
    }
    const other = new RecordLog("sse");
    other.append([rec(0, "x", { event: "tick" }), rec(1, "y", { event: "tock" })]);
    expect(view.of(other, { type: "tock", text: "" }).map((r) => r.data)).toEqual(["y"]);
  });
});

describe("reconnection markers", () => {
  const records = [
    rec(0, "a", { event: "tick", id: "1" }),
    rec(1, "", { id: "1", reconnect: 1 }),
    rec(2, "b", { event: "tick", id: "2" }),
  ];

  it("say the attempt and the Last-Event-ID sent, stay through filters and are no event type", () => {
    expect(reconnectText(records[1])).toBe("↻ reconnected (attempt 1) with Last-Event-ID 1");
    expect(reconnectText(rec(0, "", { reconnect: 2 }))).toBe("↻ reconnected (attempt 2)");
    expect(reconnectText(records[0])).toBeNull();
    expect(filterRecords(records, { type: "tick", text: "b" }).map((r) => r.index)).toEqual([1, 2]);
    expect(eventTypes(records)).toEqual(["tick"]);
  });
});

describe("view helpers", () => {
  it("pretty-prints JSON data and leaves the rest", () => {
    expect(prettyData('{"a":[1,2]}')).toEqual({ text: '{\n  "a": [\n    1,\n    2\n  ]\n}', json: true });
    expect(prettyData("[DONE]")).toEqual({ text: "[DONE]", json: false });
    expect(prettyData("hello")).toEqual({ text: "hello", json: false });
  });

  it("renders only the rows in view, with some overscan", () => {
    expect(visibleRange(0, 280, 28, 100_000, 5)).toEqual({ start: 0, end: 15 });
    expect(visibleRange(28 * 1000, 280, 28, 100_000, 5)).toEqual({ start: 995, end: 1015 });
    expect(visibleRange(28 * 99_990, 280, 28, 100_000, 5)).toEqual({ start: 99_985, end: 100_000 });
    expect(visibleRange(0, 280, 28, 3, 5)).toEqual({ start: 0, end: 3 });
  });

  it("formats arrival times", () => {
    expect(formatAt(340.4)).toBe("+340 ms");
    expect(formatAt(1250)).toBe("+1.25 s");
    expect(formatAt(null)).toBe("");
  });
});
