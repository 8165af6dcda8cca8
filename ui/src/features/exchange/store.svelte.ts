// The exchange per tab: idle, sending (with progress), done or failed. `send` is the one place
// that asks "already sending?", converts the composer to a request once and calls the one `send`
// command; when it ends it emits "sent" (history reloads, variables look again).

import type { SendContext } from "../../lib/bindings/SendContext";
import { emit, on } from "../../lib/events";
import { newId } from "../../lib/ids";
import { normaliseError } from "../../lib/ipc";
import { toasts } from "../../ui/toasts.svelte";
import { collections } from "../collections/store.svelte";
import { sendProblem } from "../composer/request";
import { originOf } from "../history/origin";
import { tabs } from "../tabs/store.svelte";
import { variables } from "../variables/store.svelte";
import * as api from "./api";
import { streams } from "../stream/streams.svelte";
import { Coalescer } from "./coalesce";
import { applyEvent, type Exchange } from "./exchange";

const IDLE: Exchange = { kind: "idle" };

class ExchangeStore {
  #exchanges = $state.raw<Record<string, Exchange>>({});

  constructor() {
    on("tabClosed", ({ key }) => {
      const rest = { ...this.#exchanges };
      delete rest[key];
      this.#exchanges = rest;
    });
  }

  of(key: string | null): Exchange {
    return (key && this.#exchanges[key]) || IDLE;
  }

  /** Shows `x` in the tab's response area (a recorded response, a cleared one). */
  set(key: string, x: Exchange) {
    this.#exchanges = { ...this.#exchanges, [key]: x };
  }

  /** Back to idle, unless a send is on its way. */
  reset(key: string) {
    if (this.of(key).kind !== "sending") this.set(key, IDLE);
  }

  /**
   * Sends the tab's request through the one `send` command: in its collection context
   * (templating, inherited settings, captures, history) when there is a workspace, else as
   * composed. The one place that asks "already sending?".
   */
  async send(key: string) {
    const tab = tabs.tab(key);
    if (!tab || this.of(key).kind === "sending") return;
    const problem = sendProblem(tab.composer);
    if (problem) {
      this.set(key, { kind: "error", error: problem, elapsedMs: null });
      return;
    }
    // The composer as a request, converted once (`current` is derived from it).
    const request = tab.current;
    // A tab reopened from the history resolves in the collection it was sent from.
    const path = tab.path ?? originOf(tab.key);
    const context: SendContext | null = collections.info !== null ? { path, environment: variables.environmentFor(path) } : null;
    const requestId = newId();
    const startedAt = Date.now();
    this.set(key, { kind: "sending", requestId, startedAt, status: null, received: 0, expected: null, redirects: 0 });
    const mine = () => {
      const x = this.#exchanges[key];
      return x !== undefined && x.kind === "sending" && x.requestId === requestId;
    };
    streams.start(requestId);
    const apply = (event: Parameters<typeof applyEvent>[1]) => {
      const x = this.#exchanges[key];
      if (x && x.kind === "sending" && x.requestId === requestId) this.set(key, applyEvent(x, event));
    };
    // Body progress re-renders the response area: at most a few times a second, the last at once.
    const progress = new Coalescer(apply);
    const onEvent = (event: Parameters<typeof applyEvent>[1]) => {
      // Records of an event stream go to its log, not into the exchange (they can be many).
      if (event.event === "records") return streams.add(requestId, event);
      if (event.event === "body") {
        progress.push(event);
        if (event.expected !== null && event.received >= event.expected) progress.flush();
        return;
      }
      // Anything else comes after the progress held so far.
      progress.flush();
      apply(event);
    };
    let captured = false;
    try {
      const response = await api.send(requestId, request, context, onEvent);
      progress.close();
      streams.finish(requestId, response.id);
      if (mine()) this.set(key, { kind: "done", response });
      captured = context !== null && request.captures.length > 0;
    } catch (e) {
      progress.close();
      const error = normaliseError(e);
      const elapsedMs = Date.now() - startedAt;
      // Which of the refused files the user can allow (a path relative to nothing cannot be).
      const files = error.code === "FileNotAllowed" && context !== null ? await api.bodyFilesStopped(request, context).catch(() => []) : [];
      if (mine()) this.set(key, { kind: "error", error, elapsedMs, ...(files.length > 0 ? { files } : {}) });
    }
    emit("sent", { tabKey: key, captured });
  }

  /** The user allowed `files` (named by a `FileNotAllowed` refusal): remember them and send again. */
  async allowFilesAndSend(key: string, files: string[]) {
    try {
      await api.allowBodyFiles(files);
    } catch (e) {
      toasts.fail("Could not allow the file", e);
      return;
    }
    await this.send(key);
  }

  /** Cancels the tab's send; the backend registers a send before anything else, so one call reaches it. */
  async cancel(key: string) {
    const x = this.#exchanges[key];
    if (!x || x.kind !== "sending") return;
    try {
      await api.cancelRequest(x.requestId);
    } catch (e) {
      toasts.fail("Could not cancel", e);
    }
  }
}

export const exchanges = new ExchangeStore();
