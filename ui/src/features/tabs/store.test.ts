// The tabs store without the Rust side: opening, replacing content one way, closing, and
// following the tree's moves and deletes (the events the collections store emits).
import { describe, expect, it } from "vitest";
import { emit, on } from "../../lib/events";
import { newId } from "../../lib/ids";
import { composerFromRequest, emptySaved } from "../composer/composer";
import { tabs } from "./store.svelte";

function fresh() {
  for (const t of [...tabs.list]) tabs.closeTab(t.key);
}

describe("tabs store", () => {
  it("a new tab is active and clean", () => {
    fresh();
    const tab = tabs.newTab();
    expect(tabs.activeKey).toBe(tab.key);
    expect(tab.dirty).toBe(false);
    expect(tabs.target().key).toBe(tab.key); // no file: requests from elsewhere go here
  });

  it("replaceContent swaps the composer and the given parts, keeps the clean state and a file's name", () => {
    fresh();
    const tab = tabs.newTab(emptySaved("Mine"));
    const before = tab.generation;
    const req = { ...emptySaved().request, url: "http://127.0.0.1:1/x" };
    tabs.replaceContent(tab.key, composerFromRequest(req, newId), { auth: { kind: "bearer", token: "t" }, name: "Other" });
    expect(tab.composer.url).toBe("http://127.0.0.1:1/x");
    expect(tab.saved.auth).toEqual({ kind: "bearer", token: "t" });
    expect(tab.saved.name).toBe("Other"); // unsaved: the name comes along
    expect(tab.generation).toBe(before + 1);
    expect(tab.dirty).toBe(true);

    tab.attach("c/r.yaml", "rev");
    tabs.replaceContent(tab.key, composerFromRequest(req, newId), { name: "Third" });
    expect(tab.saved.name).toBe("Other"); // a file keeps its name
  });

  it("closing emits tabClosed and activates a neighbour", () => {
    fresh();
    const a = tabs.newTab();
    const b = tabs.newTab();
    const closed: string[] = [];
    const off = on("tabClosed", ({ key }) => closed.push(key));
    tabs.closeTab(b.key);
    off();
    expect(closed).toEqual([b.key]);
    expect(tabs.activeKey).toBe(a.key);
  });

  it("follows moves and deletes in the tree", () => {
    fresh();
    const clean = tabs.newTab();
    clean.attach("c/f/a.yaml", "1");
    const dirty = tabs.newTab();
    dirty.attach("c/f/b.yaml", "1");
    dirty.composer.url = "http://127.0.0.1:1/changed";
    emit("itemMoved", { from: "c/f", to: "c/g" });
    expect(clean.path).toBe("c/g/a.yaml");
    expect(dirty.path).toBe("c/g/b.yaml");
    emit("itemDeleted", { path: "c/g" });
    expect(tabs.tab(clean.key)).toBeNull(); // clean: closed
    expect(dirty.path).toBeNull(); // dirty: kept, unsaved
    expect(dirty.dirty).toBe(true);
  });
});
