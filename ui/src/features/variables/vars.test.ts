import { describe, expect, it } from "vitest";
import { tokenizeVars, varNames } from "./vars";

describe("tokenizeVars", () => {
  it("splits text and references, losing nothing", () => {
    const text = "{{base}}/users/{{ id }}?q=1";
    const tokens = tokenizeVars(text);
    expect(tokens).toEqual([
      { kind: "var", text: "{{base}}", name: "base" },
      { kind: "text", text: "/users/" },
      { kind: "var", text: "{{ id }}", name: "id" },
      { kind: "text", text: "?q=1" },
    ]);
    expect(tokens.map((t) => t.text).join("")).toBe(text);
  });

  it("keeps unclosed and empty braces as text", () => {
    expect(tokenizeVars("a {{b")).toEqual([{ kind: "text", text: "a {{b" }]);
    expect(tokenizeVars("x{{  }}y")).toEqual([{ kind: "text", text: "x{{  }}y" }]);
  });

  it("takes the innermost opening braces", () => {
    const tokens = tokenizeVars("{{{x}}");
    expect(tokens).toEqual([
      { kind: "text", text: "{" },
      { kind: "var", text: "{{x}}", name: "x" },
    ]);
  });

  it("returns nothing for empty text", () => {
    expect(tokenizeVars("")).toEqual([]);
  });
});

describe("varNames", () => {
  it("lists each name once, in order", () => {
    expect(varNames("{{a}}/{{b}}/{{ a }}")).toEqual(["a", "b"]);
  });
});
