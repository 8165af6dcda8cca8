// Small formatting helpers shared by the response views.

export function formatBytes(n: number): string {
  if (!Number.isFinite(n) || n < 0) return "—";
  // A rate or a mean is fractional: whole bytes are enough.
  if (n < 1024) return `${Math.round(n)} B`;
  const units = ["KB", "MB", "GB", "TB"];
  let v = n / 1024;
  let i = 0;
  while (v >= 1024 && i < units.length - 1) {
    v /= 1024;
    i++;
  }
  return `${v >= 100 ? v.toFixed(0) : v >= 10 ? v.toFixed(1) : v.toFixed(2)} ${units[i]}`;
}

export function formatMs(ms: number): string {
  if (!Number.isFinite(ms) || ms < 0) return "—";
  if (ms < 1) return `${ms.toFixed(2)} ms`;
  if (ms < 10) return `${ms.toFixed(1)} ms`;
  if (ms < 1000) return `${Math.round(ms)} ms`;
  if (ms < 60_000) return `${(ms / 1000).toFixed(2)} s`;
  const m = Math.floor(ms / 60_000);
  const s = Math.round((ms % 60_000) / 1000);
  return `${m} min ${s} s`;
}

export type StatusClass = "info" | "success" | "redirect" | "client" | "server" | "unknown";

export function statusClass(status: number): StatusClass {
  if (status >= 100 && status < 200) return "info";
  if (status >= 200 && status < 300) return "success";
  if (status >= 300 && status < 400) return "redirect";
  if (status >= 400 && status < 500) return "client";
  if (status >= 500 && status < 600) return "server";
  return "unknown";
}

export function statusText(status: number, reason: string): string {
  const r = reason.trim();
  return r === "" ? String(status) : `${status} ${r}`;
}

/** "HTTP/1.1", "HTTP/2", ...: the engine may send "HTTP/2.0" or "h2"; show the usual spelling. */
export function formatHttpVersion(v: string): string {
  const t = v.trim();
  if (/^h2$/i.test(t) || /^HTTP\/2(\.0)?$/i.test(t)) return "HTTP/2";
  if (/^h3$/i.test(t) || /^HTTP\/3(\.0)?$/i.test(t)) return "HTTP/3";
  return t.toUpperCase();
}

export const METHODS = ["GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS"] as const;

/** CSS colour variable for a method's text. */
export function methodColor(method: string): string {
  switch (method.trim().toUpperCase()) {
    case "GET":
      return "var(--m-get)";
    case "POST":
      return "var(--m-post)";
    case "PUT":
      return "var(--m-put)";
    case "PATCH":
      return "var(--m-patch)";
    case "DELETE":
      return "var(--m-delete)";
    case "HEAD":
      return "var(--m-head)";
    case "OPTIONS":
      return "var(--m-options)";
    case "WS":
      return "var(--m-ws)";
    default:
      return "var(--m-custom)";
  }
}
