// The runner's pure logic: the dialog's form turned into `RunOptions` (or the reason it cannot
// be), the requests a collection or folder holds, a run's state folded from its `RunEvent`s,
// the results in the order the view shows them, and the paths "Rerun failed" sends again.

import type { ApiError } from "../../lib/bindings/ApiError";
import type { RecordedRun } from "../../lib/bindings/RecordedRun";
import type { RunEvent } from "../../lib/bindings/RunEvent";
import type { RunOptions } from "../../lib/bindings/RunOptions";
import type { RunResult } from "../../lib/bindings/RunResult";
import type { RunSummary } from "../../lib/bindings/RunSummary";
import type { TreeNode } from "../../lib/bindings/TreeNode";

/** The run dialog's fields, as typed. */
export interface RunForm {
  environment: string | null;
  iterations: string;
  data: string;
  delayMs: string;
  bail: boolean;
  retries: string;
  retryIntervalMs: string;
  parallel: string;
  includeTags: string;
  excludeTags: string;
  /** Every request under the path, and whether it is checked. */
  requests: { path: string; checked: boolean }[];
}

export function defaultForm(environment: string | null, requests: string[]): RunForm {
  return {
    environment,
    iterations: "1",
    data: "",
    delayMs: "0",
    bail: false,
    retries: "0",
    retryIntervalMs: "0",
    parallel: "1",
    includeTags: "",
    excludeTags: "",
    requests: requests.map((path) => ({ path, checked: true })),
  };
}

/** Upper bounds the dialog holds a typed number to (the runner has its own budgets). */
export const LIMITS = { iterations: 10_000, delayMs: 600_000, retries: 100, retryIntervalMs: 600_000, parallel: 64 };

function whole(text: string, label: string, min: number, max: number): number | string {
  const t = text.trim();
  if (!/^\d+$/.test(t)) return `${label} must be a whole number.`;
  const n = Number(t);
  if (n < min || n > max) return `${label} must be between ${min} and ${max}.`;
  return n;
}

export function splitTags(text: string): string[] {
  return [
    ...new Set(
      text
        .split(/[,\s]+/)
        .map((t) => t.trim())
        .filter((t) => t !== ""),
    ),
  ];
}

/** The options the form asks for, or the first problem with it (a sentence). */
export function optionsFromForm(form: RunForm): RunOptions | string {
  const iterations = whole(form.iterations, "Iterations", 1, LIMITS.iterations);
  const delayMs = whole(form.delayMs, "Delay", 0, LIMITS.delayMs);
  const retries = whole(form.retries, "Retries", 0, LIMITS.retries);
  const retryIntervalMs = whole(form.retryIntervalMs, "Retry interval", 0, LIMITS.retryIntervalMs);
  const parallel = whole(form.parallel, "Parallel requests", 1, LIMITS.parallel);
  for (const v of [iterations, delayMs, retries, retryIntervalMs, parallel]) if (typeof v === "string") return v;
  const checked = form.requests.filter((r) => r.checked).map((r) => r.path);
  if (form.requests.length > 0 && checked.length === 0) return "Choose at least one request.";
  return {
    environment: form.environment,
    data: form.data.trim() === "" ? null : form.data.trim(),
    iterations: iterations as number,
    delayMs: delayMs as number,
    bail: form.bail,
    retries: retries as number,
    retryIntervalMs: retryIntervalMs as number,
    parallel: parallel as number,
    includeTags: splitTags(form.includeTags),
    excludeTags: splitTags(form.excludeTags),
    // All checked: no list, so a request added later runs too.
    only: checked.length === form.requests.length ? [] : checked,
  };
}

/** The requests under `node` (itself when it is one), in tree order. */
export function requestsUnder(node: TreeNode | null): TreeNode[] {
  if (!node) return [];
  if (node.kind === "request") return node.error === null ? [node] : [];
  return node.children.flatMap((c) => requestsUnder(c));
}

export type RunStatus = "running" | "done" | "failed";

/** A run as the view shows it. */
export interface RunState {
  runId: string;
  /** The collection or folder run. */
  path: string;
  name: string;
  options: RunOptions;
  status: RunStatus;
  /** Requests the run will make; null until it started. */
  total: number | null;
  results: RunResult[];
  /** Requests started and not finished yet (path per iteration). */
  running: { iteration: number; path: string; name: string }[];
  summary: RunSummary | null;
  /** Why the run could not start (a bad data file, no such path). */
  error: ApiError | null;
  /** Set by Cancel, until the summary arrives. */
  cancelling: boolean;
  /** When a run reopened from the history started (Unix ms); null for a run of this session. */
  recordedAtMs: number | null;
}

