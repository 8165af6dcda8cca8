import { describe, expect, it } from "vitest";
import { fuzzyFilter, fuzzyMatch, highlightRuns } from "./fuzzy";

describe("fuzzyMatch", () => {
  it("matches characters in order, case-insensitively", () => {
    expect(fuzzyMatch("cu", "Create user")?.positions).toEqual([0, 7]);
    expect(fuzzyMatch("uc", "Create user")).toBeNull();
  });

  it("ignores spaces in the query and matches everything with an empty query", () => {
    expect(fuzzyMatch("cr us", "Create user")).not.toBeNull();
    expect(fuzzyMatch("", "x")).toEqual({ score: 0, positions: [] });
  });

  it("scores consecutive and word-start matches higher", () => {
    const tight = fuzzyMatch("user", "demo/Get user")!;
    const loose = fuzzyMatch("user", "demo/Update session report")!;
    expect(tight.score).toBeGreaterThan(loose.score);
  });
});

describe("fuzzyFilter", () => {
  it("drops non-matches and sorts best first", () => {
    const items = ["Delete item", "List items", "Get user", "items"];
    const out = fuzzyFilter(items, "items", (s) => s).map((r) => r.item);
    expect(out).toEqual(["items", "List items"]);
  });

  it("keeps the input order for an empty query", () => {
    expect(fuzzyFilter(["b", "a"], "", (s) => s).map((r) => r.item)).toEqual(["b", "a"]);
  });
});

describe("highlightRuns", () => {
  it("groups matched characters into runs", () => {
    expect(highlightRuns("abcd", [0, 1, 3])).toEqual([
      { text: "ab", hit: true },
      { text: "c", hit: false },
      { text: "d", hit: true },
    ]);
  });
});
