// Several windows over one workspace: "Open in new window" (a saved request in a request window,
// src-tauri/src/windows.rs), and the Tauri events that keep the windows consistent. The workspace
// watcher ignores the app's own saves and serves one window, so each window announces its saves
// (and the main window the watcher's changes) to the others, which follow them as they follow an
// edit on disk (clean tabs reload, dirty ones get the banner). A request window closed with unsaved
// edits hands them to the main window as a draft, which opens there as a tab. The main window
// writes its session and pending drafts before it closes (`flushBeforeClose`).

import { emit, listen } from "@tauri-apps/api/event";
import { getCurrentWindow } from "@tauri-apps/api/window";

import type { Draft } from "../lib/bindings/Draft";
import { on } from "../lib/events";
import { draftPut, draftsList, windowOpenRequest, windowOpenSpec } from "../lib/ipc";
import { toasts } from "../ui/toasts.svelte";
import { drafts } from "../features/drafts/store.svelte";
import { session } from "../features/session/store.svelte";
import { RequestTab, tabs } from "../features/tabs/store.svelte";
import { isMainWindow } from "./route";

/** Files changed through one window (a save, or, from the main window, the watcher). */
const CHANGED = "sextant://workspace-changed";
/** A request window closed with unsaved edits, kept as the draft `key`. */
const HANDED_OVER = "sextant://draft-handed-over";

interface Changed {
  from: string;
  paths: string[];
}
interface HandedOver {
  from: string;
  key: string;
}

/** Opens the saved request `path` in a window of its own. */
export async function openInWindow(path: string) {
  try {
    await windowOpenRequest(path);
  } catch (e) {
    toasts.fail("Could not open a window", e);
  }
}

/** Opens the documentation of the imported spec `specId` in a window of its own. */
export async function openSpecInWindow(specId: string) {
  try {
    await windowOpenSpec(specId);
  } catch (e) {
    toasts.fail("Could not open a window", e);
  }
}

/** Tells the other windows that `paths` changed. */
export function announceChange(paths: string[]) {
  if (paths.length === 0) return;
  const payload: Changed = { from: getCurrentWindow().label, paths };
  emit(CHANGED, payload).catch(() => {});
}

/**
 * Starts following the other windows: their changes reach this window's tabs, this window's
 * saves reach theirs; the main window takes the drafts of request windows as they close, and a
 * request window hands its unsaved edits over when it closes. Returns the stop function.
 */
export async function startWindowSync(): Promise<() => void> {
  const me = getCurrentWindow().label;
  const stops: Array<() => void> = [];
  stops.push(
    on("tabSettled", ({ key }) => {
      const path = tabs.tab(key)?.path;
      if (path) announceChange([path]);
    }),
  );
  stops.push(
    await listen<Changed>(CHANGED, ({ payload }) => {
      if (payload.from !== me) void tabs.onExternalChange(payload.paths);
    }),
  );
  if (isMainWindow()) {
    stops.push(
      await listen<HandedOver>(HANDED_OVER, ({ payload }) => {
        if (payload.from !== me) void takeDraft(payload.key);
      }),
    );
    stops.push(await getCurrentWindow().onCloseRequested(flushBeforeClose));
  } else {
    stops.push(await getCurrentWindow().onCloseRequested(handOver));
  }
  return () => stops.forEach((stop) => stop());
}

/** How long a closing main window waits for its session and drafts to be written. */
const FLUSH_LIMIT_MS = 3000;

/**
 * The main window closes: the session and the drafts still waiting for their delay are written
 * now, so a change made just before quitting is not lost. A write that takes longer than
 * FLUSH_LIMIT_MS does not keep the window open.
 */
async function flushBeforeClose() {
  const writes = Promise.all([session.flush(), drafts.flush()]);
  const limit = new Promise<void>((done) => setTimeout(done, FLUSH_LIMIT_MS));
  await Promise.race([writes, limit]);
}

/** A request or spec window closes: each tab with unsaved edits is written as a draft for the main window. */
async function handOver() {
  const from = getCurrentWindow().label;
  for (const tab of tabs.list) {
    if (!tab.dirty) continue;
    try {
      await draftPut({ key: tab.key, path: tab.path, baseRevision: tab.baseRevision, saved: tab.current });
      const payload: HandedOver = { from, key: tab.key };
      await emit(HANDED_OVER, payload);
    } catch {
      // The draft written 500 ms after the last edit stays; the main window finds it on its next start.
    }
  }
}

/** A draft handed over by a closing request window, opened here as a tab. */
async function takeDraft(key: string) {
  const draft = (await draftsList().catch(() => [] as Draft[])).find((d) => d.key === key);
  if (!draft) return;
  // A tab of the same file open here already: the edits open beside it, so neither is lost.
  const tab = drafts.adoptDraft(draft) ?? adoptBeside(draft);
  tabs.focus(tab.key);
  toasts.notify(`Unsaved changes of ${draft.saved.name || "a request"} moved here from their window`);
}

function adoptBeside(d: Draft): RequestTab {
  const tab = new RequestTab(d.key);
  tab.attach(d.path, d.baseRevision);
  tab.load(d.saved, false);
  return tabs.adopt(tab);
}
