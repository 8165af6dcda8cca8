// The collections tree's context menu: which actions a request, a folder and a collection
// offer, in which order, with their shortcuts and separators. The panel supplies what each does.

import type { TreeNode } from "../../lib/bindings/TreeNode";
import type { MenuItem } from "../../ui/ContextMenu.svelte";

/** What the menu's items do, each for the node the menu was opened on. */
export interface TreeMenuActions {
  open(node: TreeNode): void;
  openInWindow(node: TreeNode): void;
  create(kind: "request" | "websocket" | "folder", parent: TreeNode): void;
  settings(node: TreeNode): void;
  run(node: TreeNode): void;
  rename(node: TreeNode): void;
  duplicate(node: TreeNode): void;
  copyAsCurl(node: TreeNode): void;
  exportAs(node: TreeNode, format: "postman" | "har"): void;
  exportCode(node: TreeNode): void;
  importInto(node: TreeNode): void;
  remove(node: TreeNode): void;
}

export function treeMenu(node: TreeNode, act: TreeMenuActions): MenuItem[] {
  const items: MenuItem[] = [];
  if (node.kind === "request") {
    items.push({ label: "Open", run: () => act.open(node), shortcut: "Enter" });
    items.push({ label: "Open in new window", run: () => act.openInWindow(node) });
  } else {
    items.push({ label: "New request…", run: () => act.create("request", node) });
    items.push({ label: "New WebSocket request…", run: () => act.create("websocket", node) });
    items.push({ label: "New folder…", run: () => act.create("folder", node) });
    items.push({ label: "Settings…", run: () => act.settings(node) });
    items.push({ label: "Run…", run: () => act.run(node), separated: true });
  }
  items.push({ label: "Rename", run: () => act.rename(node), shortcut: "F2", separated: true });
  if (node.kind !== "collection") items.push({ label: "Duplicate", run: () => act.duplicate(node), shortcut: "Ctrl+D" });
  if (node.kind === "request") {
    items.push({ label: "Copy as curl", run: () => act.copyAsCurl(node), separated: true });
    items.push({ label: "Export as Postman…", run: () => act.exportAs(node, "postman") });
    items.push({ label: "Export as HAR…", run: () => act.exportAs(node, "har") });
    items.push({ label: "Export as code…", run: () => act.exportCode(node) });
  } else {
    items.push({ label: "Import into…", run: () => act.importInto(node), separated: true });
    items.push({ label: "Export as Postman…", run: () => act.exportAs(node, "postman") });
    items.push({ label: "Export as code…", run: () => act.exportCode(node) });
  }
  items.push({ label: "Delete", run: () => act.remove(node), shortcut: "Del", danger: true, separated: true });
  return items;
}
