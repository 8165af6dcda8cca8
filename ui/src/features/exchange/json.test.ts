import { describe, expect, it } from "vitest";

import {
  FIRST_PRETTY_WINDOW,
  formatJson,
  MAX_INDENT_DEPTH,
  nextPrettyRead,
  PRETTY_OUTPUT_LIMIT_CHARS,
  PRETTY_WINDOW,
  prettyJson,
  SERVER_PRETTY_FROM,
  serverPrettyFallbackNote,
  usesServerPretty,
} from "./json";

/** The text less the whitespace outside strings: what pretty-printing must keep exactly. */
function strip(json: string): string {
  return json.replace(/"(?:[^"\\]|\\.)*"|\s+/g, (m) => (m.startsWith('"') ? m : ""));
}

/** About `bytes` of JSON nested as deep as it goes: objects holding arrays holding objects… */
function deeplyNested(bytes: number): string {
  const open = '{"k y":[';
  const close = "]}";
  const depth = Math.floor(bytes / (open.length + close.length));
  return open.repeat(depth) + '12345678901234567890.5e-3, "a [b] {c}: d,\\" e"' + close.repeat(depth);
}

const leadingSpaces = (line: string) => line.length - line.trimStart().length;

describe("formatJson: hostile nesting", () => {
  it("pretty-prints 40 KB nested 8,000 levels deep within a bounded size", () => {
    const src = deeplyNested(40 * 1024);
    const r = formatJson(src);
    if (r.kind !== "ok") throw new Error(`expected ok, got ${r.kind}`);
    expect(r.deep).toBe(true);
    // Indentation stops growing at MAX_INDENT_DEPTH, so each line is at most that indent plus
    // its own text: linear in the input, where indenting every level needed gigabytes.
    const lines = r.text.split("\n");
    expect(Math.max(...lines.map(leadingSpaces))).toBe(2 * MAX_INDENT_DEPTH);
    expect(r.text.length).toBeLessThan(src.length * (2 * MAX_INDENT_DEPTH + 4));
    expect(strip(r.text)).toBe(strip(src));
    expect(r.text).toContain('12345678901234567890.5e-3,\n');
    expect(r.text).toContain('"a [b] {c}: d,\\" e"');
    // Shallow levels still look as before.
    expect(lines.slice(0, 3)).toEqual(["{", '  "k y": [', "    {"]);
  });

  it("reports output past the limit instead of building it", () => {
    const src = "[".repeat(MAX_INDENT_DEPTH + 2) + "1,".repeat(300_000) + "1" + "]".repeat(MAX_INDENT_DEPTH + 2);
    const r = formatJson(src);
    expect(r).toEqual({ kind: "too-large", limit: PRETTY_OUTPUT_LIMIT_CHARS });
    expect(prettyJson(src)).toBeNull();
    expect(formatJson('{"a":[1,2]}', 2, 10)).toEqual({ kind: "too-large", limit: 10 });
    expect(formatJson('"' + "x".repeat(20) + '"', 2, 10)).toEqual({ kind: "too-large", limit: 10 });
  });

  it("tells invalid JSON apart and keeps shallow output unchanged", () => {
    expect(formatJson('{"a":')).toEqual({ kind: "invalid" });
    expect(formatJson("")).toEqual({ kind: "invalid" });
    expect(formatJson('{"a":[1,{"b":null}]}')).toEqual({ kind: "ok", text: '{\n  "a": [\n    1,\n    {\n      "b": null\n    }\n  ]\n}', deep: false });
  });
});

describe("backend pretty text for big bodies", () => {
  it("is used for stored JSON bodies over 1 MiB only", () => {
    expect(usesServerPretty(true, SERVER_PRETTY_FROM + 1, false)).toBe(true);
    expect(usesServerPretty(true, SERVER_PRETTY_FROM, false)).toBe(false);
    expect(usesServerPretty(false, 10 * SERVER_PRETTY_FROM, false)).toBe(false);
    expect(usesServerPretty(true, 10 * SERVER_PRETTY_FROM, true)).toBe(false);
  });

  it("asks for a short first window, then full ones, within the budget", () => {
    expect(nextPrettyRead(0, null, Infinity, true)).toBe(FIRST_PRETTY_WINDOW);
    expect(nextPrettyRead(100, 5_000_000, Infinity, false)).toBe(PRETTY_WINDOW);
    expect(nextPrettyRead(100, 5_000_000, 10, false)).toBe(10);
    expect(nextPrettyRead(5_000_000, 5_000_000, Infinity, false)).toBeNull();
    expect(nextPrettyRead(100, 5_000_000, 0, false)).toBeNull();
  });

  it("says why the raw text is shown instead", () => {
    expect(serverPrettyFallbackNote({ code: "InvalidFile", message: "x" })).toBe("Not valid JSON; showing the raw text.");
    expect(serverPrettyFallbackNote({ code: "TooLarge", message: "budget" })).toContain("Too large to pretty-print");
    expect(serverPrettyFallbackNote({ code: "Io", message: "disk" })).toContain("disk");
  });
});
