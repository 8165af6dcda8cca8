import { describe, expect, it } from "vitest";
import { defaultMode, looksBinary, truncateLongLines } from "./content";
import { formatBytes, statusClass, statusText } from "./format";
import { hexRow } from "./hex";
import { prettyJson } from "./json";
import { changedSettingsCount, defaultSettingsDraft, fromRequestSettings, settingsProblems, toRequestSettings } from "../composer/settings";
import { NO_LOOKUP, NO_TLS, NOT_MEASURED, waterfall } from "./timing";
import type { Timings } from "../../lib/bindings/Timings";

describe("prettyJson", () => {
  it("indents and keeps numbers and escapes exactly", () => {
    expect(prettyJson('{"big":12345678901234567890,"s":"a\\"b\\\\","e":[],"o":{},"n":[1,2.50e3]}')).toBe(
      '{\n  "big": 12345678901234567890,\n  "s": "a\\"b\\\\",\n  "e": [],\n  "o": {},\n  "n": [\n    1,\n    2.50e3\n  ]\n}',
    );
  });
  it("returns null for invalid or empty JSON", () => {
    expect(prettyJson('{"a":')).toBeNull();
    expect(prettyJson("  ")).toBeNull();
  });
  it("handles scalars and strings with structural characters", () => {
    expect(prettyJson(' "x{,}[:]" ')).toBe('"x{,}[:]"');
    expect(prettyJson("true")).toBe("true");
  });
});

describe("truncateLongLines", () => {
  it("leaves short text alone", () => {
    const t = "a\nb";
    expect(truncateLongLines(t, 10).text).toBe(t);
  });
  it("cuts long lines with a marker", () => {
    const r = truncateLongLines("short\n" + "x".repeat(25) + "\nend", 10);
    expect(r.truncatedLines).toBe(1);
    expect(r.text).toBe("short\n" + "x".repeat(10) + " … [15 more characters on this line]\nend");
  });
});

describe("content", () => {
  it("picks a mode", () => {
    expect(defaultMode("application/json; charset=utf-8", new Uint8Array())).toBe("pretty");
    expect(defaultMode("image/png", new Uint8Array())).toBe("preview");
    expect(defaultMode(null, new Uint8Array([0, 1, 2]))).toBe("hex");
    expect(defaultMode("text/plain", new Uint8Array([0]))).toBe("pretty");
    expect(looksBinary(new TextEncoder().encode("hello\n"))).toBe(false);
  });
});

describe("format", () => {
  it("status", () => {
    expect(statusClass(204)).toBe("success");
    expect(statusClass(301)).toBe("redirect");
    expect(statusClass(418)).toBe("client");
    expect(statusClass(503)).toBe("server");
    expect(statusText(200, "OK")).toBe("200 OK");
    expect(statusText(299, "")).toBe("299");
  });
  it("bytes", () => {
    expect(formatBytes(512)).toBe("512 B");
    expect(formatBytes(1536)).toBe("1.50 KB");
    expect(formatBytes(5 * 1024 * 1024)).toBe("5.00 MB");
  });
});

describe("hexRow", () => {
  it("formats offset, hex and ascii", () => {
    const bytes = new TextEncoder().encode("Hello, world!\n\u0000AB");
    expect(hexRow(bytes, 0)).toEqual({
      offset: "00000000",
      hex: "48 65 6c 6c 6f 2c 20 77  6f 72 6c 64 21 0a 00 41",
      ascii: "Hello, world!..A",
    });
    expect(hexRow(bytes, 1, 0x100).offset).toBe("00000110");
    expect(hexRow(bytes, 1).ascii).toBe("B");
  });
});

