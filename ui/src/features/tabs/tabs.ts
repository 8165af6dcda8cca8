// Pure logic of the request tabs: which tab becomes active when one closes, unique keys, titles,
// and the environment chosen per collection (kept in localStorage).

import { newId } from "../../lib/ids";

export interface TabLike {
  key: string;
  path: string | null;
}

let counter = 0;
/**
 * A key for a new tab, unique across restarts (drafts are stored under it). It starts with the
 * time so restored drafts (listed by key) come back in the order their tabs were opened.
 */
export function newTabKey(now: number = Date.now()): string {
  counter += 1;
  return `tab-${now.toString(36)}-${counter.toString(36)}-${newId()}`;
}

/** The tab to activate after closing `closing`: the one to its right, else to its left. */
export function nextActiveAfterClose(tabs: ReadonlyArray<TabLike>, closing: string, active: string | null): string | null {
  if (active !== closing) return active;
  const i = tabs.findIndex((t) => t.key === closing);
  if (i < 0) return active;
  const rest = tabs.filter((t) => t.key !== closing);
  if (rest.length === 0) return null;
  return rest[Math.min(i, rest.length - 1)].key;
}

/** The tab `step` places away from the active one, wrapping around (Ctrl+Tab, Ctrl+Shift+Tab). */
export function cycleTab(tabs: ReadonlyArray<TabLike>, active: string | null, step: number): string | null {
  if (tabs.length === 0) return null;
  const i = Math.max(0, tabs.findIndex((t) => t.key === active));
  return tabs[(((i + step) % tabs.length) + tabs.length) % tabs.length].key;
}

/** A request file name as a tab title fallback: `items/create-item.yaml` → `create-item`. */
export function baseName(path: string): string {
  const last = path.split("/").pop() ?? path;
  return last.replace(/\.(ya?ml|json)$/i, "");
}

/** The name an unsaved tab starts with (`emptySaved`): no name of the user's. */
export const UNNAMED = "New request";

/**
 * The path of a URL for a title: no scheme, host or leading `{{baseUrl}}`, no query or fragment;
 * templates in the path stay. `https://h:1/api/items/{{id}}?x=1` → `/api/items/{{id}}`.
 */
export function urlPath(url: string): string {
  let s = url.trim().replace(/^[a-z][a-z0-9+.-]*:\/\/[^/?#]*/i, "");
  if (!s.startsWith("/")) {
    // A bare host (`example.com/x`) or a base-URL variable (`{{base}}/x`) before the path.
    const i = s.search(/[/?#]/);
    s = i < 0 || s[i] !== "/" ? "" : s.slice(i);
  }
  const end = s.search(/[?#]/);
  return (end < 0 ? s : s.slice(0, end)) || "/";
}

/**
 * A tab's title: the name the user (or Try it, from the operation's summary) gave it, else the
 * file's name, else `METHOD /path` from its URL, else "New request".
 */
export function tabTitle(tab: TitleParts): string {
  return tabLabel(tab) ?? `${(tab.method || "GET").toUpperCase()} ${urlPath(tab.url)}`;
}

/** What the strip shows beside the method badge: the title, without the method the badge shows already. */
export function stripLabel(tab: TitleParts): string {
  return tabLabel(tab) ?? urlPath(tab.url);
}

interface TitleParts {
  name: string;
  path: string | null;
  method: string;
  url: string;
}

/** The title when it does not come from the URL; null when it does. */
function tabLabel(tab: TitleParts): string | null {
  const name = tab.name.trim();
  if (name !== "" && (name !== UNNAMED || tab.path !== null)) return name;
  if (tab.path !== null) return baseName(tab.path);
  return tab.url.trim() === "" ? UNNAMED : null;
}

export interface KeyValueStore {
  getItem(key: string): string | null;
  setItem(key: string, value: string): void;
  removeItem(key: string): void;
}

const ENV_PREFIX = "sextant.env.";

/** The environment chosen for a collection last time, or null for "No environment". */
export function loadEnvChoice(store: KeyValueStore | null, collection: string): string | null {
  if (!store) return null;
  try {
    return store.getItem(ENV_PREFIX + collection);
  } catch {
    return null;
  }
}

export function saveEnvChoice(store: KeyValueStore | null, collection: string, env: string | null) {
  if (!store) return;
  try {
    if (env === null) store.removeItem(ENV_PREFIX + collection);
    else store.setItem(ENV_PREFIX + collection, env);
  } catch {
    // Storage full or disabled: the choice just is not remembered.
  }
}

const EXPANDED_KEY = "sextant.tree.expanded";

export function loadExpanded(store: KeyValueStore | null): Set<string> {
  try {
    const raw = store?.getItem(EXPANDED_KEY);
    const list: unknown = raw ? JSON.parse(raw) : [];
    return new Set(Array.isArray(list) ? list.filter((x): x is string => typeof x === "string") : []);
  } catch {
    return new Set();
  }
}

export function saveExpanded(store: KeyValueStore | null, expanded: ReadonlySet<string>) {
  try {
    store?.setItem(EXPANDED_KEY, JSON.stringify([...expanded]));
  } catch {
    // Not remembered; nothing else depends on it.
  }
}

/** localStorage when there is one (not in unit tests). */
export function browserStore(): KeyValueStore | null {
  try {
    return typeof localStorage === "undefined" ? null : localStorage;
  } catch {
    return null;
  }
}
