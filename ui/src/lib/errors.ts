// Every failure the UI shows is an `ApiError`: `{ code, message }`.

import type { ApiError } from "./bindings/ApiError";
import type { ErrorCode } from "./bindings/ErrorCode";

const KNOWN_CODES: ReadonlySet<string> = new Set<ErrorCode>([
  "InvalidUrl",
  "InvalidRequest",
  "Dns",
  "Connect",
  "Tls",
  "Timeout",
  "Cancelled",
  "TooManyRedirects",
  "BodyRead",
  "Protocol",
  "Decode",
  "Io",
  "InvalidSpec",
  "NotFound",
  "UndefinedVariable",
  "Conflict",
  "InvalidFile",
  "TooLarge",
  "FileNotAllowed",
  "Internal",
]);

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null;
}

/**
 * Turns whatever an IPC call rejected with into an `ApiError`. A well-formed `{code, message}`
 * passes through (codes this build does not know yet are kept as sent, so newer backends still
 * show their own code); a string, an `Error` or anything else becomes an `Internal` error.
 */
export function normaliseError(e: unknown): ApiError {
  if (isRecord(e) && typeof e.code === "string" && e.code !== "") {
    const message = typeof e.message === "string" ? e.message : e.message === undefined ? "" : String(e.message);
    return { code: e.code as ErrorCode, message };
  }
  if (typeof e === "string") {
    // A JSON-encoded ApiError arrives as a string from some hosts.
    const t = e.trim();
    if (t.startsWith("{")) {
      try {
        const parsed: unknown = JSON.parse(t);
        if (isRecord(parsed) && typeof parsed.code === "string") return normaliseError(parsed);
      } catch {
        /* not JSON: fall through */
      }
    }
    return { code: "Internal", message: e || "Unknown error" };
  }
  if (e instanceof Error) return { code: "Internal", message: e.message || e.name };
  if (isRecord(e) && typeof e.message === "string") return { code: "Internal", message: e.message };
  if (e === undefined || e === null) return { code: "Internal", message: "Unknown error" };
  try {
    return { code: "Internal", message: JSON.stringify(e) };
  } catch {
    return { code: "Internal", message: String(e) };
  }
}

export function isKnownCode(code: string): code is ErrorCode {
  return KNOWN_CODES.has(code);
}

/** A short title and a hint for each code, shown above the message. */
export function describeError(code: string): { title: string; hint: string } {
  switch (code) {
    case "InvalidUrl":
      return { title: "Invalid URL", hint: "Check the scheme (http or https), the host and the port." };
    case "InvalidRequest":
      return { title: "Invalid request", hint: "Something in the request cannot be sent as written." };
    case "Dns":
      return { title: "Host not found", hint: "The host name did not resolve. Check the spelling or your network." };
    case "Connect":
      return { title: "Could not connect", hint: "The connection was refused or the host is unreachable. Is the server running?" };
    case "Tls":
      return { title: "TLS handshake failed", hint: "Certificate or protocol problem. For self-signed servers you can turn off TLS verification in Settings." };
    case "Timeout":
      return { title: "Timed out", hint: "Raise the timeouts in Settings if the server is just slow." };
    case "Cancelled":
      return { title: "Cancelled", hint: "The request was cancelled before a response arrived." };
    case "TooManyRedirects":
      return { title: "Too many redirects", hint: "A redirect loop, or more hops than Settings allow." };
    case "BodyRead":
      return { title: "Body cut short", hint: "The connection broke while the body was being read." };
    case "Protocol":
      return { title: "Protocol error", hint: "The server's answer was not valid HTTP." };
    case "Decode":
      return { title: "Could not decode body", hint: "The Content-Encoding of the body could not be decoded." };
    case "Io":
      return { title: "File error", hint: "A local file could not be read or written." };
    case "InvalidSpec":
      return { title: "Invalid API description", hint: "The OpenAPI or Swagger document could not be read." };
    case "NotFound":
      return { title: "Not found", hint: "The item asked for no longer exists." };
    case "FileNotAllowed":
      return { title: "File not sent without your say-so", hint: "A file reference points outside the workspace or into a hidden folder." };
    default:
      return { title: "Internal error", hint: "Something unexpected happened." };
  }
}
