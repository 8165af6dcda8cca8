import { describe, expect, it } from "vitest";

import { formatHint, formatLabel, needsApp, optionsFor, replaceQuestion, sortFiles, writtenLine } from "./formats";

describe("export formats", () => {
  it("labels the known formats and shows an unknown one by its own name", () => {
    expect(formatLabel("pytest")).toBe("pytest + httpx");
    expect(formatLabel("testClient")).toBe("pytest + FastAPI TestClient");
    expect(formatLabel("someNewFormat")).toBe("someNewFormat");
    expect(formatHint("someNewFormat")).toBe("");
  });

  it("asks for module:app only for the in-process formats", () => {
    expect(needsApp("testClient")).toBe(true);
    expect(needsApp("flask")).toBe(true);
    expect(needsApp("pytest")).toBe(false);
    expect(optionsFor("pytest", "local", "ignored")).toEqual({ environment: "local", app: null });
    expect(optionsFor("curl", null, "")).toEqual({ environment: null, app: null });
  });

  it("checks module:app as the generator does", () => {
    expect(optionsFor("testClient", null, " demo_api.app:app ")).toEqual({ environment: null, app: "demo_api.app:app" });
    expect(optionsFor("flask", null, "main:create_app.app")).toEqual({ environment: null, app: "main:create_app.app" });
    expect(optionsFor("flask", null, "")).toMatch(/module:app/);
    for (const bad of ["main", "main:", ":app", "1main:app", "my-app:app", "main:app:x"]) {
      expect(typeof optionsFor("testClient", null, bad), bad).toBe("string");
    }
  });

  it("says how many files went where, and which would be replaced", () => {
    expect(writtenLine(1, "/tmp/x")).toBe("Wrote 1 file to /tmp/x");
    expect(writtenLine(4, "/tmp/x")).toBe("Wrote 4 files to /tmp/x");
    expect(replaceQuestion(["conftest.py"], "/o")).toBe("1 file already exists in /o: conftest.py. Replace it?");
    const many = ["a", "b", "c", "d", "e", "f", "g"];
    expect(replaceQuestion(many, "/o")).toBe("7 files already exist in /o: a, b, c, d, e, and 2 more. Replace them?");
  });

  it("lists top-level files before folders, each by name", () => {
    const files = ["tests/test_b.py", "sextant_support.py", "README.md", "conftest.py", "schemas/a.json", "tests/test_a.py"].map((path) => ({ path }));
    expect(sortFiles(files).map((f) => f.path)).toEqual([
      "conftest.py",
      "README.md",
      "sextant_support.py",
      "schemas/a.json",
      "tests/test_a.py",
      "tests/test_b.py",
    ]);
  });
});
