// "Open schema": the contract's spec found as the Rust side finds it, and its operation by id or
// by method and path template.
import { describe, expect, it } from "vitest";
import type { OperationSummary } from "../../lib/bindings/openapi/OperationSummary";
import { contractOperation, contractSource, responseStatusOf } from "./contractLink";

const op = (id: string, method: string, path: string): OperationSummary => ({ id, method, path, summary: null, tags: [], deprecated: false });

describe("contract link", () => {
  it("reads a URL or an absolute path as it is, a relative one from the request's collection folder", () => {
    const url = { spec: "http://127.0.0.1:8000/openapi.json", operation: "x" };
    expect(contractSource(url, "/ws", "shop/a.yaml")).toBe(url.spec);
    expect(contractSource({ spec: "/specs/api.yaml", operation: "x" }, "/ws", "shop/a.yaml")).toBe("/specs/api.yaml");
    expect(contractSource({ spec: "specs/api.yaml", operation: "x" }, "/ws/", "shop/f/a.yaml")).toBe("/ws/shop/specs/api.yaml");
    // An unsaved request has no folder to start from.
    expect(contractSource({ spec: "api.yaml", operation: "x" }, "/ws", null)).toBe("api.yaml");
  });

  it("finds the operation by its id, else by METHOD and path template, else none", () => {
    const ops = [op("listItems", "GET", "/items"), op("GET /contract/broken-items", "GET", "/contract/broken-items"), op("getItem", "GET", "/items/{id}")];
    expect(contractOperation({ spec: "", operation: "getItem" }, ops)?.path).toBe("/items/{id}");
    expect(contractOperation({ spec: "", operation: "get /items" }, ops)?.id).toBe("listItems");
    expect(contractOperation({ spec: "", operation: "GET /contract/broken-items" }, ops)?.id).toBe("GET /contract/broken-items");
    expect(contractOperation({ spec: "", operation: "DELETE /items" }, ops)).toBeNull();
    expect(contractOperation({ spec: "", operation: "nothing" }, ops)).toBeNull();
  });
});

describe("responseStatusOf", () => {
  it("finds the documented response a schema pointer is inside", () => {
    expect(responseStatusOf("#/paths/~1contract~1broken-items/get/responses/200/content/application~1json/schema/items/required")).toBe("200");
    expect(responseStatusOf("#/paths/~1items/get/responses/default/schema")).toBe("default");
    expect(responseStatusOf("#/paths/~1items/get/responses/4XX")).toBe("4XX");
  });

  it("is null when the pointer names no response", () => {
    expect(responseStatusOf(undefined)).toBeNull();
    expect(responseStatusOf("")).toBeNull();
    expect(responseStatusOf("#/components/schemas/Item")).toBeNull();
    expect(responseStatusOf("#/paths/~1x/get/responses")).toBeNull();
  });
});
