import { describe, expect, it } from "vitest";

import { formatJson, MAX_INDENT_DEPTH, PRETTY_OUTPUT_LIMIT_CHARS, prettyJson } from "./json";

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
