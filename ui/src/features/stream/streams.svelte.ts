// The record logs of streamed responses: filled live from the send's `records` events (keyed by
// the request id while it is in flight, then also by the body id of the response it became), or
// read back from the body file for a response reopened from the history or a restored tab. A
// few recent logs are kept; older ones are read back again when needed.

import type { SendEvent } from "../../lib/bindings/SendEvent";
import type { StreamKind } from "../../lib/bindings/StreamKind";
import { readStreamRecords } from "../../lib/ipc";
import { MAX_RECORDS, RecordLog } from "./log";

/** Logs kept at once (each capped at MAX_RECORDS). */
const KEPT = 6;
/** Records asked for per `read_stream_records` call (the backend's page limit). */
const PAGE = 5_000;

type RecordsEvent = Extract<SendEvent, { event: "records" }>;

interface Entry {
  log: RecordLog | null;
  requestId: string | null;
  bodyId: string | null;
  loading?: Promise<void>;
  error?: string;
}

class StreamStore {
  /** Bumped on every change, so views re-read the (mutable, unproxied) logs. */
  version = $state(0);
  #entries: Entry[] = [];

  #keep(entry: Entry) {
    this.#entries = [entry, ...this.#entries.filter((e) => e !== entry)].slice(0, KEPT);
  }

  /** A send started: its records will come under `requestId`. */
  start(requestId: string) {
    this.#keep({ log: null, requestId, bodyId: null });
    this.version++;
  }

  /**
   * A batch of records of the send `requestId`. Batches come faster than frames at high rates:
   * each is appended at once, the views are told at most once an animation frame.
   */
  add(requestId: string, e: RecordsEvent) {
    const entry = this.#entries.find((x) => x.requestId === requestId);
    if (!entry) return;
    entry.log ??= new RecordLog(e.kind);
    entry.log.append(e.records, e.total);
    this.#bumpNextFrame();
  }

  #frame = false;

  #bumpNextFrame() {
    if (this.#frame) return;
    this.#frame = true;
    const bump = () => {
      this.#frame = false;
      this.version++;
    };
    if (typeof requestAnimationFrame === "function") requestAnimationFrame(bump);
    else setTimeout(bump, 16);
  }

  /** The send `requestId` ended with the response whose body is `bodyId`. */
  finish(requestId: string, bodyId: string) {
    const entry = this.#entries.find((x) => x.requestId === requestId);
    if (entry) entry.bodyId = bodyId;
    this.version++;
  }

  forRequest(requestId: string): RecordLog | null {
    return this.#entries.find((x) => x.requestId === requestId)?.log ?? null;
  }

  /** The log of a finished response, if it is kept; `loadError` says why reading it back failed. */
  forBody(bodyId: string): { log: RecordLog | null; error: string | null; live: boolean } {
    const entry = this.#entries.find((x) => x.bodyId === bodyId);
    return { log: entry?.log ?? null, error: entry?.error ?? null, live: entry?.requestId != null };
  }

  /**
   * Reads a stored body's records back (the last MAX_RECORDS of them, page by page) unless they
   * are kept already: for responses with no live log.
   */
  load(bodyId: string, kind: StreamKind): Promise<void> {
    const kept = this.#entries.find((x) => x.bodyId === bodyId);
    if (kept?.log || kept?.loading) return kept.loading ?? Promise.resolve();
    const entry: Entry = kept ?? { log: null, requestId: null, bodyId };
    this.#keep(entry);
    entry.loading = (async () => {
      try {
        const first = await readStreamRecords(bodyId, kind, 0, PAGE);
        const log = new RecordLog(kind);
        const from = Math.max(0, first.total - MAX_RECORDS);
        if (from === 0) {
          log.append(first.records, first.total);
        } else {
          log.dropped = from;
        }
        for (let offset = from === 0 ? first.records.length : from; offset < first.total; offset += PAGE) {
          const page = await readStreamRecords(bodyId, kind, offset, PAGE);
          if (page.records.length === 0) break;
          log.append(page.records, page.total);
        }
        entry.log = log;
      } catch (e) {
        entry.error = (e as { message?: string }).message ?? String(e);
      } finally {
        entry.loading = undefined;
        this.version++;
      }
    })();
    return entry.loading;
  }
}

export const streams = new StreamStore();
