// The session: at start the tabs come back as they were (order, active tab, saved and unsaved,
// each with its last response), and whenever the tab set, their order, the active tab or a
// response changes the session file is rewritten (300 ms after the last change, at once when the
// window closes: `flush`, called from `shell/windows.ts`). Unsaved content
// comes back from the drafts (`features/drafts`); this store only says which tabs, in which order.

import type { HttpResponse } from "../../lib/bindings/HttpResponse";
import type { OpenedRequest } from "../../lib/bindings/OpenedRequest";
import type { Session } from "../../lib/bindings/Session";
import { normaliseError } from "../../lib/ipc";
import { emptySaved } from "../composer/composer";
import { drafts } from "../drafts/store.svelte";
import { exchanges } from "../exchange/store.svelte";
import { RequestTab, tabs } from "../tabs/store.svelte";
import { isMainWindow } from "../../shell/route";
import * as api from "./api";
import { BODY_GONE, restorePlan, sessionOf } from "./session";

/** How long the tab set must stay still before the session is written. */
const WRITE_DELAY_MS = 300;

class SessionStore {
  /** Nothing is written before the session is restored: the blank start would replace it. */
  #restored = false;
  #timer: ReturnType<typeof setTimeout> | null = null;
  /** The session last written (JSON), so an unchanged one is not written again. */
  #written = "";

  /** Reopens the tabs of the last session (with their drafts and responses), then any other drafts. */
  async restore() {
    // A request window (`shell/route.ts`) shows one request: the session is the main window's.
    if (!isMainWindow()) return;
    const [session, stored] = await Promise.all([
      api.sessionGet().catch((e) => {
        console.warn("the session was not restored:", normaliseError(e).message);
        return null;
      }),
      api.draftsList().catch(() => []),
    ]);
    const plan = restorePlan(session, stored);
    // Files are read together; tabs are then added in order.
    const opened = await Promise.all(
      plan.steps.map((s) => (s.kind === "file" ? api.requestOpen(s.path).catch((e) => normaliseError(e)) : Promise.resolve(null))),
    );
    plan.steps.forEach((step, i) => {
      let key: string | null = null;
      if (step.kind === "draft") key = drafts.adoptDraft(step.draft)?.key ?? null;
      else if (tabs.tab(step.key) === null) {
        const file = opened[i];
        if (step.kind === "file" && (file === null || !("revision" in file))) return; // the file is gone: skipped
        const tab = new RequestTab(step.key);
        if (step.kind === "file") {
          const o = file as OpenedRequest;
          tab.attach(o.path, o.revision);
          tab.load(o.saved, true);
        } else tab.load(emptySaved(), true);
        key = tabs.adopt(tab).key;
      }
      if (key !== null && step.response) void this.#showResponse(key, step.response);
    });
    if (plan.active !== null) tabs.focus(plan.active);
    this.#restored = true;
  }

  /** A restored response: its head as it was, its body from the body store while the file is there. */
  async #showResponse(key: string, response: HttpResponse) {
    let gone = false;
    if (response.body.size > 0) {
      try {
        await api.readBody(response.id, 0, 1);
      } catch {
        gone = true;
      }
    }
    if (exchanges.of(key).kind !== "idle") return; // sent again meanwhile
    exchanges.set(key, gone ? { kind: "done", response, recordedText: BODY_GONE } : { kind: "done", response });
  }

  /** Run inside an effect: reads the tabs, the active key and every tab's response, so it runs on each change. */
  track() {
    if (!isMainWindow()) return;
    const session = this.#current();
    if (!this.#restored) return;
    const json = JSON.stringify(session);
    if (json === this.#written) return;
    if (this.#timer !== null) clearTimeout(this.#timer);
    this.#timer = setTimeout(() => {
      this.#timer = null;
      void this.#write(session, json);
    }, WRITE_DELAY_MS);
  }

  /** The window is closing: the session as it is now is written at once, not 300 ms later. */
  async flush() {
    if (!isMainWindow() || !this.#restored) return;
    if (this.#timer !== null) clearTimeout(this.#timer);
    this.#timer = null;
    const session = this.#current();
    const json = JSON.stringify(session);
    if (json !== this.#written) await this.#write(session, json);
  }

  #current(): Session {
    const responseOf = (key: string) => {
      const x = exchanges.of(key);
      return x.kind === "done" ? x.response : null;
    };
    return sessionOf(tabs.list, tabs.activeKey, responseOf);
  }

  async #write(session: Session, json: string) {
    this.#written = json;
    try {
      await api.sessionPut(session);
    } catch (e) {
      this.#written = "";
      console.warn("the session was not saved:", normaliseError(e).message);
    }
  }
}

export const session = new SessionStore();
