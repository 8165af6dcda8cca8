import { describe, expect, it } from "vitest";
import type { OperationSummary } from "../../lib/bindings/openapi/OperationSummary";
import type { SpecDiff } from "../../lib/bindings/openapi/SpecDiff";
import { diffCounts, diffSummary, importInitial, isEmptyDiff, isWatchable, PASTED_SOURCE } from "./diff";

const op = (method: string, path: string): OperationSummary => ({
  id: `${method} ${path}`,
  method,
  path,
  summary: null,
  tags: [],
  deprecated: false,
});

const none: SpecDiff = { added: [], removed: [], changed: [] };

describe("spec diff", () => {
  it("says No changes for an empty diff", () => {
    expect(isEmptyDiff(none)).toBe(true);
    expect(diffCounts(none)).toEqual({ added: 0, removed: 0, changed: 0, breaking: 0 });
    expect(diffSummary(diffCounts(none))).toBe("No changes");
  });

  it("counts removed operations and breaking changes as breaking", () => {
    const diff: SpecDiff = {
      added: [op("GET", "/a"), op("GET", "/b")],
      removed: [op("DELETE", "/items/{id}")],
      changed: [
        {
          id: "create",
          method: "POST",
          path: "/items",
          changes: [
            { description: 'query parameter "limit" is now required', breaking: true },
            { description: "summary changed", breaking: false },
          ],
        },
        { id: "list", method: "GET", path: "/items", changes: [{ description: "response 404 added", breaking: false }] },
      ],
    };
    expect(isEmptyDiff(diff)).toBe(false);
    const c = diffCounts(diff);
    expect(c).toEqual({ added: 2, removed: 1, changed: 2, breaking: 2 });
    expect(diffSummary(c)).toBe("2 added, 1 removed, 2 changed, 2 breaking");
  });

  it("leaves zero counts out of the summary", () => {
    expect(diffSummary({ added: 1, removed: 0, changed: 0, breaking: 0 })).toBe("1 added");
    expect(diffSummary({ added: 0, removed: 0, changed: 1, breaking: 1 })).toBe("1 changed, 1 breaking");
  });

  it("watches only http(s) sources", () => {
    expect(isWatchable("http://127.0.0.1:8000/openapi.json")).toBe(true);
    expect(isWatchable("HTTPS://api.example.com/spec.yaml")).toBe(true);
    expect(isWatchable("/home/me/openapi.yaml")).toBe(false);
    expect(isWatchable(PASTED_SOURCE)).toBe(false);
    expect(isWatchable("httpx.yaml")).toBe(false);
  });

  it("starts the import dialog empty for a pasted spec", () => {
    expect(importInitial(undefined)).toBe("");
    expect(importInitial(PASTED_SOURCE)).toBe("");
    expect(importInitial("http://127.0.0.1:8000/openapi.json")).toBe("http://127.0.0.1:8000/openapi.json");
  });
});
