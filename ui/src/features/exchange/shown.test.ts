import { describe, expect, it } from "vitest";

import { PRETTY_LIMIT_CHARS } from "./content";
import { looksJson, shownText, type ShownInput } from "./shown";

const base: ShownInput = {
  mode: "pretty",
  text: '{"a":1}',
  contentType: "application/json",
  complete: true,
  size: 7,
  prettyActive: false,
  prettyText: null,
  prettyFallback: null,
};

describe("shownText", () => {
  it("pretty-prints a complete JSON body", () => {
    const s = shownText(base);
    expect(s?.json).toBe(true);
    expect(s?.text).toContain('\n  "a": 1');
    expect(s?.note).toBeNull();
  });

  it("shows the raw text of an incomplete JSON body and says why", () => {
    const s = shownText({ ...base, complete: false, size: 100 });
    expect(s?.text).toBe('{"a":1}');
    expect(s?.note).toMatch(/needs the whole body/);
  });

  it("says when a JSON body does not parse", () => {
    const s = shownText({ ...base, text: "{nope" });
    expect(s?.text).toBe("{nope");
    expect(s?.note).toMatch(/Not valid JSON/);
  });

  it("keeps raw mode raw", () => {
    expect(shownText({ ...base, mode: "raw" })).toMatchObject({ text: '{"a":1}', json: false });
  });

  it("has nothing to show for hex or before the mode is known", () => {
    expect(shownText({ ...base, mode: "hex" })).toBeNull();
    expect(shownText({ ...base, mode: null })).toBeNull();
  });

  it("waits for the backend's pretty text of a small body, shows the raw start of a big one", () => {
    expect(shownText({ ...base, prettyActive: true })).toBeNull();
    const big = shownText({ ...base, prettyActive: true, size: PRETTY_LIMIT_CHARS + 1 });
    expect(big?.note).toBe("Pretty-printing…");
    expect(shownText({ ...base, prettyActive: true, prettyText: "{\n}" })?.text).toBe("{\n}");
  });

  it("formats text/plain that parses as JSON, leaves other text alone", () => {
    expect(shownText({ ...base, contentType: "text/plain" })?.json).toBe(true);
    expect(shownText({ ...base, contentType: "text/plain", text: "{x" })?.json).toBe(false);
    expect(shownText({ ...base, contentType: "text/html", text: "<p>" })?.json).toBe(false);
  });

  it("shows the backend's reason when it could not pretty-print", () => {
    expect(shownText({ ...base, prettyFallback: "Nesting too deep" })?.note).toBe("Nesting too deep");
  });
});

describe("looksJson", () => {
  it("trusts a JSON content type and sniffs untyped or plain text", () => {
    expect(looksJson("application/problem+json", "x")).toBe(true);
    expect(looksJson(null, "  [1]")).toBe(true);
    expect(looksJson("text/csv", "[1]")).toBe(false);
  });
});
