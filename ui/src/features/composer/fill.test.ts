import { describe, expect, it } from "vitest";
import type { PartRow } from "./body";
import { enabledAfterFill, fillPatch } from "./fill";
import type { ParamRow } from "./url";

function part(patch: Partial<PartRow> = {}): PartRow {
  return { id: "p", name: "cover", enabled: false, type: "file", text: "", path: "", filename: "", contentType: "", ...patch };
}

function param(patch: Partial<ParamRow> = {}): ParamRow {
  return { id: "h", name: "X-Trace", value: "", enabled: false, ...patch };
}

describe("a row turns itself on when the user fills it", () => {
  it("enables a disabled row whose value goes from empty to non-empty", () => {
    expect(enabledAfterFill(false, "", "a")).toBe(true);
    expect(fillPatch(param(), "value", "abc")).toEqual({ value: "abc", enabled: true });
  });

  it("enables a required file part when a file is chosen", () => {
    expect(fillPatch(part(), "path", "/tmp/cover.png")).toEqual({ path: "/tmp/cover.png", enabled: true });
    expect(fillPatch(part({ type: "text" }), "text", "hello")).toEqual({ text: "hello", enabled: true });
  });

  it("leaves a row the user switched off after filling it alone", () => {
    expect(enabledAfterFill(false, "abc", "abcd")).toBe(false);
    expect(fillPatch(param({ value: "abc" }), "value", "abcd")).toEqual({ value: "abcd" });
    expect(fillPatch(part({ path: "/tmp/a.png" }), "path", "/tmp/b.png")).toEqual({ path: "/tmp/b.png" });
  });

  it("never turns a row off, and emptying a value changes nothing else", () => {
    expect(enabledAfterFill(true, "abc", "")).toBe(true);
    expect(enabledAfterFill(false, "abc", "")).toBe(false);
    expect(fillPatch(param({ enabled: true }), "value", "x")).toEqual({ value: "x" });
    expect(fillPatch(param(), "value", "")).toEqual({ value: "" });
  });
});
