// Reloading the imported spec from its source: by hand (Reload) or every 3 s while "Watch" is on
// (a dev server's spec). Never two reloads at once; a reload that ends after another spec was
// imported is dropped. What changed shows as a diff.

import type { ApiError } from "../../lib/bindings/ApiError";
import type { SpecDiff } from "../../lib/bindings/openapi/SpecDiff";
import { normaliseError } from "../../lib/ipc";
import * as api from "./api";
import { isEmptyDiff, isWatchable } from "./diff";
import { Poller } from "./poller";
import { explorer } from "./store.svelte";

class SpecReload {
  #reloading = $state(false);
  #error = $state<ApiError | null>(null);
  #lastDiff = $state.raw<{ diff: SpecDiff; when: string } | null>(null);
  #watching = $state(false);
  /** Watching ended because a run failed (said next to the error). */
  #watchStopped = $state(false);
  /** A watch run found changes a moment ago (cleared after a few seconds). */
  #changedJustNow = $state(false);
  #changedTimer: ReturnType<typeof setTimeout> | undefined;
  /** Bumped by every import: a reload that ends after the spec was replaced is ignored. */
  #generation = 0;
  /** The reload_spec call on its way, if any (manual or watch): never two at once. */
  #inFlight: Promise<unknown> | null = null;

  /** Re-imports every 3 s while a dev server runs; a run that finds changes shows them. */
  #poller = new Poller(async () => {
    if (this.#reloading) return true; // a manual reload is in flight: skip this turn
    const changed = await this.#reloadNow(true);
    if (changed === null && this.#watching) {
      this.#watching = false;
      this.#watchStopped = this.#error !== null;
    }
    return changed !== null;
  }, 3000);

  get reloading() {
    return this.#reloading;
  }
  get error() {
    return this.#error;
  }
  get lastDiff() {
    return this.#lastDiff;
  }
  get watchStopped() {
    return this.#watchStopped;
  }
  get changedJustNow() {
    return this.#changedJustNow;
  }
  get watching() {
    return this.#watching;
  }
  /** Turns watching on or off; turning it on again after a failed run clears that error. */
  set watching(on: boolean) {
    this.#watching = on;
    if (on && this.#watchStopped) this.dismissError();
    const spec = explorer.spec;
    if (on && spec !== null && isWatchable(spec.source)) this.#poller.start();
    else this.#poller.stop();
  }

  dismissError() {
    this.#error = null;
    this.#watchStopped = false;
  }
  dismissDiff() {
    this.#lastDiff = null;
  }

  /** A new spec was imported: whatever was shown about the last one goes. */
  imported() {
    this.#error = null;
    this.#lastDiff = null;
    this.watching = false;
    this.#watchStopped = false;
    this.#changedJustNow = false;
    this.#generation++;
  }

  stop() {
    this.#poller.stop();
    clearTimeout(this.#changedTimer);
  }

  /** Reload (the button): waits for a watch run on its way, then reloads and shows the diff. */
  async reload() {
    if (!explorer.spec || this.#reloading) return;
    if (this.#inFlight) {
      // A watch run is on its way: let it land first, so the two never race.
      this.#reloading = true;
      await this.#inFlight.catch(() => {});
    }
    await this.#reloadNow(false);
  }

  #flagChanged() {
    this.#changedJustNow = true;
    clearTimeout(this.#changedTimer);
    this.#changedTimer = setTimeout(() => (this.#changedJustNow = false), 10_000);
  }

  /**
   * Re-imports the spec from its source and replaces the overview (the composer is left alone).
   * A manual reload always shows the diff; a watch run (`watch`) shows it only when something
   * changed and stays silent otherwise. Returns whether anything changed, or null on error (or
   * when the spec was replaced meanwhile).
   */
  async #reloadNow(watch: boolean): Promise<boolean | null> {
    const before = explorer.spec;
    if (!before) return null;
    const mine = this.#generation;
    if (!watch) {
      this.#reloading = true;
      this.#error = null;
      this.#watchStopped = false;
    }
    const call = api.reloadSpec(before.specId);
    this.#inFlight = call;
    try {
      const result = await call;
      if (mine !== this.#generation) return null;
      const changed = !isEmptyDiff(result.diff);
      if (changed || !watch) {
        this.#lastDiff = { diff: result.diff, when: new Date().toLocaleTimeString() };
        if (watch) this.#flagChanged();
      }
      // An empty diff covers the operations only: a new title or schema still replaces the overview.
      if (changed || !watch || JSON.stringify(result.overview) !== JSON.stringify(before)) explorer.setSpec(result.overview);
      return changed;
    } catch (e) {
      if (mine === this.#generation) this.#error = normaliseError(e);
      return null;
    } finally {
      if (this.#inFlight === call) this.#inFlight = null;
      if (!watch) this.#reloading = false;
    }
  }
}

export const specReload = new SpecReload();
