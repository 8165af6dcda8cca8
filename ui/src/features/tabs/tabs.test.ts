import { describe, expect, it } from "vitest";
import { baseName, cycleTab, loadEnvChoice, loadExpanded, newTabKey, nextActiveAfterClose, saveEnvChoice, saveExpanded, stripLabel, tabTitle, urlPath, type KeyValueStore } from "./tabs";

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

describe("tab titles", () => {
  it("take the path of a URL: no scheme, host, base variable, query or fragment; templates stay", () => {
    expect(urlPath("https://shop.example.com:8443/api/products/{{product_id}}?x=1#top")).toBe("/api/products/{{product_id}}");
    expect(urlPath("{{baseUrl}}/items/{{id}}")).toBe("/items/{{id}}");
    expect(urlPath("localhost:8000/items?limit=2")).toBe("/items");
    expect(urlPath("/relative")).toBe("/relative");
    expect(urlPath("http://127.0.0.1:8000")).toBe("/");
    expect(urlPath("{{baseUrl}}?q=1")).toBe("/");
  });

  it("prefer the name, then the file, then METHOD /path, then New request", () => {
    const url = "http://127.0.0.1:8000/items/{{id}}?full=1";
    expect(tabTitle({ name: "Get an item", path: null, method: "GET", url })).toBe("Get an item");
    expect(tabTitle({ name: "", path: "demo/items/get-item.yaml", method: "GET", url })).toBe("get-item");
    // A file may be called "New request"; an unsaved tab with that name has no name of its own.
    expect(tabTitle({ name: "New request", path: "demo/new-request.yaml", method: "GET", url })).toBe("New request");
    expect(tabTitle({ name: "New request", path: null, method: "delete", url })).toBe("DELETE /items/{{id}}");
    expect(tabTitle({ name: "  ", path: null, method: "", url })).toBe("GET /items/{{id}}");
    expect(tabTitle({ name: "New request", path: null, method: "GET", url: " " })).toBe("New request");
    // Beside its method badge the strip shows the path alone.
    expect(stripLabel({ name: "New request", path: null, method: "delete", url })).toBe("/items/{{id}}");
    expect(stripLabel({ name: "Get an item", path: null, method: "GET", url })).toBe("Get an item");
  });
});
