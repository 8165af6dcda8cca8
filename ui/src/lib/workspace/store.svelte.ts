// The window's workspace state: the collections tree, the open request tabs (each with its
// composer state, file revision, conflict and last exchange), drafts, environments and sending.
// Components read it and call its methods; every backend call goes through ./ipc.

import type { ApiError } from "../bindings/ApiError";
import type { CapturedValues } from "../bindings/CapturedValues";
import type { Environment } from "../bindings/Environment";
import type { SavedRequest } from "../bindings/SavedRequest";
import type { SendContext } from "../bindings/SendContext";
import type { UndefinedVariable } from "../bindings/UndefinedVariable";
import type { WorkspaceInfo } from "../bindings/WorkspaceInfo";
import { applyEvent, type Exchange } from "../../features/exchange/exchange";
import { newId } from "../ids";
import { emit } from "../events";
import { cancelRequest, normaliseError, send as sendRequest } from "../ipc";
import { sendProblem, type ComposerState } from "../../features/composer/request";
import { composerFromRequest, emptySaved, fingerprint, requestFromComposer } from "../../features/composer/composer";
import * as api from "../ipc";
import {
  browserStore,
  cycleTab,
  loadEnvChoice,
  loadExpanded,
  newTabKey,
  nextActiveAfterClose,
  saveEnvChoice,
  saveExpanded,
} from "../../features/tabs/tabs";
import { collectionOf, isWithin, rebasePath, revealPath } from "../../features/collections/tree";

/** Why a tab shows the "changed on disk" banner. */
export type Conflict = "disk" | "save" | "deleted";

export interface Toast {
  text: string;
  tone?: "info" | "error";
  action?: { label: string; run: () => void };
}

export class RequestTab {
  readonly key: string;
  path = $state<string | null>(null);
  /** Everything but `request`, which lives in `composer` while the tab is open. */
  saved = $state<SavedRequest>(emptySaved());
  composer = $state<ComposerState>(composerFromRequest(emptySaved().request, newId));
  baseRevision = $state<string | null>(null);
  /** Fingerprint of the request as on disk; "" when unknown (a restored draft), so the tab is dirty. */
  clean = $state("");
  conflict = $state<Conflict | null>(null);
  busy = $state(false);
  /** A change on disk was reported while the tab was busy saving: check again when it is done. */
  recheck = false;
  /** Bumped whenever the composer is replaced from outside, so editors rebuild. */
  generation = $state(0);

  /** The request as it would be saved now. */
  readonly current: SavedRequest = $derived({
    ...(JSON.parse(JSON.stringify(this.saved)) as SavedRequest),
    request: requestFromComposer(this.composer),
  });
  readonly dirty: boolean = $derived(fingerprint(this.current) !== this.clean);

  constructor(key: string) {
    this.key = key;
  }

  /** Replaces the whole content (a file opened or reloaded, a draft restored, a curl pasted). */
  load(saved: SavedRequest, cleanToo: boolean) {
    this.saved = { ...saved };
    this.composer = composerFromRequest(saved.request, newId);
    this.generation++;
    if (cleanToo) this.clean = fingerprint({ ...saved, request: requestFromComposer(this.composer) });
  }
}

export class Workspace {
  info = $state.raw<WorkspaceInfo | null>(null);
  /** Why the tree could not be read (no workspace backend yet, say). */
  infoError = $state<ApiError | null>(null);
  expanded = $state.raw<Set<string>>(loadExpanded(browserStore()));
  tabs = $state<RequestTab[]>([]);
  activeKey = $state<string | null>(null);
  readonly active: RequestTab | null = $derived(this.tabs.find((t) => t.key === this.activeKey) ?? null);
  exchanges = $state.raw<Record<string, Exchange>>({});
  environments = $state.raw<Record<string, Environment[]>>({});
  envChoice = $state<Record<string, string | null>>({});
  undefinedVars = $state.raw<UndefinedVariable[]>([]);
  /** What captures have stored for the active tab's collection (null until asked). */
  captured = $state.raw<CapturedValues | null>(null);
  /** Bumped when a variable scope outside the tab changed (environment, globals, settings). */
  private varsEpoch = $state(0);
  /** Bumped when captures may have stored or forgotten values (a send, a clear). */
  private capturedEpoch = $state(0);
  toast = $state.raw<Toast | null>(null);

