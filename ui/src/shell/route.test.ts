import { describe, expect, it } from "vitest";
import { parseRoute } from "./route";

describe("parseRoute", () => {
  it("reads the request window's path, percent-decoded", () => {
    expect(parseRoute("#/request?path=Sample%20API%2FList%20items%20%26%20more.yaml")).toEqual({
      kind: "request",
      path: "Sample API/List items & more.yaml",
    });
  });

  it("is the main window without a hash, with another hash, or without a path", () => {
    expect(parseRoute("")).toEqual({ kind: "main" });
    expect(parseRoute("#/elsewhere?path=a.yaml")).toEqual({ kind: "main" });
    expect(parseRoute("#/request?path=")).toEqual({ kind: "main" });
    expect(parseRoute("#/request")).toEqual({ kind: "main" });
  });
});
