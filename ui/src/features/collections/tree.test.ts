import { describe, expect, it } from "vitest";
import type { TreeNode } from "../../lib/bindings/TreeNode";
import {
  allContainers,
  allRequests,
  canDrop,
  collectionOf,
  findNode,
  parentPath,
  rebasePath,
  revealPath,
  visibleRows,
} from "./tree";

const req = (path: string, name: string, method = "GET"): TreeNode => ({ kind: "request", name, path, method, error: null, children: [] });
const roots: TreeNode[] = [
  {
    kind: "collection",
    name: "Demo",
    path: "demo",
    method: null,
    error: null,
    children: [
      { kind: "folder", name: "Items", path: "demo/items", method: null, error: null, children: [req("demo/items/list.yaml", "List", "GET")] },
      req("demo/ping.yaml", "Ping"),
    ],
  },
  { kind: "collection", name: "Other", path: "other", method: null, error: null, children: [] },
];

describe("visibleRows", () => {
  it("shows only the children of expanded containers", () => {
    expect(visibleRows(roots, new Set()).map((r) => r.node.path)).toEqual(["demo", "other"]);
    const rows = visibleRows(roots, new Set(["demo", "demo/items"]));
    expect(rows.map((r) => [r.node.path, r.depth])).toEqual([
      ["demo", 0],
      ["demo/items", 1],
      ["demo/items/list.yaml", 2],
      ["demo/ping.yaml", 1],
      ["other", 0],
    ]);
    expect(rows[0].expanded).toBe(true);
  });

  it("does not open a folder whose parent is closed", () => {
    expect(visibleRows(roots, new Set(["demo/items"])).map((r) => r.node.path)).toEqual(["demo", "other"]);
  });
});

describe("paths", () => {
  it("finds nodes and parents", () => {
    expect(findNode(roots, "demo/items/list.yaml")?.name).toBe("List");
    expect(findNode(roots, "demo/nope")).toBeNull();
    expect(parentPath("demo/items/list.yaml")).toBe("demo/items");
    expect(parentPath("demo")).toBeNull();
    expect(collectionOf("demo/items/list.yaml")).toBe("demo");
    expect(collectionOf(null)).toBeNull();
  });

  it("rebases paths under a renamed folder only", () => {
    expect(rebasePath("demo/items/list.yaml", "demo/items", "demo/things")).toBe("demo/things/list.yaml");
    expect(rebasePath("demo/items2/x.yaml", "demo/items", "demo/things")).toBe("demo/items2/x.yaml");
    expect(rebasePath("demo/items", "demo/items", "demo/things")).toBe("demo/things");
  });

  it("refuses drops into itself, its descendants or its current parent", () => {
    expect(canDrop("demo/items", "demo/items")).toBe(false);
    expect(canDrop("demo/items", "demo/items/sub")).toBe(false);
    expect(canDrop("demo/ping.yaml", "demo")).toBe(false);
    expect(canDrop("demo/ping.yaml", "demo/items")).toBe(true);
    expect(canDrop("demo/items", "other")).toBe(true);
  });

  it("opens every ancestor to reveal a path", () => {
    expect([...revealPath(new Set(), "demo/items/list.yaml")].sort()).toEqual(["demo", "demo/items"]);
  });
});

describe("listings", () => {
  it("lists requests with their location and containers with labels", () => {
    expect(allRequests(roots).map((r) => [r.node.path, r.location])).toEqual([
      ["demo/items/list.yaml", "Demo / Items"],
      ["demo/ping.yaml", "Demo"],
    ]);
    expect(allContainers(roots).map((c) => c.label)).toEqual(["Demo", "Demo / Items", "Other"]);
  });
});
