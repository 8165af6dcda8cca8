// The window's dialogs and menus (close with unsaved changes, save as, command palette, import,
// export, a tab's context menu) and the tab actions that open them: save, close, the tab menu.

import type { InterchangeFormat } from "../lib/bindings/InterchangeFormat";
import type { SavedRequest } from "../lib/bindings/SavedRequest";
import { collections } from "../features/collections/store.svelte";
import { tabs } from "../features/tabs/store.svelte";
import type { MenuItem } from "../ui/ContextMenu.svelte";
import { layout } from "./layout.svelte";
import { openInWindow } from "./windows";

export interface ExportJob {
  path: string | null;
  saved: SavedRequest | null;
  name: string;
  format: InterchangeFormat;
}

class Dialogs {
  /** A dirty tab waiting for "save, discard or cancel". */
  #closing = $state<string | null>(null);
  /** A tab without a file waiting for a name and a place; `thenClose` closes it once saved. */
  #savingAs = $state<{ key: string; thenClose: boolean } | null>(null);
  #paletteOpen = $state(false);
  #importing = $state<{ parent: string | null } | null>(null);
  #exporting = $state<ExportJob | null>(null);
  #tabMenu = $state<{ x: number; y: number; items: MenuItem[] } | null>(null);

  get closing() {
    return this.#closing;
  }
  get savingAs() {
    return this.#savingAs;
  }
  get paletteOpen() {
    return this.#paletteOpen;
  }
  get importing() {
    return this.#importing;
  }
  get exporting() {
    return this.#exporting;
  }
  get tabMenu() {
    return this.#tabMenu;
  }

  openPalette(open = true) {
    this.#paletteOpen = open;
  }
  openImport(parent: string | null) {
    this.#importing = { parent };
  }
  closeImport() {
    this.#importing = null;
  }
  openExport(job: ExportJob | null) {
    this.#exporting = job;
  }
  closeMenu() {
    this.#tabMenu = null;
  }

  /** Saves a tab; one without a file asks for a name and a place first. */
  async saveTab(key: string | null = tabs.activeKey, thenClose = false) {
    const tab = key ? tabs.tab(key) : null;
    if (!tab) return;
    if (tab.path === null) {
      this.#savingAs = { key: tab.key, thenClose };
      return;
    }
    if ((await tabs.save(tab.key)) && thenClose) tabs.closeTab(tab.key);
  }

  /** The save-as dialog answered (`parent` null: cancelled). */
  async saveAs(name: string, parent: string | null) {
    const job = this.#savingAs;
    this.#savingAs = null;
    if (!job || parent === null) return;
    if ((await tabs.saveAs(job.key, parent, name)) && job.thenClose) tabs.closeTab(job.key);
  }
  cancelSaveAs() {
    this.#savingAs = null;
  }

  /** Closes a tab, asking first when it has unsaved changes. */
  requestClose(key: string | null = tabs.activeKey) {
    const tab = key ? tabs.tab(key) : null;
    if (!tab) return;
    if (tab.dirty) this.#closing = tab.key;
    else tabs.closeTab(tab.key);
  }
  /** The close dialog answered. */
  closeAnswered(answer: "save" | "discard" | "cancel") {
    const key = this.#closing;
    this.#closing = null;
    if (key === null) return;
    if (answer === "discard") tabs.closeTab(key);
    else if (answer === "save") void this.saveTab(key, true);
  }

  openTabMenu(key: string, x: number, y: number) {
    const tab = tabs.tab(key);
    if (!tab) return;
    const name = tab.saved.name || "request";
    this.#tabMenu = {
      x,
      y,
      items: [
        { label: "Save", shortcut: "Ctrl+S", run: () => void this.saveTab(key) },
        { label: "Copy as curl", separated: true, run: () => void collections.copyAsCurl(null, tab.current) },
        { label: "Export as Postman…", run: () => (this.#exporting = { path: null, saved: tab.current, name, format: "postman" }) },
        { label: "Export as HAR…", run: () => (this.#exporting = { path: null, saved: tab.current, name, format: "har" }) },
        ...(tab.path ? [{ label: "Reveal in sidebar", run: () => this.#reveal(tab.path!) }] : []),
        ...(tab.path ? [{ label: "Open in new window", run: () => void openInWindow(tab.path!) }] : []),
        { label: "Close", shortcut: "Ctrl+W", separated: true, run: () => this.requestClose(key) },
      ],
    };
  }

  #reveal(path: string) {
    layout.show("collections");
    collections.reveal(path);
  }
}

export const dialogs = new Dialogs();
