// The records of one streamed response as the window holds them: appended in batches as they
// arrive (or pages read back from the body file), capped so a stream of hours keeps memory
// bounded (the oldest go; the body file keeps every one), with the filters and figures the
// Events/Records view shows. Plain TypeScript, unit-tested without a window.

import type { StreamKind } from "../../lib/bindings/StreamKind";
import type { StreamRecord } from "../../lib/bindings/StreamRecord";

/** The most records the window keeps per response. */
export const MAX_RECORDS = 50_000;

/** The type an SSE event without an `event` field has. */
export const DEFAULT_EVENT = "message";

/** A Content-Type's stream framing, parameters and case ignored (as the engine's). */
export function streamKindOf(contentType: string | null | undefined): StreamKind | null {
  const essence = (contentType ?? "").split(";")[0].trim().toLowerCase();
  switch (essence) {
    case "text/event-stream":
      return "sse";
    case "application/x-ndjson":
    case "application/ndjson":
    case "application/jsonl":
    case "application/x-jsonl":
    case "application/jsonlines":
    case "application/x-jsonlines":
    case "application/json-lines":
    case "application/stream+json":
    case "application/x-json-stream":
      return "ndjson";
    case "application/json-seq":
      return "jsonSeq";
    default:
      return null;
  }
}

export class RecordLog {
  readonly kind: StreamKind;
  readonly max: number;
  /** The records kept, oldest first. */
  records: StreamRecord[] = [];
  /** Records that came before `records[0]` and are only in the body file. */
  dropped = 0;
  /** Every record so far (kept or not). */
  total = 0;
  /**
   * The kept records' event types (markers aside) with how many of each, in order of first
   * appearance, and how many kept records have an arrival time: kept up to date per batch so a
   * view does not rescan 50,000 records on every one.
   */
  #types = new Map<string, number>();
  #typeList: string[] | null = [];
  #timed = 0;

  constructor(kind: StreamKind, max = MAX_RECORDS) {
    this.kind = kind;
    this.max = max;
  }

  /** Adds a batch (in stream order); `total` is the stream's count when the sender knows it. */
  append(batch: StreamRecord[], total?: number) {
    if (batch.length === 0) return;
    for (const r of batch) {
      this.records.push(r);
      this.#count(r, 1);
    }
    const over = this.records.length - this.max;
    if (over > 0) {
      for (let i = 0; i < over; i++) this.#count(this.records[i], -1);
      this.records.splice(0, over);
      this.dropped += over;
    }
    this.total = Math.max(total ?? 0, this.dropped + this.records.length);
  }

  #count(r: StreamRecord, by: 1 | -1) {
    if (r.atMs !== null) this.#timed += by;
    if (r.reconnect != null) return;
    const t = typeOf(r);
    const n = (this.#types.get(t) ?? 0) + by;
    if (n > 0) {
      if (n === 1 && by === 1) this.#typeList = null;
      this.#types.set(t, n);
    } else {
      this.#types.delete(t);
      this.#typeList = null;
    }
  }

  /** The kept records' event types (as `eventTypes(records)`, without the rescan). */
  types(): string[] {
    this.#typeList ??= [...this.#types.keys()];
    return this.#typeList;
  }

