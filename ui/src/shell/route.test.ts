import { describe, expect, it } from "vitest";
import { parseRoute } from "./route";

describe("parseRoute", () => {
  it("reads the request window's path, percent-decoded", () => {
    expect(parseRoute("#/request?path=Sample%20API%2FList%20items%20%26%20more.yaml")).toEqual({
      kind: "request",
      path: "Sample API/List items & more.yaml",
    });
  });

  it("reads a spec window's spec id; without one it is the main window", () => {
    expect(parseRoute("#/spec?id=spec-3")).toEqual({ kind: "spec", specId: "spec-3" });
    expect(parseRoute("#/spec?id=")).toEqual({ kind: "main" });
    expect(parseRoute("#/spec")).toEqual({ kind: "main" });
  });

  it("is the main window without a hash, with another hash, or without a path", () => {
    expect(parseRoute("")).toEqual({ kind: "main" });
    expect(parseRoute("#/elsewhere?path=a.yaml")).toEqual({ kind: "main" });
    expect(parseRoute("#/request?path=")).toEqual({ kind: "main" });
    expect(parseRoute("#/request")).toEqual({ kind: "main" });
  });
});
