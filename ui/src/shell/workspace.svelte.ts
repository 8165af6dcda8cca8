// Starts the workspace features in order: the tree, the last session's tabs and the drafts back
// (or one blank tab), the effects that write drafts and the session and check variables, and the
// watcher for changes on disk. A request window (`route.ts`) opens its one request instead, with
// the sidebar collapsed, and a spec window shows its spec's documentation; both leave the session
// and the watcher to the main window, following the changes the other windows announce
// (`windows.ts`).

import { collections } from "../features/collections/store.svelte";
import { workspaceWatch } from "../features/collections/api";
import { drafts } from "../features/drafts/store.svelte";
import { explorer } from "../features/explorer/store.svelte";
import { session } from "../features/session/store.svelte";
import { tabs } from "../features/tabs/store.svelte";
import { variables } from "../features/variables/store.svelte";
import { layout } from "./layout.svelte";
import { windowRoute } from "./route";
import { announceChange, startWindowSync } from "./windows";

let stopEffects: (() => void) | null = null;
let stopSync: (() => void) | null = null;

export async function startWorkspace() {
  if (stopEffects) return;
  stopEffects = $effect.root(() => {
    $effect(() => drafts.track());
    $effect(() => session.track());
    $effect(() => variables.trackVariables());
    $effect(() => variables.trackCaptured());
  });
  const route = windowRoute;
  if (route.kind === "request") layout.sidebarOpen = false;
  await collections.refreshTree();
  if (route.kind === "request") await tabs.openRequest(route.path);
  else await session.restore();
  if (tabs.list.length === 0) tabs.newTab();
  if (route.kind === "spec") void explorer.showSpec(route.specId);
  startWindowSync()
    .then((stop) => (stopSync = stop))
    .catch(() => {
      // Outside Tauri (or without event permissions): one window, nothing to follow.
    });
  // One watcher, the main window's (a second `workspace_watch` would replace it); the other
  // windows hear of its changes from the main window.
  if (route.kind !== "main") return;
  workspaceWatch((change) => {
    void tabs.onExternalChange(change.paths);
    announceChange(change.paths);
  }).catch(() => {
    // No watcher: external edits show up on the next refresh instead.
  });
}

export function stopWorkspace() {
  stopEffects?.();
  stopEffects = null;
  stopSync?.();
  stopSync = null;
}
