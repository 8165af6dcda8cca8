// The explorer store without the Rust side: which documentation pages stay open when a spec is
// reloaded or replaced, and what the main area shows.
import { describe, expect, it } from "vitest";
import type { OperationSummary } from "../../lib/bindings/openapi/OperationSummary";
import type { SpecOverview } from "../../lib/bindings/openapi/SpecOverview";
import { layout } from "../../shell/layout.svelte";
import { explorer } from "./store.svelte";

const op = (id: string, summary: string | null = null): OperationSummary => ({ id, method: "GET", path: `/${id}`, summary, tags: [], deprecated: false });

function overview(specId: string, source: string, ops: OperationSummary[], schemaNames: string[] = []): SpecOverview {
  return { specId, source, title: "T", version: "3.1.0", apiVersion: "1", description: null, servers: [], securitySchemes: [], tags: [], operations: ops, schemaNames, warnings: [], complete: true };
}

describe("explorer store", () => {
  it("opens pages once each, goes back, closes", () => {
    explorer.setSpec(overview("s1", "file:///a.yaml", [op("a"), op("b")]));
    explorer.openDoc({ kind: "op", op: op("a") });
    explorer.openDoc({ kind: "op", op: op("a") });
    expect(explorer.canGoBack).toBe(false);
    expect(layout.view).toBe("doc");
    explorer.openSchema("Pet");
    expect(explorer.docKey).toBe("schema:Pet");
    explorer.back();
    expect(explorer.docKey).toBe("op:a");
    explorer.closeDoc();
    expect(explorer.doc).toBeNull();
    expect(layout.view).toBe("request");
  });

  it("a reload keeps the pages that still exist, with their new summaries", () => {
    explorer.setSpec(overview("s1", "file:///a.yaml", [op("a"), op("b")], ["Pet"]));
    explorer.openDoc({ kind: "op", op: op("b") });
    explorer.openDoc({ kind: "op", op: op("a") });
    explorer.openSchema("Pet");
    explorer.serverUrl = "http://127.0.0.1:9";
    explorer.setSpec(overview("s1", "file:///a.yaml", [op("a", "now documented")], ["Pet"]));
    expect(explorer.docKey).toBe("schema:Pet");
    explorer.back();
    expect(explorer.doc).toEqual({ kind: "op", op: op("a", "now documented") });
    expect(explorer.canGoBack).toBe(false); // "b" is gone
    expect(explorer.serverUrl).toBe("http://127.0.0.1:9");
  });

  it("the API page survives a reload of its spec", () => {
    explorer.setSpec(overview("s1", "file:///a.yaml", [op("a")]));
    explorer.openDoc({ kind: "api" });
    expect(explorer.docKey).toBe("api");
    explorer.setSpec(overview("s1", "file:///a.yaml", [op("a")]));
    expect(explorer.doc).toEqual({ kind: "api" });
    explorer.setSpec(overview("s2", "file:///b.yaml", [op("a")]));
    expect(explorer.doc).toBeNull();
  });

  it("another spec closes the pages and forgets the server picked", () => {
    explorer.setSpec(overview("s1", "file:///a.yaml", [op("a")]));
    explorer.openDoc({ kind: "op", op: op("a") });
    explorer.serverUrl = "http://127.0.0.1:9";
    explorer.setSpec(overview("s2", "file:///b.yaml", [op("a")]));
    expect(explorer.doc).toBeNull();
    expect(explorer.serverUrl).toBeNull();
    expect(layout.view).toBe("request");
  });
});
