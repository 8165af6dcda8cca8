// Keeps the URL bar and the Params table in step, both ways.
//
// The query string is kept exactly as typed: names and values are not decoded for display, so
// `%20`, `+`, duplicates, empty values and `=`-less keys all survive a round trip. Only when the
// request is sent are the rows percent-decoded (see `queryForSend`), because the engine encodes
// the rows it appends.

import type { KeyValue } from "../../lib/bindings/KeyValue";

/** A URL cut into the part before `?`, the query (without `?`) and the fragment (without `#`). */
export interface UrlParts {
  base: string;
  /** `null` when the URL has no `?`; `""` for a bare `?`. */
  query: string | null;
  /** `null` when the URL has no `#`. */
  fragment: string | null;
}

/** One parameter as it appears in a query string. */
export interface QueryParam {
  name: string;
  value: string;
  /** True for a key written without `=` (`?flag`). */
  bare: boolean;
}

/** A row of the Params table (and of every other key/value table). */
export interface ParamRow {
  id: string;
  name: string;
  value: string;
  enabled: boolean;
  /** Written without `=` in the URL; dropped as soon as the row gets a value. */
  bare?: boolean;
}

export function splitUrl(url: string): UrlParts {
  let rest = url;
  let fragment: string | null = null;
  const hash = rest.indexOf("#");
  if (hash >= 0) {
    fragment = rest.slice(hash + 1);
    rest = rest.slice(0, hash);
  }
  let query: string | null = null;
  const q = rest.indexOf("?");
  if (q >= 0) {
    query = rest.slice(q + 1);
    rest = rest.slice(0, q);
  }
  return { base: rest, query, fragment };
}

export function joinUrl(parts: UrlParts): string {
  let out = parts.base;
  if (parts.query !== null) out += "?" + parts.query;
  if (parts.fragment !== null) out += "#" + parts.fragment;
  return out;
}

/** Splits a query string (without its `?`) into parameters. Empty `&&` segments carry nothing and are skipped. */
export function parseQuery(query: string): QueryParam[] {
  const out: QueryParam[] = [];
  for (const segment of query.split("&")) {
    if (segment === "") continue;
    const eq = segment.indexOf("=");
    if (eq < 0) out.push({ name: segment, value: "", bare: true });
    else out.push({ name: segment.slice(0, eq), value: segment.slice(eq + 1), bare: false });
  }
  return out;
}