  readonly activeCollection: string | null = $derived(collectionOf(this.active?.path ?? null));
  readonly activeEnvironment: string | null = $derived(
    this.activeCollection === null ? null : (this.envChoice[this.activeCollection] ?? null),
  );

  private toastTimer: ReturnType<typeof setTimeout> | undefined;
  private draftTimers = new Map<string, ReturnType<typeof setTimeout>>();
  private draftWritten = new Map<string, string>();
  private varsTimer: ReturnType<typeof setTimeout> | undefined;
  private varsTicket = 0;
  private capturedTicket = 0;
  private stopEffects: (() => void) | null = null;

  notify(text: string, opts: Omit<Toast, "text"> = {}, ms = 6000) {
    this.toast = { text, ...opts };
    clearTimeout(this.toastTimer);
    this.toastTimer = setTimeout(() => (this.toast = null), ms);
  }
  fail(what: string, e: unknown) {
    const err = normaliseError(e);
    this.notify(`${what}: ${err.message}`, { tone: "error" });
  }

  /** Loads the tree, restores drafts, starts watching and the draft/variable effects. */
  async start() {
    if (this.stopEffects) return;
    this.stopEffects = $effect.root(() => {
      $effect(() => this.trackDrafts());
      $effect(() => this.trackVariables());
      $effect(() => this.trackCaptured());
    });
    await this.refreshTree();
    await this.restoreDrafts();
    if (this.tabs.length === 0) this.newTab();
    api.workspaceWatch((change) => this.onExternalChange(change.paths)).catch(() => {
      // No watcher: external edits show up on the next refresh instead.
    });
  }

  stop() {
    this.stopEffects?.();
    this.stopEffects = null;
  }

  // ---- Tree ----

  async refreshTree() {
    try {
      this.info = await api.workspaceInfo();
      this.infoError = null;
    } catch (e) {
      this.infoError = normaliseError(e);
    }
  }

  setExpanded(path: string, open: boolean) {
    const next = new Set(this.expanded);
    if (open) next.add(path);
    else next.delete(path);
    this.expanded = next;
    saveExpanded(browserStore(), next);
  }

  reveal(path: string) {
    this.expanded = revealPath(this.expanded, path);
    saveExpanded(browserStore(), this.expanded);
  }

  /** Runs a tree action, then refreshes the tree whatever happened. */
  private async treeAction<T>(what: string, run: () => Promise<T>): Promise<T | null> {
    try {
      return await run();
    } catch (e) {
      this.fail(what, e);
      return null;
    } finally {
      await this.refreshTree();
    }
  }

  async createCollection(name: string) {
    const path = await this.treeAction("Could not create the collection", () => api.collectionCreate(name));
    if (path) this.setExpanded(path, true);
    return path;
  }

  async createFolder(parent: string, name: string) {
    const path = await this.treeAction("Could not create the folder", () => api.folderCreate(parent, name));
    if (path) {
      this.reveal(path);
      this.setExpanded(path, true);
    }
    return path;
  }

  /** A new request saved right away in `parent`, opened in a tab. */
  async createRequest(parent: string, name: string) {
    const result = await this.treeAction("Could not create the request", () => api.requestCreate(parent, emptySaved(name)));
    if (result) {
      this.reveal(result.path);
      await this.openRequest(result.path);
    }
    return result?.path ?? null;
  }

  async rename(path: string, name: string) {
    const to = await this.treeAction("Could not rename", () => api.itemRename(path, name));
    if (to) this.rebaseTabs(path, to);
    return to;
  }

  async move(path: string, newParent: string) {
    const to = await this.treeAction("Could not move", () => api.itemMove(path, newParent));
    if (to) {
      this.rebaseTabs(path, to);
      this.reveal(to);
    }
    return to;
  }

