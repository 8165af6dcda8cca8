// Lays the response's phase timings out as a waterfall.

import type { Timings } from "../../lib/bindings/Timings";

export interface WaterfallRow {
  key: "redirects" | "dns" | "connect" | "tls" | "wait" | "download" | "total";
  label: string;
  /** null: the phase was not measured; `note` says why. */
  ms: number | null;
  /** Where the bar starts and how wide it is, as fractions of the total. */
  start: number;
  width: number;
  note: string | null;
}

export const NOT_MEASURED = "not measured";
export const REUSED = "reused connection";
export const NO_LOOKUP = "no lookup (IP address)";
export const NO_TLS = "none (plain HTTP)";

/** True when the URL's host is an IPv4 or IPv6 literal, which needs no DNS lookup. */
export function hostIsIpLiteral(url: string): boolean {
  try {
    const host = new URL(url).hostname;
    return /^\d{1,3}(\.\d{1,3}){3}$/.test(host) || host.startsWith("[");
  } catch {
    return false;
  }
}

function frac(x: number, total: number): number {
  if (!(total > 0)) return 0;
  return Math.min(1, Math.max(0, x / total));
}

/**
 * The rows of the waterfall, in order. Phases run one after the other from the start of the final
 * exchange (the time before it went to redirects); the wait ends at the time to first byte and the
 * download follows it.
 */
export function waterfall(t: Timings, redirectCount: number, url = ""): WaterfallRow[] {
  const total = Math.max(t.totalMs, 0);
  const exchange = Math.max(t.ttfbMs, 0) + Math.max(t.downloadMs, 0);
  const exchangeStart = Math.max(0, total - exchange);
  const rows: WaterfallRow[] = [];
  const missing = (): string => (t.reusedConnection ? REUSED : NOT_MEASURED);

  if (redirectCount > 0 && exchangeStart > 0) {
    rows.push({
      key: "redirects",
      label: `Redirects (${redirectCount})`,
      ms: exchangeStart,
      start: 0,
      width: frac(exchangeStart, total),
      note: null,
    });
  }

  let cursor = exchangeStart;
  const phase = (key: WaterfallRow["key"], label: string, ms: number | null, note: string | null) => {
    if (ms === null) {
      rows.push({ key, label, ms: null, start: frac(cursor, total), width: 0, note: note ?? missing() });
      return;
    }
    rows.push({ key, label, ms, start: frac(cursor, total), width: frac(ms, total), note: null });
    cursor += ms;
  };

  const plainHttp = url.startsWith("http:");
  phase("dns", "DNS", t.dnsMs, !t.reusedConnection && hostIsIpLiteral(url) ? NO_LOOKUP : null);
  phase("connect", t.tlsInConnect ? "Connect (TCP+TLS)" : "Connect", t.connectMs, null);
  phase(
    "tls",
    "TLS",
    t.tlsMs,
    t.tlsMs === null && t.tlsInConnect && t.connectMs !== null
      ? `${NOT_MEASURED} (in Connect)`
      : t.tlsMs === null && plainHttp
        ? NO_TLS
        : null,
  );

  const ttfbAt = exchangeStart + Math.max(t.ttfbMs, 0);
  const waitStart = Math.max(exchangeStart, ttfbAt - Math.max(t.waitMs, 0));
  rows.push({
    key: "wait",
    label: "Wait (TTFB)",
    ms: t.waitMs,
    start: frac(waitStart, total),
    width: frac(Math.max(t.waitMs, 0), total),
    note: null,
  });
  rows.push({
    key: "download",
    label: "Download",
    ms: t.downloadMs,
    start: frac(ttfbAt, total),
    width: frac(Math.max(t.downloadMs, 0), total),
    note: null,
  });
  rows.push({ key: "total", label: "Total", ms: t.totalMs, start: 0, width: total > 0 ? 1 : 0, note: null });
  return rows;
}