  /** Records per second over the kept records' arrival times (live streams only). */
  rate(): number | null {
    if (this.#timed < 2) return null;
    // Live records all have a time, so both ends are found at once.
    const first = this.records.find((r) => r.atMs !== null)?.atMs ?? null;
    let last: number | null = null;
    for (let i = this.records.length - 1; last === null && i >= 0; i--) last = this.records[i].atMs;
    if (first === null || last === null) return null;
    const span = last - first;
    return span > 0 ? ((this.#timed - 1) * 1000) / span : null;
  }
}

export interface RecordFilter {
  /** An SSE event type, or "" for all. */
  type: string;
  /** Case-insensitive text in the data, type or id, or "" for all. */
  text: string;
}

export function typeOf(r: StreamRecord): string {
  return r.event ?? DEFAULT_EVENT;
}

/** The text of a reconnection's marker row; `null` for an event or record. */
export function reconnectText(r: StreamRecord): string | null {
  if (r.reconnect == null) return null;
  return `↻ reconnected (attempt ${r.reconnect})${r.id ? ` with Last-Event-ID ${r.id}` : ""}`;
}

/** Whether a record passes a filter whose text is already trimmed and lower-cased. */
function passes(r: StreamRecord, type: string, text: string): boolean {
  return (
    r.reconnect != null ||
    ((type === "" || typeOf(r) === type) &&
      (text === "" || r.data.toLowerCase().includes(text) || typeOf(r).toLowerCase().includes(text) || (r.id ?? "").toLowerCase().includes(text)))
  );
}

/** The records a filter lets through, in order (reconnection markers always are). */
export function filterRecords(records: StreamRecord[], filter: RecordFilter): StreamRecord[] {
  const text = filter.text.trim().toLowerCase();
  if (filter.type === "" && text === "") return records;
  return records.filter((r) => passes(r, filter.type, text));
}

/**
 * `filterRecords` of a live log kept up to date per batch: only the records appended since the
 * last call are tested, and those the log dropped are let go, so a filter set during a fast
 * stream does not refilter 50,000 records on every frame. The array returned is reused.
 */
export class FilteredRecords {
  #log: RecordLog | null = null;
  #key = "";
  #list: StreamRecord[] = [];
  /** The stream position (dropped + index) of each record in `#list`. */
  #at: number[] = [];
  /** Records before this stream position have been tested. */
  #through = 0;

  of(log: RecordLog, filter: RecordFilter): StreamRecord[] {
    const text = filter.text.trim().toLowerCase();
    if (filter.type === "" && text === "") return log.records;
    const key = `${filter.type}\u0000${text}`;
    if (log !== this.#log || key !== this.#key || this.#through < log.dropped) {
      this.#log = log;
      this.#key = key;
      this.#list = [];
      this.#at = [];
      this.#through = log.dropped;
    }
    const end = log.dropped + log.records.length;
    for (let at = this.#through; at < end; at++) {
      const r = log.records[at - log.dropped];
      if (passes(r, filter.type, text)) {
        this.#list.push(r);
        this.#at.push(at);
      }
    }
    this.#through = end;
    let gone = 0;
    while (gone < this.#at.length && this.#at[gone] < log.dropped) gone++;
    if (gone > 0) {
      this.#list.splice(0, gone);
      this.#at.splice(0, gone);
    }
    return this.#list;
  }
}

/** The event types seen, in order of first appearance. */
export function eventTypes(records: StreamRecord[]): string[] {
  const seen = new Set<string>();
  for (const r of records) if (r.reconnect == null) seen.add(typeOf(r));
  return [...seen];
}

/** The data pretty-printed when it is JSON, else as it is. */
export function prettyData(data: string): { text: string; json: boolean } {
  const t = data.trim();
  if (t === "" || !"{[\"-0123456789tfn".includes(t[0])) return { text: data, json: false };
  try {
    return { text: JSON.stringify(JSON.parse(t), null, 2), json: true };
  } catch {
    return { text: data, json: false };
  }
}

/** Which rows of a list of `count` rows of `rowHeight` px are visible, with `overscan` around. */
export function visibleRange(scrollTop: number, viewHeight: number, rowHeight: number, count: number, overscan = 10): { start: number; end: number } {
  const first = Math.floor(scrollTop / rowHeight);
  const start = Math.max(0, first - overscan);
  const end = Math.min(count, Math.ceil((scrollTop + viewHeight) / rowHeight) + overscan);
  return { start, end: Math.max(start, end) };
}

/** "+1.25 s" / "+340 ms" since the send started; "" when read back from the file. */
export function formatAt(atMs: number | null): string {
  if (atMs === null) return "";
  return atMs >= 1000 ? `+${(atMs / 1000).toFixed(2)} s` : `+${Math.round(atMs)} ms`;
}
