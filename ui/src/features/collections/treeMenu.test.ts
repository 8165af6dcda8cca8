import { describe, expect, it } from "vitest";
import type { TreeNode } from "../../lib/bindings/TreeNode";
import { treeMenu, type TreeMenuActions } from "./treeMenu";

const node = (kind: TreeNode["kind"], path: string): TreeNode => ({ kind, name: path, path, method: kind === "request" ? "GET" : null, error: null, children: [] });

/** Actions that write down what was asked of them. */
function recorder(): { act: TreeMenuActions; calls: string[] } {
  const calls: string[] = [];
  const act: TreeMenuActions = {
    open: (n) => calls.push(`open ${n.path}`),
    openInWindow: (n) => calls.push(`window ${n.path}`),
    create: (k, p) => calls.push(`create ${k} in ${p.path}`),
    settings: (n) => calls.push(`settings ${n.path}`),
    run: (n) => calls.push(`run ${n.path}`),
    rename: (n) => calls.push(`rename ${n.path}`),
    duplicate: (n) => calls.push(`duplicate ${n.path}`),
    copyAsCurl: (n) => calls.push(`curl ${n.path}`),
    exportAs: (n, f) => calls.push(`export ${f} ${n.path}`),
    exportCode: (n) => calls.push(`code ${n.path}`),
    importInto: (n) => calls.push(`import ${n.path}`),
    remove: (n) => calls.push(`remove ${n.path}`),
  };
  return { act, calls };
}

/** A menu as text: "—" before a separated item, the shortcut in brackets. */
const shape = (items: ReturnType<typeof treeMenu>) =>
  items.map((i) => `${i.separated ? "— " : ""}${i.label}${i.shortcut ? ` [${i.shortcut}]` : ""}${i.danger ? " !" : ""}`);

describe("treeMenu", () => {
  it("offers a request's actions", () => {
    const { act } = recorder();
    expect(shape(treeMenu(node("request", "c/r.yaml"), act))).toEqual([
      "Open [Enter]",
      "Open in new window",
      "— Rename [F2]",
      "Duplicate [Ctrl+D]",
      "— Copy as curl",
      "Export as Postman…",
      "Export as HAR…",
      "Export as code…",
      "— Delete [Del] !",
    ]);
  });

  it("offers a folder's actions", () => {
    const { act } = recorder();
    expect(shape(treeMenu(node("folder", "c/f"), act))).toEqual([
      "New request…",
      "New WebSocket request…",
      "New folder…",
      "Settings…",
      "— Run…",
      "— Rename [F2]",
      "Duplicate [Ctrl+D]",
      "— Import into…",
      "Export as Postman…",
      "Export as code…",
      "— Delete [Del] !",
    ]);
  });

  it("offers no Duplicate on a collection", () => {
    const { act } = recorder();
    const labels = treeMenu(node("collection", "c"), act).map((i) => i.label);
    expect(labels).not.toContain("Duplicate");
    expect(labels).toContain("Settings…");
  });

  it("runs each action on the node it was opened on", () => {
    const { act, calls } = recorder();
    const f = node("folder", "c/f");
    for (const item of treeMenu(f, act)) item.run();
    expect(calls).toEqual([
      "create request in c/f",
      "create websocket in c/f",
      "create folder in c/f",
      "settings c/f",
      "run c/f",
      "rename c/f",
      "duplicate c/f",
      "import c/f",
      "export postman c/f",
      "code c/f",
      "remove c/f",
    ]);
    calls.length = 0;
    const r = node("request", "c/r.yaml");
    for (const item of treeMenu(r, act)) item.run();
    expect(calls).toEqual([
      "open c/r.yaml",
      "window c/r.yaml",
      "rename c/r.yaml",
      "duplicate c/r.yaml",
      "curl c/r.yaml",
      "export postman c/r.yaml",
      "export har c/r.yaml",
      "code c/r.yaml",
      "remove c/r.yaml",
    ]);
  });
});