  async duplicate(path: string) {
    const copy = await this.treeAction("Could not duplicate", () => api.itemDuplicate(path));
    if (copy) this.reveal(copy);
    return copy;
  }

  /** Deletes with an Undo toast; clean tabs of the deleted files close, dirty ones become unsaved. */
  async remove(path: string, label: string) {
    const trashId = await this.treeAction("Could not delete", () => api.itemDelete(path));
    if (trashId === null) return;
    for (const tab of [...this.tabs]) {
      if (tab.path === null || !isWithin(tab.path, path)) continue;
      if (tab.dirty) {
        tab.path = null;
        tab.baseRevision = null;
        tab.clean = "";
        tab.conflict = null;
      } else this.closeTab(tab.key);
    }
    this.notify(`Deleted “${label}”`, {
      action: {
        label: "Undo",
        run: () => {
          this.toast = null;
          void this.treeAction("Could not restore", () => api.itemRestore(trashId)).then((restored) => {
            if (restored) this.reveal(restored);
          });
        },
      },
    }, 10_000);
  }

  private rebaseTabs(from: string, to: string) {
    for (const tab of this.tabs) if (tab.path !== null) tab.path = rebasePath(tab.path, from, to);
    const next = new Set<string>();
    for (const p of this.expanded) next.add(rebasePath(p, from, to));
    this.expanded = next;
    saveExpanded(browserStore(), next);
    const envs: Record<string, string | null> = {};
    for (const [k, v] of Object.entries(this.envChoice)) envs[rebasePath(k, from, to)] = v;
    this.envChoice = envs;
  }

  // ---- Tabs ----

  newTab(saved: SavedRequest = emptySaved()): RequestTab {
    const tab = new RequestTab(newTabKey());
    tab.load(saved, true);
    this.tabs.push(tab);
    this.activeKey = tab.key;
    return this.tabs[this.tabs.length - 1];
  }

  focus(key: string) {
    if (this.tabs.some((t) => t.key === key)) this.activeKey = key;
  }

  cycle(step: number) {
    this.activeKey = cycleTab(this.tabs, this.activeKey, step);
  }

  /** Opens a request from the tree, or focuses its tab when it is open already. */
  async openRequest(path: string) {
    const open = this.tabs.find((t) => t.path === path);
    if (open) {
      this.activeKey = open.key;
      return;
    }
    try {
      const opened = await api.requestOpen(path);
      const again = this.tabs.find((t) => t.path === opened.path);
      if (again) {
        this.activeKey = again.key;
        return;
      }
      // An untouched blank tab is replaced rather than left behind.
      const blank = this.active && this.active.path === null && !this.active.dirty && this.active.current.request.url === "" ? this.active : null;
      const tab = blank ?? this.newTab();
      tab.path = opened.path;
      tab.baseRevision = opened.revision;
      tab.conflict = null;
      tab.load(opened.saved, true);
      this.activeKey = tab.key;
    } catch (e) {
      this.fail(`Could not open ${path}`, e);
    }
  }

  /** Closes without asking (the caller asked already); the tab's draft goes too. */
  closeTab(key: string) {
    this.activeKey = nextActiveAfterClose(this.tabs, key, this.activeKey);
    this.tabs = this.tabs.filter((t) => t.key !== key);
    this.dropDraft(key);
    const rest = { ...this.exchanges };
    delete rest[key];
    this.exchanges = rest;
  }

  tab(key: string): RequestTab | null {
    return this.tabs.find((t) => t.key === key) ?? null;
  }

  /**
   * Saves a tab that has a file. With `overwrite` the file is replaced whatever is on disk now
   * (the user chose "Keep mine"); otherwise a file changed meanwhile is reported as a conflict.
   */
  async save(key: string, overwrite = false): Promise<boolean> {
    const tab = this.tab(key);
    if (!tab || tab.path === null || tab.busy) return false;
    const saved = tab.current;
    tab.busy = true;
    try {
      const result = await api.requestSave(tab.path, saved, overwrite ? null : tab.baseRevision);
      tab.path = result.path;
      tab.baseRevision = result.revision;
      tab.clean = fingerprint(saved);
      tab.conflict = null;
      this.dropDraft(key);
      await this.refreshTree();
      return true;
    } catch (e) {
      const err = normaliseError(e);
      if (err.code === "Conflict") tab.conflict = "save";
      else this.fail("Could not save", err);
      return false;
    } finally {
      this.endBusy(tab);
    }
  }

