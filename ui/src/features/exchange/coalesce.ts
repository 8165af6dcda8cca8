// Body progress comes about 20 times a second while a response downloads (the engine's body sink
// flushes every 50 ms); each one published would re-render the whole response area. The
// coalescer keeps the latest in a plain holder and publishes it at most once per interval, the
// first after a quiet spell at once; `flush` publishes what is held now (before any other event
// of the send, and when it ends), so the last figures are never lost or late.

/** How often body progress reaches the response area while it downloads, at most. */
export const PROGRESS_INTERVAL_MS = 125;

export class Coalescer<T> {
  #held: T | undefined = undefined;
  #timer: ReturnType<typeof setTimeout> | null = null;
  readonly #publish: (value: T) => void;
  readonly #intervalMs: number;

  constructor(publish: (value: T) => void, intervalMs = PROGRESS_INTERVAL_MS) {
    this.#publish = publish;
    this.#intervalMs = intervalMs;
  }

  /** Takes `value` in place of any held one; publishes it at once when nothing went out lately. */
  push(value: T) {
    this.#held = value;
    if (this.#timer === null) this.flush();
  }

  /** Publishes the held value now (if any) and starts a new interval. */
  flush() {
    const value = this.#held;
    this.#held = undefined;
    if (this.#timer !== null) clearTimeout(this.#timer);
    this.#timer = null;
    if (value === undefined) return;
    this.#publish(value);
    this.#timer = setTimeout(() => {
      this.#timer = null;
      if (this.#held !== undefined) this.flush();
    }, this.#intervalMs);
  }

  /** Publishes what is held and stops the timer (the send ended). */
  close() {
    this.flush();
    if (this.#timer !== null) clearTimeout(this.#timer);
    this.#timer = null;
  }
}
