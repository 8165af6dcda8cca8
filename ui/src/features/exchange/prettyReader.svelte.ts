// A big JSON body's pretty text, made by the backend and paged in a window at a time.
//
// Over 1 MiB the backend pretty-prints the body once (beside it, in Rust) rather than the page
// parsing megabytes of JSON; the response view draws the first window as soon as it arrives and
// pages in the rest on demand, like the raw view pages the body. Kept out of ResponseBody so the
// paging (first window at once, gathering later ones, stopping on no progress, falling back to
// the raw text when the backend cannot pretty-print) can be tested on its own.
import type { ApiError } from "../../lib/bindings/ApiError";
import type { PrettyWindow } from "../../lib/bindings/PrettyWindow";
import { nextPrettyRead, serverPrettyFallbackNote } from "./json";

/** Reads the window of pretty text at `offset`, at most `length` bytes (`readPrettyBody`). */
export type ReadPretty = (offset: number, length: number) => Promise<PrettyWindow>;

export class PrettyReader {
  /** The pretty text loaded so far; `null` until the first window arrives. */
  text = $state.raw<string | null>(null);
  /** Where the loaded text ends (bytes of the pretty text). */
  end = $state(0);
  /** The pretty text's whole length, once the backend has said it. */
  total = $state<number | null>(null);
  loading = $state(false);
  /** Set when the backend could not pretty-print: the pretty view shows the raw text with this. */
  fallback = $state<string | null>(null);
  /** What is left to load, in bytes of pretty text. */
  readonly remaining = $derived(this.total === null ? 0 : Math.max(0, this.total - this.end));

  #read: ReadPretty;
  #report: (error: ApiError | null) => void;
  #stopped = false;

  /**
   * `report` hears a failure to read a later window (the text so far stays shown), and `null`
   * when a load starts: the view has one "could not read the body" banner for both views.
   */
  constructor(read: ReadPretty, report: (error: ApiError | null) => void) {
    this.#read = read;
    this.#report = report;
  }

  /** No more reads: the view is gone. */
  stop(): void {
    this.#stopped = true;
  }

  /**
   * Loads up to `maxBytes` more. With no limit (the first call), only the first window is read:
   * it is drawn as soon as it arrives. Later windows of one call are gathered and added once.
   */
  async load(maxBytes = Infinity): Promise<void> {
    if (this.loading || this.fallback !== null) return;
    this.loading = true;
    this.#report(null);
    let budget = maxBytes;
    let added = "";
    let end = this.end;
    let total = this.total;
    const first = this.text === null;
    try {
      for (;;) {
        const want = nextPrettyRead(end, total, budget, first && added === "");
        if (want === null || this.#stopped) break;
        const w = await this.#read(end, want);
        if (this.#stopped) return;
        total = w.total;
        if (w.end <= end) break; // nothing new: stop rather than spin
        added += w.text;
        budget -= w.end - end;
        end = w.end;
        if (first && this.text === null) {
          this.text = added;
          added = "";
          this.end = end;
          this.total = total;
          if (maxBytes === Infinity) break;
        }
      }
    } catch (e) {
      const err = e as ApiError;
      if (this.text === null) this.fallback = serverPrettyFallbackNote(err);
      else this.#report(err);
    } finally {
      if (added !== "") this.text = (this.text ?? "") + added;
      this.end = end;
      this.total = total;
      this.loading = false;
    }
  }
}
