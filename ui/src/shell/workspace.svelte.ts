// Starts the workspace features in order: the tree, the last session's tabs and the drafts back
// (or one blank tab), the effects that write drafts and the session and check variables, and the
// watcher for changes on disk.

import { collections } from "../features/collections/store.svelte";
import { workspaceWatch } from "../features/collections/api";
import { drafts } from "../features/drafts/store.svelte";
import { session } from "../features/session/store.svelte";
import { tabs } from "../features/tabs/store.svelte";
import { variables } from "../features/variables/store.svelte";

let stopEffects: (() => void) | null = null;

export async function startWorkspace() {
  if (stopEffects) return;
  stopEffects = $effect.root(() => {
    $effect(() => drafts.track());
    $effect(() => session.track());
    $effect(() => variables.trackVariables());
    $effect(() => variables.trackCaptured());
  });
  await collections.refreshTree();
  await session.restore();
  if (tabs.list.length === 0) tabs.newTab();
  workspaceWatch((change) => tabs.onExternalChange(change.paths)).catch(() => {
    // No watcher: external edits show up on the next refresh instead.
  });
}

export function stopWorkspace() {
  stopEffects?.();
  stopEffects = null;
}
