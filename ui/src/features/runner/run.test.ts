// The runner's form, event folding and ordering.
import { describe, expect, it } from "vitest";
import type { RunResult } from "../../lib/bindings/RunResult";
import type { TreeNode } from "../../lib/bindings/TreeNode";
import {
  applyRunEvent,
  counts,
  defaultForm,
  failedPaths,
  newRun,
  optionsFromForm,
  orderResults,
  progress,
  recordedRun,
  recordLine,
  requestsUnder,
  splitTags,
} from "./run";

function result(path: string, passed: boolean, iteration = 1): RunResult {
  return {
    iteration,
    path,
    name: path.split("/").pop() ?? path,
    method: "GET",
    url: "http://127.0.0.1/x",
    status: 200,
    durationMs: 3,
    attempts: 1,
    assertions: [],
    passed,
    error: null,
    historyId: null,
    skipped: null,
  };
}

describe("run form", () => {
  it("all requests checked runs everything (no list); some unchecked lists the checked ones", () => {
    const form = defaultForm("local", ["c/a.yaml", "c/b.yaml"]);
    const all = optionsFromForm(form);
    expect(typeof all).toBe("object");
    if (typeof all === "object") {
      expect(all.only).toEqual([]);
      expect(all.environment).toBe("local");
      expect(all.iterations).toBe(1);
      expect(all.parallel).toBe(1);
      expect(all.data).toBeNull();
    }
    form.requests[0].checked = false;
    const some = optionsFromForm(form);
    expect(typeof some === "object" && some.only).toEqual(["c/b.yaml"]);
    form.requests[1].checked = false;
    expect(optionsFromForm(form)).toBe("Choose at least one request.");
  });

  it("numbers are whole and in range; tags split on commas and spaces", () => {
    const form = defaultForm(null, []);
    form.iterations = "0";
    expect(optionsFromForm(form)).toBe("Iterations must be between 1 and 10000.");
    form.iterations = "2.5";
    expect(optionsFromForm(form)).toBe("Iterations must be a whole number.");
    form.iterations = " 3 ";
    form.retries = "2";
    form.retryIntervalMs = "250";
    form.parallel = "4";
    form.includeTags = "smoke, fast smoke";
    form.data = " rows.csv ";
    const o = optionsFromForm(form);
    expect(o).toMatchObject({ iterations: 3, retries: 2, retryIntervalMs: 250, parallel: 4, includeTags: ["smoke", "fast"], data: "rows.csv" });
    form.parallel = "0";
    expect(optionsFromForm(form)).toBe("Parallel requests must be between 1 and 64.");
    expect(splitTags("  ")).toEqual([]);
  });

  it("lists the readable requests under a folder in tree order", () => {
    const req = (path: string, error: string | null = null): TreeNode => ({ kind: "request", name: path, path, method: "GET", error, children: [] });
    const tree: TreeNode = {
      kind: "collection",
      name: "c",
      path: "c",
      method: null,
      error: null,
      children: [req("c/a.yaml"), { kind: "folder", name: "f", path: "c/f", method: null, error: null, children: [req("c/f/b.yaml"), req("c/f/bad.yaml", "broken")] }, req("c/z.yaml")],
    };
    expect(requestsUnder(tree).map((n) => n.path)).toEqual(["c/a.yaml", "c/f/b.yaml", "c/z.yaml"]);
    expect(requestsUnder(null)).toEqual([]);
  });
});

describe("run state", () => {
  it("folds events: total, running requests, results, then the summary", () => {
    let run = newRun("r1", "c/f", "f", optionsFromForm(defaultForm(null, [])) as never);
    expect(progress(run)).toBe(0);
    run = applyRunEvent(run, { kind: "started", runId: "other", total: 9 });
    expect(run.total).toBeNull();
    run = applyRunEvent(run, { kind: "started", runId: "r1", total: 2 });
    run = applyRunEvent(run, { kind: "requestStarted", iteration: 1, path: "c/f/a.yaml", name: "a" });
    expect(run.running).toHaveLength(1);
    run = applyRunEvent(run, { kind: "requestFinished", result: result("c/f/a.yaml", true) });
    expect(run.running).toHaveLength(0);
    expect(progress(run)).toBe(0.5);
    const b = result("c/f/b.yaml", false);
    run = applyRunEvent(run, { kind: "requestFinished", result: b });
    const summary = { runId: "r1", total: 2, passed: 1, failed: 1, errors: 0, durationMs: 10, results: [result("c/f/a.yaml", true), b], stopped: false };
    run = applyRunEvent(run, { kind: "finished", summary });
    expect(run.status).toBe("done");
    expect(progress(run)).toBe(1);
    expect(counts(run.results)).toEqual({ done: 2, passed: 1, failed: 1, skipped: 0 });
  });

  it("failed first keeps run order within each group; rerun takes each failed path once", () => {
    const rs = [result("a", true, 1), result("b", false, 1), result("a", false, 2), result("b", false, 2), result("c", true, 2)];
    expect(orderResults(rs, true).map((r) => `${r.iteration}${r.path}`)).toEqual(["1b", "2a", "2b", "1a", "2c"]);
    expect(orderResults(rs, false).map((r) => `${r.iteration}${r.path}`)).toEqual(["1a", "1b", "2a", "2b", "2c"]);
    expect(failedPaths(rs)).toEqual(["b", "a"]);
  });
});

describe("a recorded run", () => {
  it("opens finished, with its results, options and when it ran; failed first as a live run", () => {
    const results = [result("c/a", true), result("c/b", false)];
    const run = recordedRun({
      record: { runId: "r1", atMs: 1_700_000_000_000, path: "c", name: "Shop", environment: "local", total: 2, passed: 1, failed: 1, errors: 0, durationMs: 1240, stopped: false },
      options: { ...(optionsFromForm(defaultForm("local", [])) as object), retries: 2 } as never,
      summary: { runId: "r1", total: 2, passed: 1, failed: 1, errors: 0, durationMs: 1240, results, stopped: false },
    });
    expect(run.status).toBe("done");
    expect(run.recordedAtMs).toBe(1_700_000_000_000);
    expect([run.path, run.name]).toEqual(["c", "Shop"]);
    expect(run.options.retries).toBe(2);
    expect(run.results).toEqual(results);
    expect(progress(run)).toBe(1);
    expect(orderResults(run.results, true).map((r) => r.path)).toEqual(["c/b", "c/a"]);
    expect(failedPaths(run.results)).toEqual(["c/b"]);
    // A live run is not a recorded one.
    expect(newRun("x", "c", "Shop", run.options).recordedAtMs).toBeNull();
  });

  it("lists as passed, failed, time and stopped", () => {
    expect(recordLine({ passed: 3, failed: 1, durationMs: 1240, stopped: false })).toBe("3 passed · 1 failed · 1.24 s");
    expect(recordLine({ passed: 2, failed: 0, durationMs: 12, stopped: true })).toBe("2 passed · 12 ms · stopped");
  });
});