describe("waterfall", () => {
  const base: Timings = {
    dnsMs: 2,
    connectMs: 3,
    tlsMs: null,
    tlsInConnect: false,
    waitMs: 10,
    ttfbMs: 15,
    downloadMs: 5,
    totalMs: 20,
    reusedConnection: false,
  };
  it("marks unmeasured phases, never zero", () => {
    const rows = waterfall(base, 0);
    const tls = rows.find((r) => r.key === "tls")!;
    expect(tls.ms).toBeNull();
    expect(tls.note).toBe("not measured");
    expect(rows.map((r) => r.key)).toEqual(["dns", "connect", "tls", "wait", "download", "total"]);
  });
  it("says reused connection", () => {
    const rows = waterfall({ ...base, dnsMs: null, connectMs: null, reusedConnection: true }, 0);
    expect(rows.find((r) => r.key === "dns")!.note).toBe("reused connection");
  });
  it("labels TCP+TLS and adds redirect time", () => {
    const rows = waterfall({ ...base, tlsInConnect: true, totalMs: 40 }, 2);
    expect(rows[0]).toMatchObject({ key: "redirects", ms: 20, start: 0, width: 0.5 });
    expect(rows.find((r) => r.key === "connect")!.label).toBe("Connect (TCP+TLS)");
    expect(rows.find((r) => r.key === "download")).toMatchObject({ start: 35 / 40, width: 5 / 40 });
  });
});

describe("settings", () => {
  it("converts the defaults", () => {
    expect(toRequestSettings(defaultSettingsDraft())).toEqual({
      connectTimeoutMs: 30000,
      timeoutMs: null,
      followRedirects: true,
      maxRedirects: 10,
      verifyTls: true,
      httpVersion: "auto",
      proxy: { kind: "none" },
      proxyLoopback: false,
      resendFilesCrossOrigin: false,
      sseReconnect: "off",
      sseReconnectAttempts: 5,
    });
  });
  it("keeps event stream reconnection, and a draft from before it reads as the defaults", () => {
    const d = { ...defaultSettingsDraft(), sseReconnect: "dropped" as const, sseReconnectAttempts: "9" };
    const s = toRequestSettings(d);
    expect(s).toMatchObject({ sseReconnect: "dropped", sseReconnectAttempts: 9 });
    expect(fromRequestSettings(s)).toEqual(d);
    expect(changedSettingsCount(d)).toBe(2);
    expect(settingsProblems({ ...d, sseReconnectAttempts: "many" })).toHaveProperty("sseReconnectAttempts");
    const old = { ...defaultSettingsDraft() } as Partial<ReturnType<typeof defaultSettingsDraft>>;
    delete old.sseReconnect;
    delete old.sseReconnectAttempts;
    const oldDraft = old as ReturnType<typeof defaultSettingsDraft>;
    expect(toRequestSettings(oldDraft)).toMatchObject({ sseReconnect: "off", sseReconnectAttempts: 5 });
    expect(changedSettingsCount(oldDraft)).toBe(0);
  });
  it("reads numbers and proxy urls", () => {
    const d = { ...defaultSettingsDraft(), connectTimeoutMs: "", timeoutMs: "5000", proxyKind: "url" as const, proxyUrl: " http://p:3128 " };
    expect(toRequestSettings(d)).toMatchObject({ connectTimeoutMs: null, timeoutMs: 5000, proxy: { kind: "url", url: "http://p:3128" } });
    expect(settingsProblems({ ...d, timeoutMs: "5s" })).toHaveProperty("timeoutMs");
  });
});

describe("waterfall notes", () => {
  const t = {
    dnsMs: null,
    connectMs: 1,
    tlsMs: null,
    tlsInConnect: false,
    waitMs: 2,
    ttfbMs: 3,
    downloadMs: 1,
    totalMs: 4,
    reusedConnection: false,
  };
  it("says why DNS and TLS are absent on plain HTTP to an IP address", () => {
    const rows = waterfall(t, 0, "http://127.0.0.1:8000/x");
    expect(rows.find((r) => r.key === "dns")?.note).toBe(NO_LOOKUP);
    expect(rows.find((r) => r.key === "tls")?.note).toBe(NO_TLS);
  });
  it("keeps 'not measured' for a named host", () => {
    const rows = waterfall(t, 0, "https://example.test/");
    expect(rows.find((r) => r.key === "dns")?.note).toBe(NOT_MEASURED);
  });
});
