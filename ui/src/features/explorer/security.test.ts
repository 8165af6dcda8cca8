import { describe, expect, it } from "vitest";
import { flowName, schemeKind, schemeLines } from "./security";

describe("security scheme wording", () => {
  it("says where an API key goes", () => {
    const s = { name: "k", type: "apiKey", paramName: "X-API-KEY", location: "header" } as const;
    expect(schemeKind(s)).toBe("API key");
    expect(schemeLines(s)).toEqual([{ label: "In header", value: "X-API-KEY" }]);
  });
  it("names HTTP schemes and bearer formats", () => {
    expect(schemeKind({ name: "b", type: "http", scheme: "bearer", bearerFormat: "JWT" })).toBe("HTTP Bearer");
    expect(schemeLines({ name: "b", type: "http", scheme: "bearer", bearerFormat: "JWT" })).toEqual([{ label: "Bearer format", value: "JWT" }]);
    expect(schemeKind({ name: "d", type: "http", scheme: "digest" })).toBe("HTTP digest");
  });
  it("names flows and discovery URLs", () => {
    expect(flowName("clientCredentials")).toBe("Client credentials");
    expect(schemeLines({ name: "o", type: "openIdConnect", url: "https://id.example/.well-known/openid-configuration" })[0].label).toBe("Discovery");
  });
});