// Characters that would change the structure of the query if written as is.
function escapeName(s: string): string {
  return s.replace(/[&=#]/g, (c) => "%" + c.charCodeAt(0).toString(16).toUpperCase());
}
function escapeValue(s: string): string {
  return s.replace(/[&#]/g, (c) => "%" + c.charCodeAt(0).toString(16).toUpperCase());
}

/** Writes the enabled rows as a query string (without `?`). Blank rows are skipped. */
export function formatQuery(rows: ReadonlyArray<Omit<ParamRow, "id"> | QueryParam>): string {
  const parts: string[] = [];
  for (const row of rows) {
    if ("enabled" in row && !row.enabled) continue;
    if (row.name === "" && row.value === "") continue;
    const name = escapeName(row.name);
    if (row.value === "" && row.bare) parts.push(name);
    else parts.push(name + "=" + escapeValue(row.value));
  }
  return parts.join("&");
}

/** Parses the URL bar into its base, fragment and parameters. */
export function urlToParams(url: string): { base: string; fragment: string | null; params: QueryParam[] } {
  const parts = splitUrl(url);
  return { base: parts.base, fragment: parts.fragment, params: parts.query === null ? [] : parseQuery(parts.query) };
}

/**
 * Rewrites the URL's query from the table: the base and fragment of `url` stay, the query becomes
 * the enabled rows in order. With no enabled rows the `?` goes away.
 */
export function paramsToUrl(url: string, rows: ReadonlyArray<Omit<ParamRow, "id">>): string {
  const parts = splitUrl(url);
  const query = formatQuery(rows);
  return joinUrl({ base: parts.base, query: query === "" ? null : query, fragment: parts.fragment });
}

/**
 * The table after the user edited the URL: the URL's parameters become the enabled rows, in
 * order, while the disabled rows (which the URL does not show) keep their places. Enabled rows
 * keep their ids in order so the table's inputs keep focus.
 */
export function mergeUrlParams(
  oldRows: ReadonlyArray<ParamRow>,
  params: ReadonlyArray<QueryParam>,
  newId: () => string,
): ParamRow[] {
  const out: ParamRow[] = [];
  let next = 0;
  for (const row of oldRows) {
    if (!row.enabled) {
      out.push(row);
      continue;
    }
    if (row.name === "" && row.value === "") continue; // blank rows are the table's, not the URL's
    if (next < params.length) {
      const p = params[next++];
      out.push({ id: row.id, name: p.name, value: p.value, enabled: true, bare: p.bare });
    }
  }
  for (; next < params.length; next++) {
    const p = params[next];
    out.push({ id: newId(), name: p.name, value: p.value, enabled: true, bare: p.bare });
  }
  return out;
}

/**
 * Percent-decodes one query component the way a server would (`+` is a space). Invalid escapes
 * and byte sequences that are not UTF-8 are kept as typed.
 */
export function decodeQueryComponent(s: string): string {
  const plus = s.replace(/\+/g, " ");
  if (!plus.includes("%")) return plus;
  const bytes: number[] = [];
  const out: string[] = [];
  const flush = () => {
    if (bytes.length === 0) return;
    const raw = bytes.map((b) => "%" + b.toString(16).toUpperCase().padStart(2, "0")).join("");
    try {
      out.push(new TextDecoder("utf-8", { fatal: true }).decode(new Uint8Array(bytes)));
    } catch {
      out.push(raw);
    }
    bytes.length = 0;
  };
  for (let i = 0; i < plus.length; i++) {
    const c = plus[i];
    if (c === "%" && i + 2 < plus.length && /^[0-9a-fA-F]{2}$/.test(plus.slice(i + 1, i + 3))) {
      bytes.push(parseInt(plus.slice(i + 1, i + 3), 16));
      i += 2;
    } else {
      flush();
      out.push(c);
    }
  }
  flush();
  return out.join("");
}

/**
 * The rows as the engine wants them: every non-blank row with its `enabled` flag, names and values
 * decoded (the engine encodes them again when it appends them to the URL).
 */
export function queryForSend(rows: ReadonlyArray<ParamRow>): KeyValue[] {
  return rows
    .filter((r) => r.name !== "" || r.value !== "")
    .map((r) => ({ name: decodeQueryComponent(r.name), value: decodeQueryComponent(r.value), enabled: r.enabled }));
}

/** The URL to send: everything before the query. The fragment never goes on the wire. */
export function urlForSend(url: string): string {
  return splitUrl(url.trim()).base;
}

/** What the URL bar says about a URL it cannot send as typed, with a fix when there is one. */
export type UrlHint = { kind: "typo"; fixed: string } | { kind: "websocket" };

// `htp//`, `http//`, `htps:/`, `http:`, `hhttp://`, `http;//`: an http(s) scheme typed wrong.
const SCHEME_TYPO = /^h{1,2}t{1,3}p{1,2}(s?)\s*[:;]?\s*\/{0,3}/i;

/**
 * A hint for a URL whose scheme is mistyped (`htp//host`, `http//host`, `htps:/host`): "did you
 * mean `http://host`?", with the URL fixed. A `ws://`/`wss://` URL gets a WebSocket hint instead.
 * `null` when the URL looks right, or has no scheme at all (the engine adds `http://`).
 */
export function urlHint(url: string): UrlHint | null {
  const typed = url.trim();
  if (/^wss?:\/\//i.test(typed)) return { kind: "websocket" };
  const m = SCHEME_TYPO.exec(typed);
  // Without a `:`, `;` or `/` it is a host that starts with "http" (`httpbin.org`).
  if (!m || !/[:;/]/.test(m[0])) return null;
  const rest = typed.slice(m[0].length);
  if (rest === "") return null;
  const fixed = `${m[1] ? "https" : "http"}://${rest}`;
  return fixed.toLowerCase() === typed.toLowerCase() ? null : { kind: "typo", fixed };
}
