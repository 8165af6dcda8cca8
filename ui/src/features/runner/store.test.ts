// The runner store around a run: the view it opens, a run that cannot start, Close, and
// History's Runs list shown from the palette.
import { describe, expect, it } from "vitest";
import { layout } from "../../shell/layout.svelte";
import { runner } from "./store.svelte";
import { defaultForm, optionsFromForm } from "./run";

describe("runner store", () => {
  it("a run shows the run view; one that cannot start says why; Close goes back to the request", async () => {
    const options = optionsFromForm(defaultForm(null, []));
    if (typeof options === "string") throw new Error(options);
    runner.openDialog("c/f");
    expect(runner.dialog).toEqual({ path: "c/f" });
    // No Rust side here: the command is refused, as a bad data file would be.
    await runner.start("c/f", options);
    expect(runner.dialog).toBeNull();
    expect(layout.view).toBe("run");
    expect(runner.run?.path).toBe("c/f");
    expect(runner.run?.status).toBe("failed");
    expect(runner.run?.error).not.toBeNull();
    // Nothing failed was recorded: Rerun failed has nothing to run and leaves the run alone.
    const before = runner.run;
    runner.rerunFailed();
    expect(runner.run).toBe(before);
    runner.close();
    expect(runner.run).toBeNull();
    expect(layout.view).toBe("request");
  });

  it("the palette's Open a recorded run shows History's Runs; a run that cannot be read leaves the view alone", async () => {
    runner.runsShown = false;
    layout.view = "request";
    runner.showRuns();
    expect(runner.runsShown).toBe(true);
    expect(layout.sidebarMode).toBe("history");
    expect(layout.sidebarOpen).toBe(true);
    // No Rust side here: reading the run is refused, as for a run trimmed from the history.
    await runner.openRecorded("gone");
    expect(runner.run).toBeNull();
    expect(layout.view).toBe("request");
    expect(runner.exists("nowhere/at/all")).toBe(false);
  });
});
