import { describe, expect, it } from "vitest";
import { menuKey } from "./menuKeys";

describe("menuKey", () => {
  it("moves with the arrows, wrapping at both ends, and jumps with Home/End", () => {
    expect(menuKey("ArrowDown", 0, 3)).toEqual({ kind: "move", to: 1 });
    expect(menuKey("ArrowDown", 2, 3)).toEqual({ kind: "move", to: 0 });
    expect(menuKey("ArrowUp", 0, 3)).toEqual({ kind: "move", to: 2 });
    expect(menuKey("Home", 2, 3)).toEqual({ kind: "move", to: 0 });
    expect(menuKey("End", 0, 3)).toEqual({ kind: "move", to: 2 });
  });

  it("closes on Escape and Tab, ignores other keys and moves nowhere in an empty menu", () => {
    expect(menuKey("Escape", 1, 3)).toEqual({ kind: "close" });
    expect(menuKey("Tab", 1, 3)).toEqual({ kind: "close" });
    expect(menuKey("a", 1, 3)).toBeNull();
    expect(menuKey("ArrowDown", 0, 0)).toBeNull();
  });
});
