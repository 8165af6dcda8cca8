// Where a tab opened from the history was sent from. The tab itself is unsaved (saving it must
// not overwrite the collection file with an old version), but a re-send resolves its
// `{{variables}}`, inherited auth and environment in the collection it came from: the exchange
// asks `originOf` when the tab has no file of its own. The origin lives on the tab
// (`RequestTab.origin`), so the tab's collection, and with it the environment picker, follow it.

import { tabs } from "../tabs/store.svelte";

/** Tab `key` now holds a request sent from `path` (none: forget it). */
export function setOrigin(key: string, path: string | null) {
  tabs.tab(key)?.setOrigin(path);
}

/** The collection file tab `key`'s request was reopened from, if any. */
export function originOf(key: string): string | null {
  return tabs.tab(key)?.origin ?? null;
}
