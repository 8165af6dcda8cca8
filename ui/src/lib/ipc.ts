// The only module that talks to the Rust side. Every call rejects with an `ApiError`.

import { Channel, invoke } from "@tauri-apps/api/core";
import { open } from "@tauri-apps/plugin-dialog";

import type { ApiError } from "./bindings/ApiError";
import type { CookieInfo } from "./bindings/CookieInfo";
import type { HistoryEntry } from "./bindings/HistoryEntry";
import type { HistoryFilter } from "./bindings/HistoryFilter";
import type { HistoryPruned } from "./bindings/HistoryPruned";
import type { HistoryRetention } from "./bindings/HistoryRetention";
import type { HistoryRow } from "./bindings/HistoryRow";
import type { HttpResponse } from "./bindings/HttpResponse";
import type { OperationPayload } from "./bindings/openapi/OperationPayload";
import type { SchemaPayload } from "./bindings/openapi/SchemaPayload";
import type { RequestSettings } from "./bindings/RequestSettings";
import type { SpecOverview } from "./bindings/openapi/SpecOverview";
import type { SpecReload } from "./bindings/openapi/SpecReload";
import type { TryItRequest } from "./bindings/openapi/TryItRequest";
import type { SavedRequest } from "./bindings/SavedRequest";
import type { SendContext } from "./bindings/SendContext";
import type { SendEvent } from "./bindings/SendEvent";
import { normaliseError } from "./errors";

export { normaliseError };
export type { ApiError };

/** The largest window `read_body` hands out in one call. */
export const MAX_READ_WINDOW = 1024 * 1024;

async function call<T>(cmd: string, args?: Record<string, unknown>): Promise<T> {
  try {
    return await invoke<T>(cmd, args);
  } catch (e) {
    throw normaliseError(e);
  }
}

export function newRequestId(): string {
  if (typeof crypto !== "undefined" && typeof crypto.randomUUID === "function") return crypto.randomUUID();
  // Fallback for old webviews: random v4-shaped id.
  const b = new Uint8Array(16);
  crypto.getRandomValues(b);
  b[6] = (b[6] & 0x0f) | 0x40;
  b[8] = (b[8] & 0x3f) | 0x80;
  const h = Array.from(b, (x) => x.toString(16).padStart(2, "0")).join("");
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
}

/**
 * Sends a request: in its collection `context` (templated, inherited settings, captures), or as
 * composed when `context` is null (no workspace). `requestId` reaches `cancelRequest` at once.
 * Resolves with the response (which may still carry `error` when the body was cut short); rejects
 * with an `ApiError` when no response head arrived.
 */
export function send(
  requestId: string,
  request: SavedRequest,
  context: SendContext | null,
  onEvent: (event: SendEvent) => void,
): Promise<HttpResponse> {
  const channel = new Channel<SendEvent>();
  channel.onmessage = onEvent;
  return call<HttpResponse>("send", { requestId, request, context, onEvent: channel });
}

export function cancelRequest(requestId: string): Promise<boolean> {
  return call<boolean>("cancel_request", { requestId });
}

function toBytes(raw: unknown): Uint8Array {
  if (raw instanceof ArrayBuffer) return new Uint8Array(raw);
  if (ArrayBuffer.isView(raw)) return new Uint8Array(raw.buffer, raw.byteOffset, raw.byteLength);
  if (Array.isArray(raw)) return Uint8Array.from(raw as number[]);
  throw { code: "Internal", message: "read_body returned something other than bytes" } satisfies ApiError;
}

/** Reads `length` bytes (at most 1 MiB) of a stored response body from `offset`. */
export async function readBody(responseId: string, offset: number, length: number): Promise<Uint8Array> {
  const raw = await call<unknown>("read_body", {
    responseId,
    offset,
    length: Math.min(length, MAX_READ_WINDOW),
  });
  return toBytes(raw);
}

export function listCookies(): Promise<CookieInfo[]> {
  return call<CookieInfo[]>("list_cookies");
}

export function clearCookies(): Promise<null> {
  return call<null>("clear_cookies");
}

/** Opens the system file picker; resolves with the chosen path, or null when cancelled. */
export async function pickFile(title: string): Promise<string | null> {
  try {
    const picked = await open({ title, multiple: false, directory: false });
    if (picked === null || picked === undefined) return null;
    return Array.isArray(picked) ? (picked[0] ?? null) : String(picked);
  } catch (e) {
    throw normaliseError(e);
  }
}

/** Opens the system file picker for an OpenAPI / Swagger document. */
export async function pickSpecFile(): Promise<string | null> {
  try {
    const picked = await open({
      title: "Import OpenAPI",
      multiple: false,
      directory: false,
      filters: [{ name: "OpenAPI / Swagger", extensions: ["json", "yaml", "yml"] }],
    });
    if (picked === null || picked === undefined) return null;
    return Array.isArray(picked) ? (picked[0] ?? null) : String(picked);
  } catch (e) {
    throw normaliseError(e);
  }
}

// ---- OpenAPI explorer ----

/**
 * Imports a spec from an http(s) URL (fetched by the engine with `settings`, kept for reloads),
 * a file path or pasted text. A URL is fetched as `fetchId`: `cancelRequest(fetchId)` stops it.
 */
export function openSpec(source: string, settings?: RequestSettings, fetchId?: string): Promise<SpecOverview> {
  return call<SpecOverview>("open_spec", { source, settings: settings ?? null, fetchId: fetchId ?? null });
}

/**
 * The whole overview of an opened spec (warnings included), once its model is built: `openSpec`
 * answers with an outline (`complete: false`) as soon as the document is parsed.
 */
export function specOverview(specId: string): Promise<SpecOverview> {
  return call<SpecOverview>("spec_overview", { specId });
}

/** Re-imports a spec from its source under the same id; the new overview and what changed. */
export function reloadSpec(specId: string): Promise<SpecReload> {
  return call<SpecReload>("reload_spec", { specId });
}

/**
 * One operation of an imported spec, with parameters, body, responses and security; schema nodes
 * used more than once are in the payload's table (see `explorer/shared.ts`).
 */
export function specOperation(specId: string, operationId: string): Promise<OperationPayload> {
  return call<OperationPayload>("spec_operation", { specId, operationId });
}

/** One component schema of an imported spec, shared nodes as in `specOperation`. */
export function specSchema(specId: string, name: string): Promise<SchemaPayload> {
  return call<SchemaPayload>("spec_schema", { specId, name });
}

/** A request for the operation prefilled from examples; `serverUrl` null means the spec's first server. */
export function tryOperation(specId: string, operationId: string, serverUrl: string | null): Promise<TryItRequest> {
  return call<TryItRequest>("try_operation", { specId, operationId, serverUrl });
}

// ---- Request history ----

/** A page of the history, newest first (keyset paging: pass the last id shown as `beforeId`). */
export function historyList(filter: HistoryFilter): Promise<HistoryRow[]> {
  return call<HistoryRow[]>("history_list", { filter });
}

/** Everything recorded for one entry. */
export function historyGet(id: number): Promise<HistoryEntry> {
  return call<HistoryEntry>("history_get", { id });
}

/** Deletes the oldest entries until every limit set holds. */
export function historyPrune(retention: HistoryRetention): Promise<HistoryPruned> {
  return call<HistoryPruned>("history_prune", { retention });
}
