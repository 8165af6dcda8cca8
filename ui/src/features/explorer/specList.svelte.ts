// The specs imported before, remembered across restarts (source, TLS/proxy settings, name):
// listed in the sidebar and imported again only when the user picks one. The Rust side adds a
// spec to the list when it is imported; removing one here forgets it there.

import type { RememberedSpec } from "../../lib/bindings/RememberedSpec";
import type { SpecOverview } from "../../lib/bindings/openapi/SpecOverview";
import { normaliseError } from "../../lib/ipc";
import { toasts } from "../../ui/toasts.svelte";
import * as api from "./api";

class SpecListStore {
  #items = $state.raw<RememberedSpec[]>([]);
  /** The source being imported again, while it is. */
  #opening = $state<string | null>(null);

  get items(): ReadonlyArray<RememberedSpec> {
    return this.#items;
  }
  get opening() {
    return this.#opening;
  }

  async load() {
    try {
      this.#items = await api.specsRemembered();
    } catch (e) {
      console.warn("the list of imported specs was not read:", normaliseError(e).message);
    }
  }

  /** Imports a remembered spec again, with the settings it was imported with. */
  async open(spec: RememberedSpec): Promise<SpecOverview | null> {
    if (this.#opening !== null) return null;
    this.#opening = spec.source;
    try {
      return await api.openSpec(spec.source, spec.settings, null);
    } catch (e) {
      toasts.fail(`Could not open ${spec.name || spec.source}`, e);
      return null;
    } finally {
      this.#opening = null;
    }
  }

  /** Removes a spec from the list (the spec open now, if it is this one, stays open). */
  async forget(source: string) {
    this.#items = this.#items.filter((s) => s.source !== source);
    try {
      await api.specForget(source);
    } catch (e) {
      toasts.fail("Could not remove the spec from the list", e);
      await this.load();
    }
  }
}

export const specList = new SpecListStore();
