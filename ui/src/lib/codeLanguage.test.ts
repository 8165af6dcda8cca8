import { describe, expect, it } from "vitest";
import type { SnippetLanguage } from "./bindings/SnippetLanguage";
import { languageForPath, languageForSnippet } from "./codeLanguage";

describe("languageForPath", () => {
  it("highlights the Python files an export writes as Python", () => {
    for (const p of ["conftest.py", "tests/test_users.py", "locustfile.py", "mocks/recorded_respx.py", "sextant_support.PY"]) {
      expect(languageForPath(p)).toBe("python");
    }
  });

  it("keeps JSON files as JSON", () => {
    expect(languageForPath("schemas/User.json")).toBe("json");
    expect(languageForPath("listUsers.JSON")).toBe("json");
  });

  it("shows other files plain, a dot in a folder name or a leading dot not counting as an extension", () => {
    for (const p of ["README.md", "requirements.txt", "run.sh", "script.js", "Makefile", "tests.py/README", ".py", "a/.json", ""]) {
      expect(languageForPath(p)).toBe("plain");
    }
  });
});

describe("languageForSnippet", () => {
  it("highlights the two Python snippets as Python and leaves the rest plain", () => {
    const all: SnippetLanguage[] = ["curl", "pythonHttpx", "pythonRequests", "javaScriptFetch", "goNetHttp", "rustReqwest"];
    expect(Object.fromEntries(all.map((l) => [l, languageForSnippet(l)]))).toEqual({
      curl: "plain",
      pythonHttpx: "python",
      pythonRequests: "python",
      javaScriptFetch: "plain",
      goNetHttp: "plain",
      rustReqwest: "plain",
    });
  });
});
