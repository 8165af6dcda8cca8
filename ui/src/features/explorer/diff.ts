// What a reload changed, in the few numbers the sidebar shows, and which sources can be re-imported
// on a timer.

import type { SpecDiff } from "../../lib/bindings/openapi/SpecDiff";

/** `overview.source` of a spec imported from pasted text (set by the engine). */
export const PASTED_SOURCE = "pasted text";

export interface DiffCounts {
  added: number;
  removed: number;
  changed: number;
  /** Removed operations plus every breaking change of a changed one. */
  breaking: number;
}

export function diffCounts(diff: SpecDiff): DiffCounts {
  let breaking = diff.removed.length;
  for (const op of diff.changed) for (const c of op.changes) if (c.breaking) breaking++;
  return { added: diff.added.length, removed: diff.removed.length, changed: diff.changed.length, breaking };
}

export function isEmptyDiff(diff: SpecDiff): boolean {
  return diff.added.length === 0 && diff.removed.length === 0 && diff.changed.length === 0;
}

/** "2 added, 1 removed, 1 breaking" — only the non-zero counts; "No changes" when there are none. */
export function diffSummary(c: DiffCounts): string {
  const parts: string[] = [];
  if (c.added > 0) parts.push(`${c.added} added`);
  if (c.removed > 0) parts.push(`${c.removed} removed`);
  if (c.changed > 0) parts.push(`${c.changed} changed`);
  if (parts.length === 0) return "No changes";
  if (c.breaking > 0) parts.push(`${c.breaking} breaking`);
  return parts.join(", ");
}

/** Only a spec served over http(s) — a dev server — is worth re-importing every few seconds. */
export function isWatchable(source: string): boolean {
  return /^https?:\/\//i.test(source);
}

/** What the import dialog starts with: the spec's source, unless it was pasted. */
export function importInitial(source: string | undefined): string {
  return source === undefined || source === PASTED_SOURCE ? "" : source;
}
