import { describe, expect, it } from "vitest";
import { layout, SIDEBAR_MAX, SIDEBAR_MIN } from "./layout.svelte";

describe("layout", () => {
  it("keeps the sidebar's width within bounds, rounded", () => {
    layout.sidebarWidth = 10;
    expect(layout.sidebarWidth).toBe(SIDEBAR_MIN);
    layout.sidebarWidth = 10_000;
    expect(layout.sidebarWidth).toBe(SIDEBAR_MAX);
    layout.sidebarWidth = 300.6;
    expect(layout.sidebarWidth).toBe(301);
  });

  it("show opens the sidebar on a view", () => {
    layout.sidebarOpen = false;
    layout.show("history");
    expect(layout.sidebarOpen).toBe(true);
    expect(layout.sidebarMode).toBe("history");
  });
});
