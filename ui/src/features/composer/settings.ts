// The Settings tab's form state (numbers as typed) and its conversion to `RequestSettings`.

import type { HttpVersionPref } from "../../lib/bindings/HttpVersionPref";
import type { RequestSettings } from "../../lib/bindings/RequestSettings";
import type { SseReconnect } from "../../lib/bindings/SseReconnect";

export interface SettingsDraft {
  connectTimeoutMs: string;
  timeoutMs: string;
  followRedirects: boolean;
  maxRedirects: string;
  verifyTls: boolean;
  httpVersion: HttpVersionPref;
  proxyKind: "none" | "system" | "url";
  proxyUrl: string;
  proxyLoopback: boolean;
  resendFilesCrossOrigin: boolean;
  /** Re-send an event stream with Last-Event-ID when it drops (or ends). */
  sseReconnect: SseReconnect;
  sseReconnectAttempts: string;
}

export const DEFAULT_CONNECT_TIMEOUT_MS = 30_000;
export const DEFAULT_MAX_REDIRECTS = 10;
export const DEFAULT_SSE_RECONNECT_ATTEMPTS = 5;

export function defaultSettingsDraft(): SettingsDraft {
  return {
    connectTimeoutMs: String(DEFAULT_CONNECT_TIMEOUT_MS),
    timeoutMs: "",
    followRedirects: true,
    maxRedirects: String(DEFAULT_MAX_REDIRECTS),
    verifyTls: true,
    httpVersion: "auto",
    proxyKind: "none",
    proxyUrl: "",
    proxyLoopback: false,
    resendFilesCrossOrigin: false,
    sseReconnect: "off",
    sseReconnectAttempts: String(DEFAULT_SSE_RECONNECT_ATTEMPTS),
  };
}

const U32_MAX = 4_294_967_295;

/** A whole number of milliseconds, `null` when empty; `undefined` when it is not a number. */
export function parseMs(s: string): number | null | undefined {
  const t = s.trim().replace(/[_\s]/g, "");
  if (t === "") return null;
  if (!/^\d+$/.test(t)) return undefined;
  const n = Number(t);
  return n > U32_MAX ? U32_MAX : n;
}

/** Messages for fields that cannot be used, by field name. */
export function settingsProblems(d: SettingsDraft): Partial<Record<keyof SettingsDraft, string>> {
  const out: Partial<Record<keyof SettingsDraft, string>> = {};
  if (parseMs(d.connectTimeoutMs) === undefined) out.connectTimeoutMs = "Whole milliseconds, or empty for no limit";
  if (parseMs(d.timeoutMs) === undefined) out.timeoutMs = "Whole milliseconds, or empty for no limit";
  const hops = parseMs(d.maxRedirects);
  if (hops === undefined) out.maxRedirects = "A whole number";
  if (parseMs(d.sseReconnectAttempts ?? "") === undefined) out.sseReconnectAttempts = "A whole number";
  if (d.proxyKind === "url" && d.proxyUrl.trim() === "") out.proxyUrl = "Enter the proxy's URL";
  return out;
}

export function toRequestSettings(d: SettingsDraft): RequestSettings {
  const connect = parseMs(d.connectTimeoutMs);
  const total = parseMs(d.timeoutMs);
  const hops = parseMs(d.maxRedirects);
  const attempts = parseMs(d.sseReconnectAttempts ?? "");
  return {
    connectTimeoutMs: connect === undefined ? DEFAULT_CONNECT_TIMEOUT_MS : connect,
    timeoutMs: total === undefined ? null : total,
    followRedirects: d.followRedirects,
    maxRedirects: hops === undefined || hops === null ? DEFAULT_MAX_REDIRECTS : hops,
    verifyTls: d.verifyTls,
    httpVersion: d.httpVersion,
    proxy:
      d.proxyKind === "url"
        ? { kind: "url", url: d.proxyUrl.trim() }
        : d.proxyKind === "system"
          ? { kind: "system" }
          : { kind: "none" },
    proxyLoopback: d.proxyLoopback,
    resendFilesCrossOrigin: d.resendFilesCrossOrigin,
    // A draft kept from before these settings existed has neither.
    sseReconnect: d.sseReconnect ?? "off",
    sseReconnectAttempts: attempts === undefined || attempts === null ? DEFAULT_SSE_RECONNECT_ATTEMPTS : attempts,
  };
}

/** Settings that differ from the defaults, for a hint on the tab. */
export function changedSettingsCount(d: SettingsDraft): number {
  const def = defaultSettingsDraft();
  let n = 0;
  for (const k of Object.keys(def) as (keyof SettingsDraft)[]) {
    if (k === "proxyUrl" && d.proxyKind !== "url") continue;
    if (String(d[k] ?? def[k]).trim() !== String(def[k])) n++;
  }
  return n;
}

/** The form state for settings that came from elsewhere (a Try it request, say). */
export function fromRequestSettings(s: RequestSettings): SettingsDraft {
  const proxy = s.proxy ?? { kind: "none" };
  return {
    connectTimeoutMs: s.connectTimeoutMs == null ? "" : String(s.connectTimeoutMs),
    timeoutMs: s.timeoutMs == null ? "" : String(s.timeoutMs),
    followRedirects: s.followRedirects ?? true,
    maxRedirects: String(s.maxRedirects ?? DEFAULT_MAX_REDIRECTS),
    verifyTls: s.verifyTls ?? true,
    httpVersion: s.httpVersion ?? "auto",
    proxyKind: proxy.kind,
    proxyUrl: proxy.kind === "url" ? proxy.url : "",
    proxyLoopback: s.proxyLoopback ?? false,
    resendFilesCrossOrigin: s.resendFilesCrossOrigin ?? false,
    sseReconnect: s.sseReconnect ?? "off",
    sseReconnectAttempts: String(s.sseReconnectAttempts ?? DEFAULT_SSE_RECONNECT_ATTEMPTS),
  };
}