  /** Saves an unsaved tab as a new file in `parent` under `name`. */
  async saveAs(key: string, parent: string, name: string): Promise<boolean> {
    const tab = this.tab(key);
    if (!tab || tab.busy) return false;
    tab.saved.name = name;
    const saved = tab.current;
    tab.busy = true;
    try {
      const result = await api.requestCreate(parent, saved);
      tab.path = result.path;
      tab.baseRevision = result.revision;
      tab.clean = fingerprint(saved);
      tab.conflict = null;
      this.dropDraft(key);
      await this.refreshTree();
      this.reveal(result.path);
      return true;
    } catch (e) {
      this.fail("Could not save", e);
      return false;
    } finally {
      this.endBusy(tab);
    }
  }

  /** "Reload from disk": the file replaces the tab's content; the draft goes. */
  async reloadFromDisk(key: string) {
    const tab = this.tab(key);
    if (!tab || tab.path === null) return;
    try {
      const opened = await api.requestOpen(tab.path);
      tab.baseRevision = opened.revision;
      tab.load(opened.saved, true);
      tab.conflict = null;
      this.dropDraft(key);
    } catch (e) {
      const err = normaliseError(e);
      if (err.code === "NotFound") tab.conflict = "deleted";
      else this.fail("Could not reload", err);
    }
  }

  /** Files changed outside the app: clean tabs reload silently, dirty ones get the banner. */
  async onExternalChange(paths: ReadonlyArray<string>) {
    await this.refreshTree();
    for (const tab of this.tabs) {
      if (tab.busy) {
        // Mid-save its path may not be known yet: look again once the save is done.
        tab.recheck = true;
        continue;
      }
      if (tab.path === null || !paths.includes(tab.path)) continue;
      await this.checkDisk(tab);
    }
  }

  /** Compares a tab with its file: a clean tab takes the file's content, a dirty one the banner. */
  private async checkDisk(tab: RequestTab) {
    if (tab.path === null) return;
    if (tab.dirty) {
      tab.conflict = "disk";
      return;
    }
    try {
      const opened = await api.requestOpen(tab.path);
      if (opened.revision === tab.baseRevision) return; // our own save echoing back
      if (tab.dirty) {
        tab.conflict = "disk";
        return;
      }
      tab.baseRevision = opened.revision;
      tab.load(opened.saved, true);
    } catch (e) {
      if (normaliseError(e).code === "NotFound") tab.conflict = "deleted";
    }
  }

  /** Ends a save: runs the disk check a change reported meanwhile asked for. */
  private endBusy(tab: RequestTab) {
    tab.busy = false;
    if (tab.recheck) {
      tab.recheck = false;
      void this.checkDisk(tab);
    }
  }

  /** Loads a request from elsewhere (a pasted curl command, Try it) into a tab, keeping its file and name. */
  replaceContent(key: string, saved: SavedRequest) {
    const tab = this.tab(key);
    if (!tab) return;
    const keepClean = tab.clean;
    tab.load({ ...saved, name: tab.path !== null ? tab.saved.name : saved.name }, false);
    tab.clean = keepClean;
  }

  /** Replaces only the composer's request (Try it keeps auth, variables and name). */
  replaceComposer(key: string, state: ComposerState) {
    const tab = this.tab(key);
    if (!tab) return;
    tab.composer = state;
    tab.generation++;
  }

  // ---- Drafts ----

