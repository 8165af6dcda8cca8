// The API explorer: the imported spec (its overview, completed once the model is built), the
// documentation pages opened (most recent last), the operations and schemas fetched already,
// the server and server-variable values picked, and Try it into a tab with its hint bar.

import type { Operation } from "../../lib/bindings/openapi/Operation";
import type { OperationSummary } from "../../lib/bindings/openapi/OperationSummary";
import type { Schema } from "../../lib/bindings/openapi/Schema";
import type { SpecOverview } from "../../lib/bindings/openapi/SpecOverview";
import type { TryItRequest } from "../../lib/bindings/openapi/TryItRequest";
import { newId } from "../../lib/ids";
import { normaliseError } from "../../lib/ipc";
import { layout } from "../../shell/layout.svelte";
import { toasts } from "../../ui/toasts.svelte";
import { composer } from "../composer/store.svelte";
import { exchanges } from "../exchange/store.svelte";
import { tabs } from "../tabs/store.svelte";
import { UNNAMED } from "../tabs/tabs";
import { variables } from "../variables/store.svelte";
import * as api from "./api";
import { PASTED_SOURCE } from "./diff";
import type { ListRow } from "./search";
import { operationFromPayload, schemaFromPayload } from "./shared";
import { composerFromTryIt, tabAfterTryIt, variablesFromTryIt } from "./tryit";

/** `focus`: the response status an operation's page opens at (from a contract failure). */
export type DocRef = { kind: "op"; op: OperationSummary; focus?: string | null } | { kind: "schema"; name: string } | { kind: "api" };

