// The open request tabs: which are open and which is active, opening a file into a tab, saving
// (with conflict detection), reloading, and following files that changed on disk, moved or were
// deleted. A tab's content is replaced one way: `replaceContent`. Requests from elsewhere (Try it,
// History) go to `target()`, which never replaces anything of the user's.

import type { SavedRequest } from "../../lib/bindings/SavedRequest";
import { emit, on } from "../../lib/events";
import { normaliseError } from "../../lib/ipc";
import { toasts } from "../../ui/toasts.svelte";
import { collections } from "../collections/store.svelte";
import { collectionOf, isWithin, rebasePath } from "../collections/tree";
import { emptySaved } from "../composer/composer";
import type { ComposerState } from "../composer/request";
import * as api from "./api";
import { RequestTab, type SavedParts } from "./tab.svelte";
import { cycleTab, newTabKey, nextActiveAfterClose } from "./tabs";

export { RequestTab, type Conflict, type TabHint } from "./tab.svelte";

class TabsStore {
  #tabs = $state<RequestTab[]>([]);
  #activeKey = $state<string | null>(null);
  #active: RequestTab | null = $derived(this.#tabs.find((t) => t.key === this.#activeKey) ?? null);
  /** The active tab's collection: its file's, else the one it was reopened from (History). */
  #activeCollection: string | null = $derived(collectionOf(this.#active?.path ?? this.#active?.origin ?? null));

