// The history panel's logic: the filter sent to `history_list`, merging pages fetched with
// keyset paging, how rows read (relative time, host + path, status), and turning a recorded
// entry back into a composer state and a response to show: the request as the user wrote it when
// the entry has it (its `{{references}}` resolve again on a re-send), else the masked as-sent copy.

import type { ErrorCode } from "../../lib/bindings/ErrorCode";
import type { HistoryEntry } from "../../lib/bindings/HistoryEntry";
import type { HistoryFilter } from "../../lib/bindings/HistoryFilter";
import type { HistoryRow } from "../../lib/bindings/HistoryRow";
import type { HttpResponse } from "../../lib/bindings/HttpResponse";
import type { SavedRequest } from "../../lib/bindings/SavedRequest";
import { emptyBodyDraft, type BodyDraft } from "../composer/body";
import { composerFromRequest } from "../composer/composer";
import type { ComposerState } from "../composer/request";
import { defaultSettingsDraft } from "../composer/settings";
import { paramsToUrl, urlToParams, type ParamRow } from "../composer/url";

export const PAGE_SIZE = 100;

/** What the user typed in the filter bar. `status` is "", "2".."5" or "0" (failed). */
export interface HistoryFilters {
  text: string;
  method: string;
  status: string;
  host: string;
}

export function emptyFilters(): HistoryFilters {
  return { text: "", method: "", status: "", host: "" };
}

const blank = (s: string): string | null => (s.trim() === "" ? null : s.trim());

/** The `history_list` argument for one page: `beforeId` is the last id already shown. */
export function buildFilter(f: HistoryFilters, beforeId: number | null = null, limit = PAGE_SIZE): HistoryFilter {
  const status = f.status.trim();
  return {
    beforeId,
    limit,
    method: blank(f.method)?.toUpperCase() ?? null,
    statusClass: /^[0-5]$/.test(status) ? Number(status) : null,
    host: blank(f.host)?.toLowerCase() ?? null,
    collection: null,
    text: blank(f.text),
  };
}

/**
 * Appends a page to the rows shown, newest first, dropping ids already there. A page shorter
 * than the limit means the end of the history was reached.
 */
export function mergePage(
  shown: ReadonlyArray<HistoryRow>,
  page: ReadonlyArray<HistoryRow>,
  limit = PAGE_SIZE,
): { rows: HistoryRow[]; done: boolean } {
  const seen = new Set(shown.map((r) => r.id));
  const rows = [...shown, ...page.filter((r) => !seen.has(r.id))];
  rows.sort((a, b) => b.id - a.id);
  return { rows, done: page.length < limit };
}

/** The id to page from: the oldest row shown. */
export function nextCursor(rows: ReadonlyArray<HistoryRow>): number | null {
  return rows.length === 0 ? null : rows[rows.length - 1].id;
}

/** "just now", "5s ago", "3m ago", "2h ago", "yesterday", "4d ago", then a date. */
export function relativeTime(atMs: number, nowMs: number): string {
  const s = Math.floor((nowMs - atMs) / 1000);
  if (s < 5) return "just now";
  if (s < 60) return `${s}s ago`;
  const m = Math.floor(s / 60);
  if (m < 60) return `${m}m ago`;
  const h = Math.floor(m / 60);
  if (h < 24) return `${h}h ago`;
  const d = Math.floor(h / 24);
  if (d === 1) return "yesterday";
  if (d < 7) return `${d}d ago`;
  const date = new Date(atMs);
  const sameYear = date.getFullYear() === new Date(nowMs).getFullYear();
  return date.toLocaleDateString(undefined, sameYear ? { month: "short", day: "numeric" } : { year: "numeric", month: "short", day: "numeric" });
}

/** Host and path (with query) of a URL, for a row; the URL itself when it does not parse. */
export function hostPath(url: string): string {
  try {
    const u = new URL(url);
    const path = u.pathname === "/" && u.search === "" ? "" : u.pathname;
    return `${u.host}${path}${u.search}`;
  } catch {
    return url;
  }
}

/** The status column: the code, or the error code of a send that got no response. */
export function statusLabel(row: Pick<HistoryRow, "status" | "errorCode">): string {
  if (row.status !== null) return String(row.status);
  return row.errorCode ?? "—";
}

/** CSS class for the status: the response class, or "failed". */
export function statusTone(row: Pick<HistoryRow, "status" | "errorCode">): string {
  const s = row.status;
  if (s === null) return "failed";
  if (s < 200) return "info";
  if (s < 300) return "success";
  if (s < 400) return "redirect";
  if (s < 500) return "client";
  return "server";
}

function header(entry: HistoryEntry, name: string): string | null {
  const h = entry.requestHeaders.find((x) => x.name.toLowerCase() === name);
  return h ? h.value : null;
}