  private async restoreDrafts() {
    let drafts;
    try {
      drafts = await api.draftsList();
    } catch {
      return;
    }
    for (const d of drafts) {
      if (this.tabs.some((t) => t.key === d.key || (d.path !== null && t.path === d.path))) continue;
      const tab = new RequestTab(d.key);
      tab.path = d.path;
      tab.baseRevision = d.baseRevision;
      tab.load(d.saved, false);
      this.tabs.push(tab);
      this.draftWritten.set(d.key, fingerprint(d.saved));
      this.activeKey = d.key;
      const live = this.tabs[this.tabs.length - 1];
      if (d.path !== null) {
        // The file as it is now: a draft equal to it is clean, a file changed since is a conflict.
        api
          .requestOpen(d.path)
          .then((opened) => {
            live.clean = fingerprint({ ...opened.saved, request: requestFromComposer(composerFromRequest(opened.saved.request, newId)) });
            if (d.baseRevision !== null && opened.revision !== d.baseRevision && live.dirty) live.conflict = "disk";
            else live.baseRevision = opened.revision;
          })
          .catch((e) => {
            if (normaliseError(e).code === "NotFound") live.conflict = "deleted";
          });
      }
    }
  }

  /** Every dirty tab's content goes to a draft 500 ms after its last change; clean tabs lose theirs. */
  private trackDrafts() {
    for (const tab of this.tabs) {
      const dirty = tab.dirty;
      const fp = fingerprint(tab.current);
      const key = tab.key;
      if (!dirty) {
        if (this.draftWritten.has(key) || this.draftTimers.has(key)) this.dropDraft(key);
        continue;
      }
      if (this.draftWritten.get(key) === fp) continue;
      clearTimeout(this.draftTimers.get(key));
      const path = tab.path;
      const baseRevision = tab.baseRevision;
      const saved = tab.current;
      this.draftTimers.set(
        key,
        setTimeout(() => {
          this.draftTimers.delete(key);
          this.draftWritten.set(key, fp);
          api.draftPut({ key, path, baseRevision, saved }).catch(() => this.draftWritten.delete(key));
        }, 500),
      );
    }
  }

  private dropDraft(key: string) {
    clearTimeout(this.draftTimers.get(key));
    this.draftTimers.delete(key);
    this.draftWritten.delete(key);
    api.draftRemove(key).catch(() => {});
  }

  // ---- Variables ----

  /** Checks the active tab's variables again (an environment, globals or folder settings changed). */
  refreshVariables() {
    this.varsEpoch++;
  }

  private trackVariables() {
    void this.varsEpoch;
    const tab = this.active;
    clearTimeout(this.varsTimer);
    if (!tab || this.info === null) {
      this.undefinedVars = [];
      return;
    }
    const path = tab.path;
    const saved = tab.current;
    const env = this.activeEnvironment;
    const ticket = ++this.varsTicket;
    this.varsTimer = setTimeout(() => {
      api
        .variablesCheck(path, saved, env)
        .then((list) => {
          if (ticket === this.varsTicket) this.undefinedVars = list;
        })
        .catch(() => {
          if (ticket === this.varsTicket) this.undefinedVars = [];
        });
    }, 300);
  }

  /** Keeps `captured` for the active tab's collection: asked again only when that changes. */
  private trackCaptured() {
    void this.capturedEpoch;
    const collection = this.activeCollection;
    if (this.info === null) {
      this.captured = null;
      return;
    }
    const ticket = ++this.capturedTicket;
    api
      .capturedValues(collection)
      .then((c) => {
        if (ticket === this.capturedTicket) this.captured = c;
      })
      .catch(() => {
        if (ticket === this.capturedTicket) this.captured = null;
      });
  }

  /** Forgets the values captures stored for the active tab's collection. */
  async clearCaptured() {
    const tab = this.active;
    if (!tab) return;
    try {
      await api.capturedClear(tab.path);
    } catch (e) {
      this.fail("Could not clear the captured values", e);
    }
    this.capturedEpoch++;
    this.refreshVariables();
  }

  // ---- Environments ----

  async loadEnvironments(collection: string) {
    if (this.envChoice[collection] === undefined) this.envChoice[collection] = loadEnvChoice(browserStore(), collection);
    try {
      const list = await api.environmentsList(collection);
      this.environments = { ...this.environments, [collection]: list };
      const chosen = this.envChoice[collection];
      if (chosen && !list.some((e) => e.name === chosen)) this.chooseEnvironment(collection, null);
    } catch {
      this.environments = { ...this.environments, [collection]: [] };
    }
  }

