// The workspace tree as the sidebar shows it: visible rows for the expanded folders, lookups by
// path, and the path arithmetic that renames, moves and deletes need.

import type { TreeNode } from "../../lib/bindings/TreeNode";

export interface TreeRow {
  node: TreeNode;
  depth: number;
  expanded: boolean;
}

/** The rows to draw: every collection, and the children of the expanded containers, depth first. */
export function visibleRows(roots: ReadonlyArray<TreeNode>, expanded: ReadonlySet<string>): TreeRow[] {
  const out: TreeRow[] = [];
  const walk = (nodes: ReadonlyArray<TreeNode>, depth: number) => {
    for (const node of nodes) {
      const open = node.kind !== "request" && expanded.has(node.path);
      out.push({ node, depth, expanded: open });
      if (open) walk(node.children, depth + 1);
    }
  };
  walk(roots, 0);
  return out;
}

export function findNode(roots: ReadonlyArray<TreeNode>, path: string): TreeNode | null {
  for (const node of roots) {
    if (node.path === path) return node;
    if (path.startsWith(node.path + "/")) {
      const hit = findNode(node.children, path);
      if (hit) return hit;
    }
  }
  return null;
}

/** The containing folder or collection of a path; null for a collection. */
export function parentPath(path: string): string | null {
  const i = path.lastIndexOf("/");
  return i < 0 ? null : path.slice(0, i);
}

/** The collection a path belongs to: its first segment. */
export function collectionOf(path: string | null): string | null {
  if (path === null || path === "") return null;
  const i = path.indexOf("/");
  return i < 0 ? path : path.slice(0, i);
}

/** Whether `path` is `ancestor` itself or inside it. */
export function isWithin(path: string, ancestor: string): boolean {
  return path === ancestor || path.startsWith(ancestor + "/");
}

/** `path` after `from` became `to` (a rename or a move of it or of a folder above it); unchanged otherwise. */
export function rebasePath(path: string, from: string, to: string): string {
  if (path === from) return to;
  if (path.startsWith(from + "/")) return to + path.slice(from.length);
  return path;
}

/** Whether dropping `source` onto the container `target` is a real move. */
export function canDrop(source: string, target: string): boolean {
  if (isWithin(target, source)) return false;
  return parentPath(source) !== target;
}

/** Every request in the tree, with its location for display (`Collection / Folder`). */
export function allRequests(roots: ReadonlyArray<TreeNode>): Array<{ node: TreeNode; location: string }> {
  const out: Array<{ node: TreeNode; location: string }> = [];
  const walk = (nodes: ReadonlyArray<TreeNode>, trail: string[]) => {
    for (const node of nodes) {
      if (node.kind === "request") out.push({ node, location: trail.join(" / ") });
      else walk(node.children, [...trail, node.name]);
    }
  };
  walk(roots, []);
  return out;
}

/** Every collection and folder, for "save into" and "import into" pickers. */
export function allContainers(roots: ReadonlyArray<TreeNode>): Array<{ path: string; label: string; depth: number }> {
  const out: Array<{ path: string; label: string; depth: number }> = [];
  const walk = (nodes: ReadonlyArray<TreeNode>, trail: string[], depth: number) => {
    for (const node of nodes) {
      if (node.kind === "request") continue;
      const label = [...trail, node.name];
      out.push({ path: node.path, label: label.join(" / "), depth });
      walk(node.children, label, depth + 1);
    }
  };
  walk(roots, [], 0);
  return out;
}

/** The expanded set with every ancestor of `path` opened, so the row becomes visible. */
export function revealPath(expanded: ReadonlySet<string>, path: string): Set<string> {
  const next = new Set(expanded);
  let p = parentPath(path);
  while (p !== null) {
    next.add(p);
    p = parentPath(p);
  }
  return next;
}
