// What the session file holds and how it is turned back into tabs: pure functions, so the order,
// the active tab and which source each tab comes from (its draft, its file, or blank) are tested
// without a window.

import type { Draft } from "../../lib/bindings/Draft";
import type { HttpResponse } from "../../lib/bindings/HttpResponse";
import type { Session } from "../../lib/bindings/Session";

/** Shown in place of a restored response's body when its file was deleted (history trimmed). */
export const BODY_GONE = "body no longer on disk";

export interface TabLike {
  key: string;
  path: string | null;
}

/** The session record for these tabs: order, file or draft key, active tab, last response head. */
export function sessionOf(tabs: ReadonlyArray<TabLike>, active: string | null, responseOf: (key: string) => HttpResponse | null): Session {
  return {
    version: 1,
    workspace: "",
    tabs: tabs.map((t) => ({ key: t.key, path: t.path, response: responseOf(t.key) })),
    active: active !== null && tabs.some((t) => t.key === active) ? active : null,
  };
}

/** How one tab comes back: from its draft (unsaved edits), its file, or as a blank tab. */
export type RestoreStep =
  | { kind: "draft"; draft: Draft; response: HttpResponse | null }
  | { kind: "file"; key: string; path: string; response: HttpResponse | null }
  | { kind: "blank"; key: string; response: HttpResponse | null };

/**
 * The tabs to open, in order: the session's tabs first (a tab with a draft from its draft, else
 * from its file, else blank), then drafts the session does not name (a session lost or damaged:
 * today's behaviour of drafts alone). `active` is the tab to focus, when the session named one.
 */
export function restorePlan(session: Session | null, drafts: ReadonlyArray<Draft>): { steps: RestoreStep[]; active: string | null } {
  const byKey = new Map(drafts.map((d) => [d.key, d]));
  const steps: RestoreStep[] = [];
  const seen = new Set<string>();
  for (const t of session?.tabs ?? []) {
    if (seen.has(t.key)) continue;
    seen.add(t.key);
    const draft = byKey.get(t.key);
    const response = t.response ?? null;
    if (draft) {
      byKey.delete(t.key);
      steps.push({ kind: "draft", draft, response });
    } else if (t.path !== null) steps.push({ kind: "file", key: t.key, path: t.path, response });
    else steps.push({ kind: "blank", key: t.key, response });
  }
  for (const d of drafts) if (byKey.has(d.key)) steps.push({ kind: "draft", draft: d, response: null });
  return { steps, active: session?.active ?? null };
}