/** The recorded request body as the composer's body draft, its kind read from Content-Type. */
export function bodyFromEntry(entry: HistoryEntry, newId: () => string): BodyDraft {
  const d = emptyBodyDraft();
  const text = entry.requestBody;
  if (text === null) return d;
  const type = (header(entry, "content-type") ?? "").toLowerCase();
  if (type.startsWith("application/x-www-form-urlencoded")) {
    d.kind = "form";
    d.form = [...new URLSearchParams(text)].map(([name, value]) => ({ id: newId(), name, value, enabled: true }));
  } else if (type.startsWith("application/json") || (type === "" && /^\s*[[{]/.test(text))) {
    d.kind = "json";
    d.json = text;
  } else {
    d.kind = "text";
    d.text = { contentType: type === "" ? "text/plain" : (header(entry, "content-type") ?? "text/plain"), text };
  }
  return d;
}

/** The recorded request as a composer state (settings back to their defaults). */
export function composerFromEntry(entry: HistoryEntry, newId: () => string): ComposerState {
  const params: ParamRow[] = urlToParams(entry.url).params.map((p) => ({
    id: newId(),
    name: p.name,
    value: p.value,
    enabled: true,
    bare: p.bare,
  }));
  const body = bodyFromEntry(entry, newId);
  // The body kind sets Content-Type itself: a recorded one that matches it is not repeated.
  const implied = body.kind === "json" ? "application/json" : body.kind === "form" ? "application/x-www-form-urlencoded" : null;
  const headers: ParamRow[] = entry.requestHeaders
    .filter((h) => !(h.name.toLowerCase() === "content-type" && (implied !== null ? h.value.toLowerCase().startsWith(implied) : body.kind === "text")))
    .map((h) => ({ id: newId(), name: h.name, value: h.value, enabled: true }));
  return {
    method: entry.method,
    url: paramsToUrl(entry.url, params),
    params,
    headers,
    body,
    settings: defaultSettingsDraft(),
  };
}

/** What replaces a secret the history did not keep (the Rust side's `MASK`). */
export const MASK = "•••";

/** A recorded entry reopened: the composer, the saved request's other parts, and the file it was sent from. */
export interface Reopened {
  composer: ComposerState;
  parts: Partial<Omit<SavedRequest, "request">>;
  /** The collection file it was sent from: a re-send resolves in that collection. */
  origin: string | null;
}

/**
 * The entry's request to reopen: as the user wrote it (templates, auth, variables) when the entry
 * kept it; else, for entries recorded before, the masked as-sent copy.
 */
export function reopenEntry(entry: HistoryEntry, newId: () => string): Reopened {
  const w = entry.written;
  if (w === null) return { composer: composerFromEntry(entry, newId), parts: {}, origin: null };
  const { request, ...parts } = w.saved;
  return { composer: composerFromRequest(request, newId), parts, origin: w.path };
}

/**
 * The fields of `saved` that still hold the mask, where a secret was not kept: each must be typed
 * in again before the request can be sent. Names read "Bearer token", "header X-API-Key", ...
 */
export function secretsNotKept(saved: SavedRequest): string[] {
  const has = (text: string | null | undefined) => (text ?? "").includes(MASK);
  const out: string[] = [];
  const a = saved.auth;
  if (a.kind === "basic" && has(a.password)) out.push("Basic auth password");
  if (a.kind === "bearer" && has(a.token)) out.push("Bearer token");
  if (a.kind === "apiKey" && has(a.value)) out.push(`API key ${a.name}`);
  if (a.kind === "digest" && has(a.password)) out.push("Digest password");
  if (a.kind === "awsSigV4" && has(a.secretKey)) out.push("AWS secret key");
  if (a.kind === "awsSigV4" && has(a.sessionToken)) out.push("AWS session token");
  const r = saved.request;
  if (has(r.url)) out.push("URL");
  for (const q of r.query) if (q.enabled && has(q.value)) out.push(`parameter ${q.name}`);
  for (const h of r.headers) if (h.enabled && has(h.value)) out.push(`header ${h.name}`);
  const b = r.body;
  if ((b.kind === "json" || b.kind === "text") && has(b.text)) out.push("body");
  if (b.kind === "form") for (const f of b.fields) if (f.enabled && has(f.value)) out.push(`form field ${f.name}`);
  if (b.kind === "multipart") for (const p of b.parts) if (p.enabled && p.value.kind === "text" && has(p.value.text)) out.push(`part ${p.name}`);
  for (const v of saved.variables) if (v.enabled && has(v.value)) out.push(`variable ${v.name}`);
  return out;
}

/**
 * A response object the response pane can show for a recorded entry. Its body is read from the
 * stored file when `responseId` is set, else the recorded text is shown (`recordedText`).
 */
export function responseFromEntry(entry: HistoryEntry): { response: HttpResponse; recordedText: string | null } {
  const contentType = entry.responseHeaders.find((h) => h.name.toLowerCase() === "content-type")?.value ?? null;
  const recordedText = entry.responseId === null ? (entry.responseBodyText ?? "") : null;
  const size = entry.responseId === null ? new TextEncoder().encode(recordedText ?? "").length : entry.bodySize;
  const timings = entry.timings ?? {
    dnsMs: null,
    connectMs: null,
    tlsMs: null,
    tlsInConnect: false,
    waitMs: entry.durationMs,
    ttfbMs: entry.durationMs,
    downloadMs: 0,
    totalMs: entry.durationMs,
    reusedConnection: false,
  };
  return {
    recordedText,
    response: {
      id: entry.responseId ?? `history-${entry.id}`,
      url: entry.url,
      method: entry.method,
      status: entry.status ?? 0,
      reason: "",
      httpVersion: "",
      headers: entry.responseHeaders,
      remoteAddr: null,
      timings,
      sizes: { headersBytes: 0, bodyWireBytes: entry.bodySize, bodyDecodedBytes: entry.bodySize },
      body: { contentType, contentEncoding: null, size, partial: entry.errorCode !== null },
      redirects: [],
      authHeaders: [],
      cookies: [],
      error: entry.errorCode === null ? null : { code: entry.errorCode as ErrorCode, message: entry.errorMessage ?? "" },
    },
  };
}
