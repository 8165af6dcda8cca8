// Where a tab opened from the history was sent from. The tab itself is unsaved (saving it must
// not overwrite the collection file with an old version), but a re-send resolves its
// `{{variables}}`, inherited auth and environment in the collection it came from: the exchange
// asks `originOf` when the tab has no file of its own.

import { on } from "../../lib/events";

const origins = new Map<string, string>();

on("tabClosed", ({ key }) => origins.delete(key));

/** Tab `key` now holds a request sent from `path` (none: forget it). */
export function setOrigin(key: string, path: string | null) {
  if (path === null) origins.delete(key);
  else origins.set(key, path);
}

/** The collection file tab `key`'s request was reopened from, if any. */
export function originOf(key: string): string | null {
  return origins.get(key) ?? null;
}
