import { describe, expect, it } from "vitest";
import { collidingName, describeCollection, describeImport, freeName } from "./importSummary";

const shop = { path: "shop-api", name: "Shop API", requests: 12, folders: 4, merged: false };

describe("import summary", () => {
  it("counts requests and folders with the right singulars", () => {
    expect(describeCollection(shop)).toBe("Shop API: 12 requests in 4 folders");
    expect(describeCollection({ ...shop, requests: 1, folders: 0 })).toBe("Shop API: 1 request");
    expect(describeCollection({ ...shop, requests: 3, folders: 1 })).toBe("Shop API: 3 requests in 1 folder");
    expect(describeCollection({ ...shop, merged: true })).toBe("Merged into Shop API: 12 requests in 4 folders");
  });

  it("falls back to the number of items for a request or an environment", () => {
    expect(describeImport({ paths: ["imported/x.yaml"], collections: [], warnings: [] })).toBe("Imported 1 item");
    expect(describeImport({ paths: ["shop-api"], collections: [shop], warnings: [] })).toBe("Shop API: 12 requests in 4 folders");
  });

  it("recognises the refusal to write beside a collection of the same name", () => {
    const message = 'a collection named "Shop "v2" API" already exists: merge into it or import under another name';
    expect(collidingName({ code: "Conflict", message })).toBe('Shop "v2" API');
    expect(collidingName({ code: "Conflict", message: "x.yaml changed on disk since it was opened" })).toBeNull();
    expect(collidingName({ code: "InvalidFile", message })).toBeNull();
  });

  it("suggests the next free name", () => {
    expect(freeName("Shop API", ["Shop API"])).toBe("Shop API 2");
    expect(freeName("Shop API", ["Shop API", "Shop API 2"])).toBe("Shop API 3");
  });
});
