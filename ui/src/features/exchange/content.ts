// Deciding how to show a response body, and turning its bytes into displayable text.

import { isCsvType } from "./csv";

/** Pretty-printing is skipped above this much text so the window never stalls. */
export const PRETTY_LIMIT_CHARS = 16 * 1024 * 1024;
/** Raw mode cuts lines longer than this for display. */
export const LONG_LINE_LIMIT = 10_000;

export type BodyMode = "pretty" | "raw" | "hex" | "preview" | "table";

export function mediaType(contentType: string | null | undefined): string {
  return (contentType ?? "").split(";")[0].trim().toLowerCase();
}

export function isJsonType(contentType: string | null | undefined): boolean {
  const t = mediaType(contentType);
  return t === "application/json" || t.endsWith("+json") || t === "text/json";
}

export function isImageType(contentType: string | null | undefined): boolean {
  return mediaType(contentType).startsWith("image/");
}

export function isTextType(contentType: string | null | undefined): boolean {
  const t = mediaType(contentType);
  if (t === "") return false;
  if (t.startsWith("text/")) return true;
  if (isJsonType(t)) return true;
  if (t.endsWith("+xml") || t === "application/xml") return true;
  return [
    "application/javascript",
    "application/ecmascript",
    "application/x-javascript",
    "application/x-www-form-urlencoded",
    "application/graphql",
    "application/yaml",
    "application/x-yaml",
    "application/toml",
    "application/x-ndjson",
    "application/problem+json",
    "image/svg+xml",
  ].includes(t);
}

/** True when the bytes look binary: a NUL byte, or many control characters, in the first 8 KiB. */
export function looksBinary(bytes: Uint8Array): boolean {
  const n = Math.min(bytes.length, 8192);
  if (n === 0) return false;
  let control = 0;
  for (let i = 0; i < n; i++) {
    const b = bytes[i];
    if (b === 0) return true;
    if (b < 9 || (b > 13 && b < 32) || b === 127) control++;
  }
  return control / n > 0.1;
}

/** The mode a body opens in. */
export function defaultMode(contentType: string | null | undefined, firstBytes: Uint8Array): BodyMode {
  if (isImageType(contentType) && mediaType(contentType) !== "image/svg+xml") return "preview";
  if (isJsonType(contentType)) return "pretty";
  if (isCsvType(contentType)) return "table";
  if (isTextType(contentType)) return "pretty";
  if (looksBinary(firstBytes)) return "hex";
  return "pretty";
}

/**
 * Cuts every line longer than `limit` characters to `limit` and adds a marker saying how much was
 * hidden. Returns the text unchanged (same string) when no line is too long.
 */
export function truncateLongLines(text: string, limit = LONG_LINE_LIMIT): { text: string; truncatedLines: number } {
  if (text.length <= limit) return { text, truncatedLines: 0 };
  let out = "";
  let truncated = 0;
  let start = 0;
  let last = 0;
  while (start <= text.length) {
    let end = text.indexOf("\n", start);
    if (end < 0) end = text.length;
    if (end - start > limit) {
      out += text.slice(last, start + limit) + ` … [${(end - start - limit).toLocaleString("en-US")} more characters on this line]`;
      last = end;
      truncated++;
    }
    start = end + 1;
  }
  if (truncated === 0) return { text, truncatedLines: 0 };
  out += text.slice(last);
  return { text: out, truncatedLines: truncated };
}
