import { describe, expect, it } from "vitest";
import { baseName, cycleTab, loadEnvChoice, loadExpanded, newTabKey, nextActiveAfterClose, saveEnvChoice, saveExpanded, type KeyValueStore } from "./tabs";

const tabs = [
  { key: "a", path: null },
  { key: "b", path: "demo/b.yaml" },
  { key: "c", path: null },
];

function memoryStore(): KeyValueStore & { data: Map<string, string> } {
  const data = new Map<string, string>();
  return {
    data,
    getItem: (k) => data.get(k) ?? null,
    setItem: (k, v) => void data.set(k, v),
    removeItem: (k) => void data.delete(k),
  };
}

describe("tabs", () => {
  it("activates the right neighbour, else the left one, after a close", () => {
    expect(nextActiveAfterClose(tabs, "b", "b")).toBe("c");
    expect(nextActiveAfterClose(tabs, "c", "c")).toBe("b");
    expect(nextActiveAfterClose(tabs, "a", "c")).toBe("c");
    expect(nextActiveAfterClose([{ key: "a", path: null }], "a", "a")).toBeNull();
  });

  it("cycles both ways, wrapping", () => {
    expect(cycleTab(tabs, "c", 1)).toBe("a");
    expect(cycleTab(tabs, "a", -1)).toBe("c");
    expect(cycleTab([], null, 1)).toBeNull();
  });

  it("makes distinct keys", () => {
    expect(newTabKey(1)).not.toBe(newTabKey(1));
  });

  it("names a tab after its file", () => {
    expect(baseName("demo/items/create-item.yaml")).toBe("create-item");
  });
});

describe("remembered choices", () => {
  it("remembers the environment per collection and forgets it for none", () => {
    const s = memoryStore();
    saveEnvChoice(s, "demo", "staging");
    saveEnvChoice(s, "other", "local");
    expect(loadEnvChoice(s, "demo")).toBe("staging");
    saveEnvChoice(s, "demo", null);
    expect(loadEnvChoice(s, "demo")).toBeNull();
    expect(loadEnvChoice(s, "other")).toBe("local");
    expect(loadEnvChoice(null, "demo")).toBeNull();
  });

  it("round-trips the expanded folders and survives junk", () => {
    const s = memoryStore();
    saveExpanded(s, new Set(["demo", "demo/items"]));
    expect([...loadExpanded(s)]).toEqual(["demo", "demo/items"]);
    s.setItem("sextant.tree.expanded", "{not json");
    expect(loadExpanded(s).size).toBe(0);
  });
});