const refKey = (ref: DocRef) => (ref.kind === "op" ? `op:${ref.op.id}${ref.focus ? `#${ref.focus}` : ""}` : ref.kind === "schema" ? `schema:${ref.name}` : "api");

function cached<T>(map: Map<string, Promise<T>>, key: string, load: () => Promise<T>): Promise<T> {
  let p = map.get(key);
  if (!p) {
    p = load();
    map.set(key, p);
    p.catch(() => map.delete(key)); // failures are not remembered
  }
  return p;
}

class ExplorerStore {
  #spec = $state.raw<SpecOverview | null>(null);
  #pages = $state.raw<DocRef[]>([]);
  #doc: DocRef | null = $derived(this.#pages.length > 0 ? this.#pages[this.#pages.length - 1] : null);
  #docKey: string | null = $derived(this.#doc === null ? null : refKey(this.#doc));
  #serverUrl = $state<string | null>(null);
  /** The server-variable values picked, shared by every operation page (see servers.ts for the keys). */
  #serverChoices = $state<Record<string, string>>({});
  /** Counts `setSpec` calls: a model that arrives after a newer overview is dropped. */
  #specLoads = 0;
  /** Operations and schemas fetched already; cleared whenever a spec is imported or reloaded. */
  #operations = new Map<string, Promise<Operation>>();
  #schemas = new Map<string, Promise<Schema>>();

  get spec() {
    return this.#spec;
  }
  /** The page on screen in the doc view. */
  get doc() {
    return this.#doc;
  }
  get docKey() {
    return this.#docKey;
  }
  get canGoBack() {
    return this.#pages.length > 1;
  }
  /** The server picked on operation pages (null: the first). */
  get serverUrl() {
    return this.#serverUrl;
  }
  set serverUrl(url: string | null) {
    this.#serverUrl = url;
  }
  get serverChoices(): Readonly<Record<string, string>> {
    return this.#serverChoices;
  }
  setServerChoice(key: string, value: string) {
    this.#serverChoices[key] = value;
  }
  /** The active tab's Try-it hint: each tab keeps its own. */
  get tryHint() {
    return tabs.active?.hint ?? null;
  }
  dismissHint() {
    tabs.active?.setHint(null);
  }

  openDoc(ref: DocRef) {
    if (refKey(ref) !== this.#docKey) this.#pages = [...this.#pages.slice(-29), ref];
    layout.view = "doc";
  }
  openRow(row: ListRow) {
    if (row.kind === "op") this.openDoc({ kind: "op", op: row.op });
    else if (row.kind === "schema") this.openDoc({ kind: "schema", name: row.name });
  }
  openSchema(name: string) {
    this.openDoc({ kind: "schema", name });
  }
  /**
   * "Open schema" on a contract failure: the spec at `source` (the one open when it is already,
   * else imported) and the page of the operation `find` picks from its operations, whose
   * responses show the schema. False (and a toast) when the spec or the operation is not there.
   */
  async openOperationOf(
    source: string,
    find: (ops: ReadonlyArray<OperationSummary>) => OperationSummary | null,
    focus: string | null = null,
  ): Promise<boolean> {
    try {
      let spec = this.#spec;
      if (spec === null || spec.source !== source) {
        spec = await api.openSpec(source, null, null);
        this.setSpec(spec);
      }
      const op = find(spec.operations);
      if (op === null) {
        toasts.notify(`The spec ${source} has no such operation.`);
        return false;
      }
      layout.show("explorer");
      this.openDoc({ kind: "op", op, focus });
      return true;
    } catch (e) {
      toasts.fail("Could not open the schema", e);
      return false;
    }
  }
  back() {
    if (this.#pages.length > 1) this.#pages = this.#pages.slice(0, -1);
  }
  closeDoc() {
    this.#pages = [];
    layout.view = "request";
  }

  /**
   * A spec's documentation window (`shell/route.ts`): the spec the app holds as `specId`, its
   * API page open. An id the app no longer holds leaves the explorer empty and says so.
   */
  async showSpec(specId: string) {
    layout.show("explorer");
    try {
      this.setSpec(await api.specOverview(specId));
      this.openDoc({ kind: "api" });
    } catch (e) {
      toasts.fail("Could not show the API", e);
    }
  }

  /** A spec was imported or reloaded. */
  setSpec(overview: SpecOverview) {
    // A reload keeps the id; importing the same URL or file again counts as the same spec (two
    // pasted documents do not).
    const spec = this.#spec;
    const sameSource = spec !== null && (spec.specId === overview.specId || (spec.source === overview.source && overview.source !== PASTED_SOURCE));
    this.#operations.clear();
    this.#schemas.clear();
    if (!sameSource) this.#serverUrl = null;
    // A reload keeps the pages that still exist (with their new summaries); a new spec closes them.
    const byId = new Map(overview.operations.map((o) => [o.id, o]));
    const names = new Set(overview.schemaNames ?? []);
    const kept: DocRef[] = [];
    if (sameSource) {
      for (const ref of this.#pages) {
        if (ref.kind === "op") {
          const op = byId.get(ref.op.id);
          if (op) kept.push({ kind: "op", op });
        } else if (ref.kind === "api" || names.has(ref.name)) kept.push(ref);
      }
    }
    this.#pages = kept;
    if (kept.length === 0) layout.view = "request";
    this.#spec = overview;
    const mine = ++this.#specLoads;
    if (!overview.complete) void this.#complete(overview.specId, mine);
  }

  /** Swaps the outline `openSpec` answered with for the whole overview once the model is built. */
  async #complete(specId: string, mine: number) {
    try {
      const full = await api.specOverview(specId);
      if (mine === this.#specLoads) this.#spec = full;
    } catch (e) {
      const spec = this.#spec;
      if (mine !== this.#specLoads || spec === null) return;
      const { message } = normaliseError(e);
      this.#spec = { ...spec, complete: true, warnings: [{ pointer: "", message: `the model was not built: ${message}` }] };
    }
  }

  loadOperation(specId: string, id: string): Promise<Operation> {
    return cached(this.#operations, `${specId}\n${id}`, () => api.specOperation(specId, id).then(operationFromPayload));
  }

  loadSchema(specId: string, name: string): Promise<Schema> {
    return cached(this.#schemas, `${specId}\n${name}`, () => api.specSchema(specId, name).then(schemaFromPayload));
  }

  /**
   * A Try it request into the active tab while it is pristine (else a new one), named after the
   * operation's summary (`METHOD /path` when it has none), with the hint bar above it.
   */
  applyTryIt(t: TryItRequest, title: string, summary: string | null = null) {
    const state = composerFromTryIt(t, newId);
    const tab = tabs.target((key) => exchanges.of(key).kind !== "idle");
    // Path parameters arrive as `{{name}}` in the URL, their example values as request variables;
    // the credentials and any other name the spec used are defined by the request too (empty), so
    // none of them is filled from the user's globals.
    const name = summary?.trim() || UNNAMED;
    tabs.replaceContent(tab.key, state, { ...(t.auth ? { auth: t.auth } : {}), variables: variablesFromTryIt(t), name }, true);
    // The URL's `{{item_id}}` is defined now: check again rather than wait for the next edit.
    variables.refresh();
    composer.pane = tabAfterTryIt(state);
    exchanges.reset(tab.key);
    tab.setHint({ title, notes: t.notes ?? [], missingFiles: t.missingFiles ?? [] });
    layout.view = "request";
  }
}

export const explorer = new ExplorerStore();
