// Conversion between a saved request and the composer's editable state, without the checks a
// send makes: a half-typed request (no URL yet, a file not chosen) still saves and drafts.

import type { HttpRequest } from "../../lib/bindings/HttpRequest";
import type { SavedRequest } from "../../lib/bindings/SavedRequest";
import { bodyDraftFrom, encodeQueryComponent } from "../explorer/tryit";
import type { ComposerState } from "./request";
import { defaultSettingsDraft, fromRequestSettings, toRequestSettings } from "./settings";
import { paramsToUrl, urlToParams, type ParamRow } from "./url";

export function emptyRequest(): HttpRequest {
  return {
    method: "GET",
    url: "",
    query: [],
    headers: [],
    body: { kind: "none" },
    settings: toRequestSettings(defaultSettingsDraft()),
  };
}

export function emptySaved(name = "New request"): SavedRequest {
  return { name, request: emptyRequest(), auth: { kind: "inherit" }, variables: [], captures: [], docs: "" };
}

/** The composer's state for a stored request: the query rows go back into the URL bar. */
export function composerFromRequest(req: HttpRequest, newId: () => string): ComposerState {
  const inUrl: ParamRow[] = urlToParams(req.url).params.map((p) => ({ id: newId(), name: p.name, value: p.value, enabled: true, bare: p.bare }));
  const rows: ParamRow[] = (req.query ?? []).map((kv) => ({
    id: newId(),
    name: encodeQueryComponent(kv.name, true),
    value: encodeQueryComponent(kv.value),
    enabled: kv.enabled ?? true,
  }));
  const params = [...inUrl, ...rows];
  return {
    method: req.method,
    url: paramsToUrl(req.url, params),
    params,
    headers: (req.headers ?? []).map((kv) => ({ id: newId(), name: kv.name, value: kv.value, enabled: kv.enabled ?? true })),
    body: bodyDraftFrom(req.body, newId),
    settings: req.settings == null ? defaultSettingsDraft() : fromRequestSettings(req.settings),
  };
}

export { requestFromComposer } from "./request";

/** A stable fingerprint of a saved request, to tell whether a tab differs from its file. */
export function fingerprint(saved: SavedRequest): string {
  return JSON.stringify(saved);
}
