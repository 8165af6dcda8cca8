// A Try it request (from the engine) turned into the composer's state, so that it is edited and
// sent exactly like a hand-typed request.

import type { HttpRequest } from "../../lib/bindings/HttpRequest";
import type { KeyValue } from "../../lib/bindings/KeyValue";
import type { TryItRequest } from "../../lib/bindings/openapi/TryItRequest";
import type { Variable } from "../../lib/bindings/Variable";
import { emptyBodyDraft, type BodyDraft, type PartRow } from "../composer/body";
import type { ComposerState } from "../composer/request";
import { defaultSettingsDraft, fromRequestSettings } from "../composer/settings";
import { paramsToUrl, urlToParams, type ParamRow } from "../composer/url";

/**
 * A decoded query component written the way the Params table keeps it (as typed in the URL):
 * only what would change its meaning is percent-encoded, so `queryForSend` decodes it back to
 * exactly `s`.
 */
export function encodeQueryComponent(s: string, isName = false): string {
  const re = isName ? /[%+&#= ]/g : /[%+&# ]/g;
  return s.replace(re, (c) => "%" + c.charCodeAt(0).toString(16).toUpperCase().padStart(2, "0"));
}

function rows(list: ReadonlyArray<KeyValue> | null | undefined, newId: () => string, encode: boolean): ParamRow[] {
  return (list ?? []).map((kv) => ({
    id: newId(),
    name: encode ? encodeQueryComponent(kv.name, true) : kv.name,
    value: encode ? encodeQueryComponent(kv.value) : kv.value,
    enabled: kv.enabled ?? true,
  }));
}

export function bodyDraftFrom(body: HttpRequest["body"] | null | undefined, newId: () => string): BodyDraft {
  const d = emptyBodyDraft();
  if (body == null) return d;
  switch (body.kind) {
    case "none":
      break;
    case "json":
      d.json = body.text ?? "";
      break;
    case "text":
      d.text = { contentType: body.contentType ?? "text/plain", text: body.text ?? "" };
      break;
    case "form":
      d.form = rows(body.fields, newId, false);
      break;
    case "multipart":
      d.multipart = (body.parts ?? []).map(
        (p): PartRow => ({
          id: newId(),
          name: p.name,
          enabled: p.enabled ?? true,
          type: p.value.kind,
          text: p.value.kind === "text" ? p.value.text : "",
          path: p.value.kind === "file" ? p.value.path : "",
          filename: p.value.kind === "file" ? (p.value.filename ?? "") : "",
          contentType: p.value.kind === "file" ? (p.value.contentType ?? "") : "",
        }),
      );
      break;
    case "binary":
      d.binary = { path: body.path ?? "", contentType: body.contentType ?? "" };
      break;
  }
  d.kind = body.kind;
  return d;
}

/** The composer state for a Try it request: URL with the query built from the rows, headers, body, settings. */
export function composerFromTryIt(t: TryItRequest, newId: () => string): ComposerState {
  const req = t.request;
  // The URL may carry a query of its own; its parameters come first, as the engine sends them.
  const inUrl = urlToParams(req.url).params.map((p) => ({ id: newId(), name: p.name, value: p.value, enabled: true, bare: p.bare }));
  const params = [...inUrl, ...rows(req.query, newId, true)];
  return {
    method: req.method,
    url: paramsToUrl(req.url, params),
    params,
    headers: rows(req.headers, newId, false),
    body: bodyDraftFrom(req.body, newId),
    settings: req.settings == null ? defaultSettingsDraft() : fromRequestSettings(req.settings),
  };
}

/** The composer tab worth showing after Try it: the body when there is one, else the params. */
export function tabAfterTryIt(state: ComposerState): string {
  if (state.body.kind !== "none") return "body";
  if (state.params.length > 0) return "params";
  if (state.headers.length > 0) return "headers";
  return "params";
}

/**
 * The request variables of a Try it tab: the path parameters' examples, then what the engine
 * defined so that no name from the spec is filled from the user's globals (credentials, secret
 * and empty, and any other `{{name}}` of the document's text).
 */
export function variablesFromTryIt(t: TryItRequest): Variable[] {
  const params = (t.pathParams ?? []).map(([name, value]): Variable => ({ name, value, secret: false, enabled: true }));
  return [...params, ...(t.variables ?? [])];
}
