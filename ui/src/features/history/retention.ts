// The "Trim history" dialog's fields as a `history_prune` argument: each limit is optional, but at
// least one must be set, and each must be a whole number above zero.

import type { HistoryRetention } from "../../lib/bindings/HistoryRetention";

export interface RetentionInputs {
  /** Keep at most this many entries. */
  entries: string;
  /** Drop entries older than this many days. */
  days: string;
  /** Keep at most this many MB of response bodies. */
  megabytes: string;
}

const DAY_MS = 86_400_000;
const MB = 1024 * 1024;

function parseLimit(text: string, what: string): { value: number | null } | { error: string } {
  const t = text.trim();
  if (t === "") return { value: null };
  if (!/^\d+$/.test(t) || Number(t) < 1) return { error: `${what} must be a whole number above 0.` };
  return { value: Number(t) };
}

export function retentionFromInputs(inputs: RetentionInputs): { retention: HistoryRetention } | { error: string } {
  const entries = parseLimit(inputs.entries, "The number of entries");
  if ("error" in entries) return entries;
  const days = parseLimit(inputs.days, "The age in days");
  if ("error" in days) return days;
  const mb = parseLimit(inputs.megabytes, "The size in MB");
  if ("error" in mb) return mb;
  if (entries.value === null && days.value === null && mb.value === null) return { error: "Set at least one limit." };
  return {
    retention: {
      maxEntries: entries.value,
      maxAgeMs: days.value === null ? null : days.value * DAY_MS,
      maxTotalBodyBytes: mb.value === null ? null : mb.value * MB,
    },
  };
}

/** "Deleted 1 entry", "Deleted 12 entries", "Nothing to delete: …". */
export function prunedMessage(deleted: number): string {
  if (deleted === 0) return "Nothing to delete: the history is within these limits.";
  return `Deleted ${deleted} ${deleted === 1 ? "entry" : "entries"}`;
}
