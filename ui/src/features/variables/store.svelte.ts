// Variables around the active tab: which of its `{{names}}` are undefined (checked 300 ms after a
// change), what captures stored for its collection, and the environments per collection with
// the one chosen (remembered per collection). Sends with captures and tree moves arrive as events.

import type { CapturedValues } from "../../lib/bindings/CapturedValues";
import type { Environment } from "../../lib/bindings/Environment";
import type { UndefinedVariable } from "../../lib/bindings/UndefinedVariable";
import { on } from "../../lib/events";
import { toasts } from "../../ui/toasts.svelte";
import { collections } from "../collections/store.svelte";
import { collectionOf, rebasePath } from "../collections/tree";
import { originOf } from "../history/origin";
import { tabs } from "../tabs/store.svelte";
import { browserStore, loadEnvChoice, saveEnvChoice } from "../tabs/tabs";
import * as api from "./api";

class VariablesStore {
  #undefinedVars = $state.raw<UndefinedVariable[]>([]);
  /** The tab `#undefinedVars` was checked for: another tab's list is never shown. */
  #undefinedKey = $state<string | null>(null);
  /** What captures have stored for the active tab's collection (null until asked). */
  #captured = $state.raw<CapturedValues | null>(null);
  #environments = $state.raw<Record<string, Environment[]>>({});
  #envChoice = $state<Record<string, string | null>>({});
  /** Bumped when a variable scope outside the tab changed (environment, globals, settings). */
  #varsEpoch = $state(0);
  /** Bumped when captures may have stored or forgotten values (a send, a clear). */
  #capturedEpoch = $state(0);
  #activeEnvironment: string | null = $derived.by(() => {
    const c = tabs.activeCollection;
    return c === null ? null : (this.#envChoice[c] ?? null);
  });
  #varsTimer: ReturnType<typeof setTimeout> | undefined;
  #varsTicket = 0;
  /** A check is scheduled or running for the active tab. */
  #checking = $state(false);
  #capturedTicket = 0;

  constructor() {
    on("sent", ({ captured }) => {
      // Its captures may have defined (or failed to define) variables the composer marks.
      if (!captured) return;
      this.#capturedEpoch++;
      this.refresh();
    });
    on("itemMoved", ({ from, to }) => {
      const envs: Record<string, string | null> = {};
      for (const [k, v] of Object.entries(this.#envChoice)) envs[rebasePath(k, from, to)] = v;
      this.#envChoice = envs;
    });
  }

  /**
   * Whether the active tab's variables were checked since its last change: a banner that is
   * absent then means "none undefined", not "not checked yet".
   */
  get settled(): boolean {
    return !this.#checking && this.#undefinedKey === tabs.activeKey;
  }

  /** The active tab's undefined variables, as last checked (none until its first check). */
  get undefinedVars(): ReadonlyArray<UndefinedVariable> {
    return this.#undefinedKey === tabs.activeKey ? this.#undefinedVars : [];
  }
  get captured() {
    return this.#captured;
  }
  /** The environments of `collection`, undefined until loaded. */
  environments(collection: string): Environment[] | undefined {
    return this.#environments[collection];
  }
  /** The environment chosen for `collection` (null: none). */
  chosen(collection: string): string | null {
    return this.#envChoice[collection] ?? null;
  }
  get activeEnvironment() {
    return this.#activeEnvironment;
  }

  /** The environment a send from a tab with file `path` runs in. */
  environmentFor(path: string | null): string | null {
    const c = collectionOf(path);
    return c === null ? null : (this.#envChoice[c] ?? null);
  }

  /** Checks the active tab's variables again (an environment, globals or folder settings changed). */
  refresh() {
    this.#varsEpoch++;
  }

  /** Run inside an effect: checks the active tab's variables 300 ms after any change. */
  trackVariables() {
    void this.#varsEpoch;
    const tab = tabs.active;
    clearTimeout(this.#varsTimer);
    if (!tab || collections.info === null) {
      this.#undefinedVars = [];
      this.#checking = false;
      return;
    }
    const key = tab.key;
    // A tab reopened from the history is checked in the collection it was sent from, as it sends.
    const path = tab.path ?? originOf(key);
    const saved = tab.current;
    const env = tab.path !== null ? this.#activeEnvironment : this.environmentFor(path);
    const ticket = ++this.#varsTicket;
    this.#checking = true;
    this.#varsTimer = setTimeout(() => {
      api
        .variablesCheck(path, saved, env)
        .then((list) => {
          if (ticket !== this.#varsTicket) return;
          this.#undefinedVars = list;
          this.#undefinedKey = key;
          this.#checking = false;
        })
        .catch(() => {
          if (ticket !== this.#varsTicket) return;
          this.#undefinedVars = [];
          this.#checking = false;
        });
    }, 300);
  }

  /** Run inside an effect: keeps `captured` for the active tab's collection, asked again only when that changes. */
  trackCaptured() {
    void this.#capturedEpoch;
    const collection = tabs.activeCollection;
    if (collections.info === null) {
      this.#captured = null;
      return;
    }
    const ticket = ++this.#capturedTicket;
    api
      .capturedValues(collection)
      .then((c) => {
        if (ticket === this.#capturedTicket) this.#captured = c;
      })
      .catch(() => {
        if (ticket === this.#capturedTicket) this.#captured = null;
      });
  }

  /** Forgets the values captures stored for the active tab's collection. */
  async clearCaptured() {
    const tab = tabs.active;
    if (!tab) return;
    try {
      await api.capturedClear(tab.path);
    } catch (e) {
      toasts.fail("Could not clear the captured values", e);
    }
    this.#capturedEpoch++;
    this.refresh();
  }

  async loadEnvironments(collection: string) {
    if (this.#envChoice[collection] === undefined) this.#envChoice[collection] = loadEnvChoice(browserStore(), collection);
    try {
      const list = await api.environmentsList(collection);
      this.#environments = { ...this.#environments, [collection]: list };
      const chosen = this.#envChoice[collection];
      if (chosen && !list.some((e) => e.name === chosen)) this.chooseEnvironment(collection, null);
    } catch {
      this.#environments = { ...this.#environments, [collection]: [] };
    }
  }

  chooseEnvironment(collection: string, name: string | null) {
    this.#envChoice[collection] = name;
    saveEnvChoice(browserStore(), collection, name);
  }
}

export const variables = new VariablesStore();
