import { describe, expect, it } from "vitest";
import { baseName, dirName, lineCount, stepFile } from "./codeFiles";

describe("paths", () => {
  it("splits a nested path and a top-level one", () => {
    expect(dirName("tests/items/test_list.py")).toBe("tests/items/");
    expect(baseName("tests/items/test_list.py")).toBe("test_list.py");
    expect(dirName("conftest.py")).toBe("");
    expect(baseName("conftest.py")).toBe("conftest.py");
  });
});

describe("lineCount", () => {
  it("does not count the final newline as a line", () => {
    expect(lineCount("")).toBe(0);
    expect(lineCount("a")).toBe(1);
    expect(lineCount("a\nb\n")).toBe(2);
    expect(lineCount("a\n\n")).toBe(2);
  });
});

describe("stepFile", () => {
  it("moves with the arrows and clamps at the ends", () => {
    expect(stepFile(0, 3, "ArrowDown")).toBe(1);
    expect(stepFile(2, 3, "ArrowDown")).toBe(2);
    expect(stepFile(0, 3, "ArrowUp")).toBe(0);
    expect(stepFile(1, 3, "Home")).toBe(0);
    expect(stepFile(0, 3, "End")).toBe(2);
  });

  it("ignores other keys and empty lists", () => {
    expect(stepFile(1, 3, "Enter")).toBe(-1);
    expect(stepFile(0, 0, "ArrowDown")).toBe(-1);
  });
});
