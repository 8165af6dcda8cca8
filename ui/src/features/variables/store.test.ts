// The variables store's environment choice, which follows the tree's renames and moves.
import { describe, expect, it } from "vitest";
import { emit } from "../../lib/events";
import { variables } from "./store.svelte";

describe("variables store", () => {
  it("remembers the environment per collection and follows a rename", () => {
    variables.chooseEnvironment("shop", "staging");
    expect(variables.chosen("shop")).toBe("staging");
    expect(variables.environmentFor("shop/orders/list.yaml")).toBe("staging");
    expect(variables.environmentFor(null)).toBeNull();
    emit("itemMoved", { from: "shop", to: "store" });
    expect(variables.chosen("store")).toBe("staging");
    expect(variables.chosen("shop")).toBeNull();
  });
});
