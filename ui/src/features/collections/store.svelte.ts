// The collections tree: what the workspace holds (read from disk), which folders are expanded,
// and the tree's actions (create, rename, move, duplicate, delete with Undo, copy as curl). Tabs
// follow moves and deletes through the "itemMoved" / "itemDeleted" events.

import type { ApiError } from "../../lib/bindings/ApiError";
import type { SavedRequest } from "../../lib/bindings/SavedRequest";
import type { WebSocketSettings } from "../../lib/bindings/WebSocketSettings";
import type { WorkspaceInfo } from "../../lib/bindings/WorkspaceInfo";
import { copyText } from "../../lib/clipboard";
import { emit } from "../../lib/events";
import { normaliseError } from "../../lib/ipc";
import { toasts } from "../../ui/toasts.svelte";
import { emptySaved } from "../composer/composer";
import { browserStore, loadExpanded, saveExpanded } from "../tabs/tabs";
import * as api from "./api";
import { rebasePath, revealPath } from "./tree";

class CollectionsStore {
  #info = $state.raw<WorkspaceInfo | null>(null);
  /** Why the tree could not be read (no workspace backend yet, say). */
  #infoError = $state<ApiError | null>(null);
  #expanded = $state.raw<Set<string>>(loadExpanded(browserStore()));

  get info() {
    return this.#info;
  }
  get infoError() {
    return this.#infoError;
  }
  get expanded(): ReadonlySet<string> {
    return this.#expanded;
  }

  async refreshTree() {
    try {
      this.#info = await api.workspaceInfo();
      this.#infoError = null;
    } catch (e) {
      this.#infoError = normaliseError(e);
    }
  }

  setExpanded(path: string, open: boolean) {
    const next = new Set(this.#expanded);
    if (open) next.add(path);
    else next.delete(path);
    this.#setExpanded(next);
  }

  /** Expands every folder above `path`. */
  reveal(path: string) {
    this.#setExpanded(revealPath(this.#expanded, path));
  }

  #setExpanded(next: Set<string>) {
    this.#expanded = next;
    saveExpanded(browserStore(), next);
  }

  /** Runs a tree action, then refreshes the tree whatever happened. */
  async #action<T>(what: string, run: () => Promise<T>): Promise<T | null> {
    try {
      return await run();
    } catch (e) {
      toasts.fail(what, e);
      return null;
    } finally {
      await this.refreshTree();
    }
  }

  async createCollection(name: string) {
    const path = await this.#action("Could not create the collection", () => api.collectionCreate(name));
    if (path) this.setExpanded(path, true);
    return path;
  }

  async createFolder(parent: string, name: string) {
    const path = await this.#action("Could not create the folder", () => api.folderCreate(parent, name));
    if (path) {
      this.reveal(path);
      this.setExpanded(path, true);
    }
    return path;
  }

  /** A new request saved right away in `parent`; the caller opens it. */
  /** A new request file under `parent`; `websocket` makes it a WebSocket request. */
  async createRequest(parent: string, name: string, websocket: WebSocketSettings | null = null): Promise<string | null> {
    const saved = websocket ? { ...emptySaved(name), websocket } : emptySaved(name);
    const result = await this.#action("Could not create the request", () => api.requestCreate(parent, saved));
    if (result) this.reveal(result.path);
    return result?.path ?? null;
  }

  async rename(path: string, name: string) {
    const to = await this.#action("Could not rename", () => api.itemRename(path, name));
    if (to) this.#moved(path, to);
    return to;
  }

  async move(path: string, newParent: string) {
    const to = await this.#action("Could not move", () => api.itemMove(path, newParent));
    if (to) {
      this.#moved(path, to);
      this.reveal(to);
    }
    return to;
  }

  #moved(from: string, to: string) {
    const next = new Set<string>();
    for (const p of this.#expanded) next.add(rebasePath(p, from, to));
    this.#setExpanded(next);
    emit("itemMoved", { from, to });
  }

  async duplicate(path: string) {
    const copy = await this.#action("Could not duplicate", () => api.itemDuplicate(path));
    if (copy) this.reveal(copy);
    return copy;
  }

  /** Deletes with an Undo toast; tabs of the deleted files follow ("itemDeleted"). */
  async remove(path: string, label: string) {
    const trashId = await this.#action("Could not delete", () => api.itemDelete(path));
    if (trashId === null) return;
    emit("itemDeleted", { path });
    toasts.notify(
      `Deleted “${label}”`,
      {
        action: {
          label: "Undo",
          run: () => {
            toasts.dismiss();
            void this.#action("Could not restore", () => api.itemRestore(trashId)).then((restored) => {
              if (restored) this.reveal(restored);
            });
          },
        },
      },
      10_000,
    );
  }

  /** `export_item` as curl, onto the clipboard. */
  async copyAsCurl(path: string | null, saved: SavedRequest | null) {
    try {
      const result = await api.exportItem(path, saved, "curl");
      await copyText(result.text);
      const w = result.warnings;
      toasts.notify(w.length === 0 ? "Copied as curl" : `Copied as curl; ${w.length === 1 ? "1 thing" : `${w.length} things`} left out: ${w[0].message}`);
    } catch (e) {
      toasts.fail("Could not copy as curl", e);
    }
  }
}

export const collections = new CollectionsStore();
