// The window's one toast: a message that goes away by itself, optionally with an action ("Undo").
// Every feature reports through it; `ui/Toast.svelte` shows it.

import { normaliseError } from "../lib/errors";

export interface Toast {
  text: string;
  tone?: "info" | "error";
  action?: { label: string; run: () => void };
}

class Toasts {
  #current = $state.raw<Toast | null>(null);
  #timer: ReturnType<typeof setTimeout> | undefined;

  get current(): Toast | null {
    return this.#current;
  }

  notify(text: string, opts: Omit<Toast, "text"> = {}, ms = 6000) {
    this.#current = { text, ...opts };
    clearTimeout(this.#timer);
    this.#timer = setTimeout(() => (this.#current = null), ms);
  }

  /** Reports a failed action: "what: the error's message". */
  fail(what: string, e: unknown) {
    const err = normaliseError(e);
    this.notify(`${what}: ${err.message}`, { tone: "error" });
  }

  dismiss() {
    clearTimeout(this.#timer);
    this.#current = null;
  }
}

export const toasts = new Toasts();
