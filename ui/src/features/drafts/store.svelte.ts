// Drafts: every dirty tab's content is written to a draft 500 ms after its last change, clean
// tabs lose theirs, and at start the drafts come back as tabs (checked against their files; the
// session, `features/session`, puts them in their places among the other tabs).
// Closed and settled tabs ("tabClosed", "tabSettled") lose their drafts at once.

import type { Draft } from "../../lib/bindings/Draft";
import { on } from "../../lib/events";
import { normaliseError } from "../../lib/ipc";
import { fingerprint } from "../composer/composer";
import { RequestTab, tabs } from "../tabs/store.svelte";
import * as api from "./api";

class DraftsStore {
  #timers = new Map<string, ReturnType<typeof setTimeout>>();
  /** The fingerprint last written per tab key. */
  #written = new Map<string, string>();

  constructor() {
    on("tabClosed", ({ key }) => this.#drop(key));
    on("tabSettled", ({ key }) => this.#drop(key));
  }

  /**
   * One draft back as a tab under its own key, checked against its file; null when its tab, or
   * a tab of its file, is open already.
   */
  adoptDraft(d: Draft): RequestTab | null {
    if (tabs.list.some((t) => t.key === d.key || (d.path !== null && t.path === d.path))) return null;
    const restored = new RequestTab(d.key);
    restored.attach(d.path, d.baseRevision);
    restored.load(d.saved, false);
    const live = tabs.adopt(restored);
    this.#written.set(d.key, fingerprint(d.saved));
    if (d.path !== null) {
      // The file as it is now: a draft equal to it is clean, a file changed since is a conflict.
      api
        .requestOpen(d.path)
        .then((opened) => {
          live.setCleanFrom(opened.saved);
          if (d.baseRevision !== null && opened.revision !== d.baseRevision && live.dirty) live.setConflict("disk");
          else live.attach(live.path, opened.revision);
        })
        .catch((e) => {
          if (normaliseError(e).code === "NotFound") live.setConflict("deleted");
        });
    }
    return live;
  }

  /** Run inside an effect: reads every tab's content, so it runs again on each change. */
  track() {
    for (const tab of tabs.list) {
      const dirty = tab.dirty;
      const fp = fingerprint(tab.current);
      const key = tab.key;
      if (!dirty) {
        if (this.#written.has(key) || this.#timers.has(key)) this.#drop(key);
        continue;
      }
      if (this.#written.get(key) === fp) continue;
      clearTimeout(this.#timers.get(key));
      const path = tab.path;
      const baseRevision = tab.baseRevision;
      const saved = tab.current;
      this.#timers.set(
        key,
        setTimeout(() => {
          this.#timers.delete(key);
          this.#written.set(key, fp);
          api.draftPut({ key, path, baseRevision, saved }).catch(() => this.#written.delete(key));
        }, 500),
      );
    }
  }

  /** The window is closing: every dirty tab whose draft is not written yet is written at once. */
  async flush() {
    const writes: Promise<unknown>[] = [];
    for (const tab of tabs.list) {
      const fp = fingerprint(tab.current);
      if (!tab.dirty || this.#written.get(tab.key) === fp) continue;
      clearTimeout(this.#timers.get(tab.key));
      this.#timers.delete(tab.key);
      const key = tab.key;
      this.#written.set(key, fp);
      writes.push(
        api.draftPut({ key, path: tab.path, baseRevision: tab.baseRevision, saved: tab.current }).catch(() => {
          this.#written.delete(key);
        }),
      );
    }
    await Promise.all(writes);
  }

  #drop(key: string) {
    clearTimeout(this.#timers.get(key));
    this.#timers.delete(key);
    this.#written.delete(key);
    api.draftRemove(key).catch(() => {});
  }
}

export const drafts = new DraftsStore();
