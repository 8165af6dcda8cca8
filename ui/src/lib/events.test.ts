import { describe, expect, it } from "vitest";
import { emit, on } from "./events";
import { newId } from "./ids";

describe("events", () => {
  it("delivers to listeners until they unsubscribe", () => {
    const seen: string[] = [];
    const off = on("sent", (p) => seen.push(p.tabKey));
    emit("sent", { tabKey: "a", captured: false });
    off();
    emit("sent", { tabKey: "b", captured: false });
    expect(seen).toEqual(["a"]);
  });
});

describe("newId", () => {
  it("makes distinct v4 uuids", () => {
    const ids = new Set(Array.from({ length: 1000 }, newId));
    expect(ids.size).toBe(1000);
    for (const id of ids) expect(id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
  });
});
