// The whole of a stored body as text, for Copy: read window by window, refused above the copy
// budget before anything is read.

import type { ApiError } from "../../lib/bindings/ApiError";
import { COPY_LIMIT } from "../../lib/clipboard";
import { formatBytes } from "./format";
import { MAX_READ_WINDOW, readBody } from "./api";

/** Why a body of `size` bytes cannot be copied, or null when it can. */
export function copyRefusal(size: number): ApiError | null {
  if (size <= COPY_LIMIT) return null;
  return {
    code: "TooLarge",
    message: `The body is ${formatBytes(size)}; Copy takes at most ${formatBytes(COPY_LIMIT)}. Use Save to file instead.`,
  };
}

/** Reads the stored body `responseId` (`size` bytes) whole and decodes it as UTF-8. */
export async function readBodyText(responseId: string, size: number): Promise<string> {
  const refusal = copyRefusal(size);
  if (refusal) throw refusal;
  const decoder = new TextDecoder("utf-8", { fatal: false });
  let text = "";
  let at = 0;
  while (at < size) {
    const chunk = await readBody(responseId, at, Math.min(MAX_READ_WINDOW, size - at));
    if (chunk.length === 0) break;
    at += chunk.length;
    text += decoder.decode(chunk, { stream: at < size });
  }
  return text + decoder.decode();
}

/** A file name to offer for a body: the URL's last segment, else "response", with an extension from its type. */
export function suggestedFileName(url: string, contentType: string | null): string {
  let name = "";
  try {
    const last = new URL(url).pathname.split("/").filter(Boolean).pop() ?? "";
    name = decodeURIComponent(last).replace(/[^\w.-]+/g, "_");
  } catch {
    name = "";
  }
  if (name === "") name = "response";
  if (/\.\w{1,5}$/.test(name)) return name;
  const t = (contentType ?? "").split(";")[0].trim().toLowerCase();
  const ext = t.endsWith("json") ? "json" : t === "text/csv" ? "csv" : t.endsWith("xml") ? "xml" : t === "text/html" ? "html" : t.startsWith("text/") ? "txt" : t.startsWith("image/") ? t.slice(6).replace("svg+xml", "svg") : "bin";
  return `${name}.${ext}`;
}
