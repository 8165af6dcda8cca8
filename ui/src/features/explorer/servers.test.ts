import { describe, expect, it } from "vitest";
import type { Server } from "../../lib/bindings/openapi/Server";
import { fillServerUrl, key, variableValue } from "./servers";

const server: Server = {
  url: "https://{region}.shop.example.com/{basePath}/{other}",
  variables: [
    { name: "region", default: "eu", enum: ["eu", "us"] },
    { name: "basePath", default: "v1" },
  ],
};

describe("server variables", () => {
  it("uses defaults until the user picks, and keeps unknown names as written", () => {
    expect(fillServerUrl(server, {})).toBe("https://eu.shop.example.com/v1/{other}");
  });

  it("uses the user's choices", () => {
    const chosen = { [key(server.url, "region")]: "us", [key(server.url, "basePath")]: "v2" };
    expect(fillServerUrl(server, chosen)).toBe("https://us.shop.example.com/v2/{other}");
  });

  it("falls back to the default when a choice is not in the enum", () => {
    const chosen = { [key(server.url, "region")]: "mars" };
    expect(variableValue(server, "region", chosen)).toBe("eu");
  });

  it("leaves a server without variables alone", () => {
    expect(fillServerUrl({ url: "http://127.0.0.1:8000" }, {})).toBe("http://127.0.0.1:8000");
  });
});
