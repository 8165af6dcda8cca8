// The runner in the window: the Run dialog (which collection or folder, asked from the tree's
// context menu or the palette), the run shown in the run view (one at a time: its events folded
// in batches, so a long run repaints a few times a second, not per request), Cancel, Rerun
// failed (the same options, `only` the failed requests) and a result opened as its history
// entry, the way History opens one. A finished run is kept in the history: History's Runs list
// (or the palette's "Open a recorded run…") reopens it read-only in the same view.

import type { RunEvent } from "../../lib/bindings/RunEvent";
import type { RunOptions } from "../../lib/bindings/RunOptions";
import type { RunResult } from "../../lib/bindings/RunResult";
import { emit } from "../../lib/events";
import { newId } from "../../lib/ids";
import { layout } from "../../shell/layout.svelte";
import { toasts } from "../../ui/toasts.svelte";
import { collections } from "../collections/store.svelte";
import { findNode } from "../collections/tree";
import { history } from "../history/store.svelte";
import * as api from "./api";
import { applyRunEvents, failedPaths, failRun, finishRun, newRun, recordedRun, type RunState } from "./run";

/** How often queued run events are folded into the view. */
const FLUSH_MS = 60;

class RunnerStore {
  #dialog = $state<{ path: string } | null>(null);
  #run = $state.raw<RunState | null>(null);
  #failedFirst = $state(true);
  #runsShown = $state(false);
  #queue: RunEvent[] = [];
  #flushTimer: ReturnType<typeof setTimeout> | undefined;

  /** The Run dialog, open on a collection or folder path. */
  get dialog() {
    return this.#dialog;
  }
  /** The run the run view shows (running or finished); null: no run view. */
  get run() {
    return this.#run;
  }
  get failedFirst() {
    return this.#failedFirst;
  }
  set failedFirst(on: boolean) {
    this.#failedFirst = on;
  }

  /** History shows its Runs list instead of its requests. */
  get runsShown() {
    return this.#runsShown;
  }
  set runsShown(on: boolean) {
    this.#runsShown = on;
  }

  /** Shows History's Runs list (the palette's "Open a recorded run…"). */
  showRuns() {
    this.#runsShown = true;
    layout.show("history");
  }

  /** Whether `path` (a collection, folder or request) is still in the workspace's tree. */
  exists(path: string): boolean {
    return findNode(collections.info?.collections ?? [], path) !== null;
  }

  /** Shows the run `runId` kept in the history, read-only (a run still going is cancelled). */
  async openRecorded(runId: string) {
    try {
      const recorded = await api.openRun(runId);
      const previous = this.#run;
      if (previous?.status === "running") void api.cancelRun(previous.runId).catch(() => {});
      this.#queue = [];
      this.#run = recordedRun(recorded);
      layout.view = "run";
    } catch (e) {
      toasts.fail("Open run", e);
    }
  }

  openDialog(path: string) {
    this.#dialog = { path };
  }
  closeDialog() {
    this.#dialog = null;
  }

  /** The tree's name of `path` (its last segment when the tree does not hold it). */
  nameOf(path: string): string {
    return findNode(collections.info?.collections ?? [], path)?.name ?? path.split("/").pop() ?? path;
  }

  /** Starts a run of `path` and shows it (a run still going is cancelled first). */
  async start(path: string, options: RunOptions) {
    this.#dialog = null;
    const previous = this.#run;
    if (previous?.status === "running") void api.cancelRun(previous.runId).catch(() => {});
    const runId = newId();
    this.#queue = [];
    this.#run = newRun(runId, path, this.nameOf(path), options);
    layout.view = "run";
    try {
      const summary = await api.runCollection(runId, path, options, (event) => this.#enqueue(runId, event));
      this.#flush();
      if (this.#run?.runId === runId) this.#run = finishRun(this.#run, summary);
    } catch (e) {
      this.#flush();
      if (this.#run?.runId === runId) this.#run = failRun(this.#run, api.normaliseError(e));
    }
    // Captures ran and the history recorded the requests: the same reloads as after a send.
    emit("sent", { tabKey: "", captured: true });
  }

  /** Stops the run shown; what finished stays. */
  async cancel() {
    const run = this.#run;
    if (run?.status !== "running") return;
    this.#run = { ...run, cancelling: true };
    try {
      await api.cancelRun(run.runId);
    } catch (e) {
      toasts.fail("Cancel", e);
    }
  }

  /** Runs the shown run's failed requests again, with its options. */
  rerunFailed() {
    const run = this.#run;
    if (!run || run.status === "running") return;
    const only = failedPaths(run.results);
    if (only.length === 0) return;
    void this.start(run.path, { ...run.options, only });
  }

  /** Runs the shown run again as it was. */
  runAgain() {
    const run = this.#run;
    if (run && run.status !== "running") void this.start(run.path, run.options);
  }

  /** Closes the run view (cancelling a run still going). */
  close() {
    void this.cancel();
    this.#run = null;
    if (layout.view === "run") layout.view = "request";
  }

  /** Opens the result's recorded exchange in a tab, as History does. */
  async openResult(result: RunResult) {
    if (result.historyId === null) {
      toasts.notify(result.skipped ? "This request was not sent." : "This request was not recorded in the history.");
      return;
    }
    try {
      history.open(await api.historyGet(result.historyId));
    } catch (e) {
      toasts.fail("Open", e);
    }
  }

  #enqueue(runId: string, event: RunEvent) {
    if (this.#run?.runId !== runId) return;
    this.#queue.push(event);
    this.#flushTimer ??= setTimeout(() => this.#flush(), FLUSH_MS);
  }

  #flush() {
    clearTimeout(this.#flushTimer);
    this.#flushTimer = undefined;
    const events = this.#queue;
    this.#queue = [];
    if (this.#run && events.length > 0) this.#run = applyRunEvents(this.#run, events);
  }
}

export const runner = new RunnerStore();
