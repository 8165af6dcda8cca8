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

  it("the active collection is the tab's file's, else the one it was reopened from", () => {
    fresh();
    const tab = tabs.newTab();
    expect(tabs.activeCollection).toBeNull();
    tab.setOrigin("shop/orders/list.yaml");
    expect(tabs.activeCollection).toBe("shop");
    tab.attach("pets/get.yaml", "rev");
    expect(tabs.activeCollection).toBe("pets"); // its own file wins
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

  it("requests from elsewhere reuse only a pristine tab: never edited, never sent, no response, no file", () => {
    fresh();
    const blank = tabs.newTab();
    expect(blank.pristine).toBe(true);
    expect(tabs.target().key).toBe(blank.key); // reused: no pile of blank tabs

    // Filled by Try it it stays pristine, and the next fill empties it first.
    const req = { ...emptySaved().request, url: "http://127.0.0.1:1/items" };
    tabs.replaceContent(blank.key, composerFromRequest(req, newId), { auth: { kind: "bearer", token: "t" }, name: "List items" }, true);
    expect(blank.pristine).toBe(true);
    expect(blank.title).toBe("List items");
    blank.setHint({ title: "GET /items", notes: [], missingFiles: [] });
    const again = tabs.target();
    expect(again.key).toBe(blank.key);
    expect(again.saved.auth).toEqual({ kind: "inherit" });
    expect(again.composer.url).toBe("");
    expect(again.hint).toBeNull();

    // An edit makes it the user's: the next request goes to a new tab, the edit stays.
    blank.composer.url = "http://127.0.0.1:1/typed";
    expect(blank.pristine).toBe(false);
    const next = tabs.target();
    expect(next.key).not.toBe(blank.key);
    expect(blank.composer.url).toBe("http://127.0.0.1:1/typed");
    expect(tabs.activeKey).toBe(next.key);

    // A tab with an exchange (sending, a response) is not reused.
    expect(next.pristine).toBe(true);
    expect(tabs.target((key) => key === next.key).key).not.toBe(next.key);

    // Sent: not pristine, even unchanged.
    const sent = tabs.newTab();
    emit("sent", { tabKey: sent.key, captured: false });
    expect(sent.pristine).toBe(false);

    // Pasted content (not a fill) is the user's; so is a restored draft; so is a file.
    const pasted = tabs.newTab();
    tabs.replaceContent(pasted.key, composerFromRequest(req, newId));
    expect(pasted.pristine).toBe(false);
    const draft = tabs.newTab();
    draft.load(emptySaved(), false);
    expect(draft.pristine).toBe(false);
    const file = tabs.newTab();
    file.attach("c/r.yaml", "1");
    expect(file.pristine).toBe(false);
    expect(tabs.target().key).not.toBe(file.key);
  });

  it("each tab keeps its own hint", () => {
    fresh();
    const a = tabs.newTab();
    a.setHint({ title: "POST /items", notes: ["fill in name"], missingFiles: [] });
    const b = tabs.newTab();
    expect(b.hint).toBeNull();
    expect(a.hint?.title).toBe("POST /items");
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