export function newRun(runId: string, path: string, name: string, options: RunOptions): RunState {
  return { runId, path, name, options, status: "running", total: null, results: [], running: [], summary: null, error: null, cancelling: false, recordedAtMs: null };
}

/** A run kept in the history, as the view shows a finished run. */
export function recordedRun(recorded: RecordedRun): RunState {
  const { record, options, summary } = recorded;
  return {
    ...finishRun(newRun(record.runId, record.path, record.name, options), summary),
    total: record.total,
    recordedAtMs: record.atMs,
  };
}

/** A kept run's one line in the Runs list: "3 passed · 1 failed · 1.24 s". */
export function recordLine(r: { passed: number; failed: number; durationMs: number; stopped: boolean }): string {
  const parts = [`${r.passed} passed`];
  if (r.failed > 0) parts.push(`${r.failed} failed`);
  parts.push(formatMs(r.durationMs));
  if (r.stopped) parts.push("stopped");
  return parts.join(" · ");
}

/** `run` after `event` (a new object; `run` is left alone). */
export function applyRunEvent(run: RunState, event: RunEvent): RunState {
  return applyRunEvents(run, [event]);
}

/**
 * `run` after `events`, in order, copying the lists once per batch (a long run's events come
 * in batches). Events of another run, or after the run ended, are ignored.
 */
export function applyRunEvents(run: RunState, events: ReadonlyArray<RunEvent>): RunState {
  if (run.status !== "running" || events.length === 0) return run;
  let out: RunState = { ...run, results: [...run.results], running: [...run.running] };
  for (const event of events) {
    if (out.status !== "running") break;
    switch (event.kind) {
      case "started":
        if (event.runId === run.runId) out.total = event.total;
        break;
      case "requestStarted":
        out.running.push({ iteration: event.iteration, path: event.path, name: event.name });
        break;
      case "requestFinished": {
        const r = event.result;
        const i = out.running.findIndex((x) => x.iteration === r.iteration && x.path === r.path);
        if (i >= 0) out.running.splice(i, 1);
        out.results.push(r);
        break;
      }
      case "finished":
        if (event.summary.runId === run.runId) out = finishRun(out, event.summary);
        break;
    }
  }
  return out;
}

/** The run ended with `summary` (from the Finished event or the command's answer). */
export function finishRun(run: RunState, summary: RunSummary): RunState {
  return { ...run, status: "done", summary, results: summary.results, running: [], cancelling: false };
}

export function failRun(run: RunState, error: ApiError): RunState {
  return { ...run, status: "failed", error, running: [], cancelling: false };
}

export interface RunCounts {
  done: number;
  passed: number;
  failed: number;
  skipped: number;
}

export function counts(results: ReadonlyArray<RunResult>): RunCounts {
  let passed = 0;
  let failed = 0;
  let skipped = 0;
  for (const r of results) {
    if (r.skipped) skipped++;
    else if (r.passed) passed++;
    else failed++;
  }
  return { done: results.length, passed, failed, skipped };
}

/** The share of the run done, 0 to 1 (0 until the total is known). */
export function progress(run: RunState): number {
  if (run.status !== "running") return 1;
  if (!run.total) return 0;
  return Math.min(1, run.results.length / run.total);
}

/** The results in the view's order: run order, or failed ones first (each group in run order). */
export function orderResults(results: ReadonlyArray<RunResult>, failedFirst: boolean): RunResult[] {
  if (!failedFirst) return [...results];
  return [...results.filter((r) => !r.passed), ...results.filter((r) => r.passed)];
}

/** The request paths that failed in any iteration, in first-failure order: what "Rerun failed" runs. */
export function failedPaths(results: ReadonlyArray<RunResult>): string[] {
  return [...new Set(results.filter((r) => !r.passed).map((r) => r.path))];
}

/** A result's key, unique within a run. */
export function resultKey(r: RunResult): string {
  return `${r.iteration}:${r.path}`;
}

/** "2 of 3 assertions" style: passed over total, or null without assertions. */
export function assertionTally(r: RunResult): { passed: number; total: number } | null {
  if (r.assertions.length === 0) return null;
  return { passed: r.assertions.filter((a) => a.passed).length, total: r.assertions.length };
}

/** The one line a row shows about its outcome. */
export function outcomeText(r: RunResult): string {
  if (r.skipped) return `skipped: ${r.skipped}`;
  if (r.error) return r.error.message;
  const failed = r.assertions.filter((a) => !a.passed);
  if (failed.length > 0) return failed[0].message;
  return "";
}

/** Milliseconds for a row: "12 ms", "1.24 s". */
export function formatMs(ms: number): string {
  if (ms < 1000) return `${Math.round(ms)} ms`;
  return `${(ms / 1000).toFixed(2)} s`;
}