  constructor() {
    on("itemMoved", ({ from, to }) => {
      for (const tab of this.#tabs) if (tab.path !== null) tab.attach(rebasePath(tab.path, from, to), tab.baseRevision);
    });
    // A sent tab is the user's work from now on, whatever it shows.
    on("sent", ({ tabKey }) => this.tab(tabKey)?.markUsed());
    on("itemDeleted", ({ path }) => {
      // Clean tabs of the deleted files close, dirty ones become unsaved.
      for (const tab of [...this.#tabs]) {
        if (tab.path === null || !isWithin(tab.path, path)) continue;
        if (tab.dirty) tab.detach();
        else this.closeTab(tab.key);
      }
    });
  }

  get list(): ReadonlyArray<RequestTab> {
    return this.#tabs;
  }
  get activeKey() {
    return this.#activeKey;
  }
  get active() {
    return this.#active;
  }
  /** The collection of the active tab's file (null for an unsaved tab). */
  get activeCollection() {
    return this.#activeCollection;
  }

  tab(key: string): RequestTab | null {
    return this.#tabs.find((t) => t.key === key) ?? null;
  }

  newTab(saved: SavedRequest = emptySaved()): RequestTab {
    const tab = new RequestTab(newTabKey());
    tab.load(saved, true);
    return this.#add(tab);
  }

  /** A tab restored from a draft, made active. */
  adopt(tab: RequestTab): RequestTab {
    return this.#add(tab);
  }

  #add(tab: RequestTab): RequestTab {
    this.#tabs.push(tab);
    this.#activeKey = tab.key;
    return this.#tabs[this.#tabs.length - 1];
  }

  focus(key: string) {
    if (this.#tabs.some((t) => t.key === key)) this.#activeKey = key;
  }

  cycle(step: number) {
    this.#activeKey = cycleTab(this.#tabs, this.#activeKey, step);
  }

  /**
   * Where a request from elsewhere (Try it, history) goes: the active tab while it is pristine
   * (emptied first, so nothing of the previous fill stays), else a new tab, so nothing typed, sent
   * or received is ever replaced. `inUse` names tabs with an exchange (sending, a response).
   */
  target(inUse: (key: string) => boolean = () => false): RequestTab {
    const t = this.#active;
    if (t && t.pristine && !inUse(t.key)) {
      t.load(emptySaved(), true);
      return t;
    }
    return this.newTab();
  }

  /** Opens a request from the tree, or focuses its tab when it is open already. */
  async openRequest(path: string) {
    const open = this.#tabs.find((t) => t.path === path);
    if (open) {
      this.#activeKey = open.key;
      return;
    }
    try {
      const opened = await api.requestOpen(path);
      const again = this.#tabs.find((t) => t.path === opened.path);
      if (again) {
        this.#activeKey = again.key;
        return;
      }
      // An untouched blank tab is replaced rather than left behind.
      const a = this.#active;
      const blank = a && a.path === null && !a.dirty && a.current.request.url === "" ? a : null;
      const tab = blank ?? this.newTab();
      tab.attach(opened.path, opened.revision);
      tab.setConflict(null);
      tab.load(opened.saved, true);
      this.#activeKey = tab.key;
    } catch (e) {
      toasts.fail(`Could not open ${path}`, e);
    }
  }

  /** Closes without asking (the caller asked already); the tab's draft and exchange go too. */
  closeTab(key: string) {
    this.#activeKey = nextActiveAfterClose(this.#tabs, key, this.#activeKey);
    this.#tabs = this.#tabs.filter((t) => t.key !== key);
    emit("tabClosed", { key });
  }

  /**
   * Content from elsewhere (a pasted curl command, Try it, history) into a tab: the composer and
   * the given parts of the saved request. The tab keeps its file and clean state; a tab with a
   * file keeps its name. With `fill` (Try it) the tab stays pristine; other content (a paste,
   * history) is the user's from now on.
   */
  replaceContent(key: string, composer: ComposerState, parts: SavedParts = {}, fill = false) {
    const tab = this.tab(key);
    if (!tab) return;
    const { name, ...rest } = parts;
    tab.replace(composer, tab.path === null && name !== undefined ? { ...rest, name } : rest, fill);
  }

  /**
   * Saves a tab that has a file. With `overwrite` the file is replaced whatever is on disk now
   * (the user chose "Keep mine"); otherwise a file changed meanwhile is reported as a conflict.
   */
  async save(key: string, overwrite = false): Promise<boolean> {
    const tab = this.tab(key);
    if (!tab || tab.path === null || tab.busy) return false;
    const saved = tab.current;
    tab.begin();
    try {
      const result = await api.requestSave(tab.path, saved, overwrite ? null : tab.baseRevision);
      tab.markSaved(result.path, result.revision, saved);
      emit("tabSettled", { key });
      await collections.refreshTree();
      return true;
    } catch (e) {
      const err = normaliseError(e);
      if (err.code === "Conflict") tab.setConflict("save");
      else toasts.fail("Could not save", err);
      return false;
    } finally {
      this.#endBusy(tab);
    }
  }

  /** Saves an unsaved tab as a new file in `parent` under `name`. */
  async saveAs(key: string, parent: string, name: string): Promise<boolean> {
    const tab = this.tab(key);
    if (!tab || tab.busy) return false;
    tab.setName(name);
    const saved = tab.current;
    tab.begin();
    try {
      const result = await api.requestCreate(parent, saved);
      tab.markSaved(result.path, result.revision, saved);
      emit("tabSettled", { key });
      await collections.refreshTree();
      collections.reveal(result.path);
      return true;
    } catch (e) {
      toasts.fail("Could not save", e);
      return false;
    } finally {
      this.#endBusy(tab);
    }
  }

  /** "Reload from disk": the file replaces the tab's content; the draft goes. */
  async reloadFromDisk(key: string) {
    const tab = this.tab(key);
    if (!tab || tab.path === null) return;
    try {
      const opened = await api.requestOpen(tab.path);
      tab.attach(tab.path, opened.revision);
      tab.load(opened.saved, true);
      tab.setConflict(null);
      emit("tabSettled", { key });
    } catch (e) {
      const err = normaliseError(e);
      if (err.code === "NotFound") tab.setConflict("deleted");
      else toasts.fail("Could not reload", err);
    }
  }

  /** Files changed outside the app: clean tabs reload silently, dirty ones get the banner. */
  async onExternalChange(paths: ReadonlyArray<string>) {
    await collections.refreshTree();
    for (const tab of this.#tabs) {
      if (tab.busy) {
        tab.recheckLater();
        continue;
      }
      if (tab.path === null || !paths.includes(tab.path)) continue;
      await this.#checkDisk(tab);
    }
  }

  /** Compares a tab with its file: a clean tab takes the file's content, a dirty one the banner. */
  async #checkDisk(tab: RequestTab) {
    if (tab.path === null) return;
    if (tab.dirty) {
      tab.setConflict("disk");
      return;
    }
    try {
      const opened = await api.requestOpen(tab.path);
      if (opened.revision === tab.baseRevision) return; // our own save echoing back
      if (tab.dirty) {
        tab.setConflict("disk");
        return;
      }
      tab.attach(tab.path, opened.revision);
      tab.load(opened.saved, true);
    } catch (e) {
      if (normaliseError(e).code === "NotFound") tab.setConflict("deleted");
    }
  }

  /** Ends a save: runs the disk check a change reported meanwhile asked for. */
  #endBusy(tab: RequestTab) {
    if (tab.end()) void this.#checkDisk(tab);
  }
}

export const tabs = new TabsStore();
