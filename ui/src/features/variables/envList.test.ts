import { describe, expect, it } from "vitest";
import { GLOBALS, stepSelection } from "./envList";

const order = [GLOBALS, "dev", "prod"];

describe("stepSelection", () => {
  it("moves down and up one entry", () => {
    expect(stepSelection(order, GLOBALS, "ArrowDown")).toBe("dev");
    expect(stepSelection(order, "prod", "ArrowUp")).toBe("dev");
  });

  it("stays at the ends", () => {
    expect(stepSelection(order, "prod", "ArrowDown")).toBe("prod");
    expect(stepSelection(order, GLOBALS, "ArrowUp")).toBe(GLOBALS);
  });

  it("starts from the top when the selection is not in the list", () => {
    expect(stepSelection(order, "gone", "ArrowDown")).toBe(GLOBALS);
    expect(stepSelection(order, "gone", "ArrowUp")).toBe(GLOBALS);
  });

  it("ignores other keys", () => {
    expect(stepSelection(order, "dev", "Enter")).toBeNull();
    expect(stepSelection(order, "dev", "ArrowLeft")).toBeNull();
  });
});