  chooseEnvironment(collection: string, name: string | null) {
    this.envChoice[collection] = name;
    saveEnvChoice(browserStore(), collection, name);
  }

  // ---- Export ----

  /** `export_item` as curl, onto the clipboard. */
  async copyAsCurl(path: string | null, saved: SavedRequest | null) {
    try {
      const result = await api.exportItem(path, saved, "curl");
      await navigator.clipboard.writeText(result.text);
      const w = result.warnings;
      this.notify(w.length === 0 ? "Copied as curl" : `Copied as curl; ${w.length === 1 ? "1 thing" : `${w.length} things`} left out: ${w[0].message}`);
    } catch (e) {
      this.fail("Could not copy as curl", e);
    }
  }

  // ---- Sending ----

  exchangeOf(key: string | null): Exchange {
    return (key && this.exchanges[key]) || { kind: "idle" };
  }

  setExchange(key: string, x: Exchange) {
    this.exchanges = { ...this.exchanges, [key]: x };
  }

  /**
   * Sends the tab's request through the one `send` command: in its collection context
   * (templating, inherited settings, captures, history) when there is a workspace, else as
   * composed. The one place that asks "already sending?".
   */
  async send(key: string) {
    const tab = this.tab(key);
    if (!tab || this.exchangeOf(key).kind === "sending") return;
    const problem = sendProblem(tab.composer);
    if (problem) {
      this.setExchange(key, { kind: "error", error: problem, elapsedMs: null });
      return;
    }
    // The composer as a request, converted once (`current` is derived from it).
    const request = tab.current;
    const context: SendContext | null = this.info !== null ? { path: tab.path, environment: this.environmentFor(tab) } : null;
    const requestId = newId();
    const startedAt = Date.now();
    this.setExchange(key, { kind: "sending", requestId, startedAt, status: null, received: 0, expected: null, redirects: 0 });
    const mine = () => {
      const x = this.exchanges[key];
      return x !== undefined && x.kind === "sending" && x.requestId === requestId;
    };
    const onEvent = (event: Parameters<typeof applyEvent>[1]) => {
      const x = this.exchanges[key];
      if (x && x.kind === "sending" && x.requestId === requestId) this.setExchange(key, applyEvent(x, event));
    };
    try {
      const response = await sendRequest(requestId, request, context, onEvent);
      if (mine()) this.setExchange(key, { kind: "done", response });
      // Its captures may have defined (or failed to define) variables the composer marks.
      if (context !== null && request.captures.length > 0) {
        this.capturedEpoch++;
        this.refreshVariables();
      }
    } catch (e) {
      const error = normaliseError(e);
      const elapsedMs = Date.now() - startedAt;
      // Which of the refused files the user can allow (a path relative to nothing cannot be).
      const files =
        error.code === "FileNotAllowed" && context !== null
          ? await api.bodyFilesStopped(request, context).catch(() => [])
          : [];
      if (mine()) this.setExchange(key, { kind: "error", error, elapsedMs, ...(files.length > 0 ? { files } : {}) });
    }
    emit("sent", { tabKey: key });
  }

  /** The user allowed `files` (named by a `FileNotAllowed` refusal): remember them and send again. */
  async allowFilesAndSend(key: string, files: string[]) {
    try {
      await api.allowBodyFiles(files);
    } catch (e) {
      this.fail("Could not allow the file", e);
      return;
    }
    await this.send(key);
  }

  environmentFor(tab: RequestTab): string | null {
    const c = collectionOf(tab.path);
    return c === null ? null : (this.envChoice[c] ?? null);
  }

  /** Cancels the tab's send; the backend registers a send before anything else, so one call reaches it. */
  async cancel(key: string) {
    const x = this.exchanges[key];
    if (!x || x.kind !== "sending") return;
    try {
      await cancelRequest(x.requestId);
    } catch (e) {
      this.fail("Could not cancel", e);
    }
  }
}

export const workspace = new Workspace();
