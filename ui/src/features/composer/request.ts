// Builds the `HttpRequest` the engine takes from the composer's state.

import type { ApiError } from "../../lib/bindings/ApiError";
import type { HttpRequest } from "../../lib/bindings/HttpRequest";
import { bodyProblem, rowsToKeyValues, toRequestBody, type BodyDraft } from "./body";
import { settingsProblems, toRequestSettings, type SettingsDraft } from "./settings";
import { queryForSend, urlForSend, type ParamRow } from "./url";

export interface ComposerState {
  method: string;
  url: string;
  params: ParamRow[];
  headers: ParamRow[];
  body: BodyDraft;
  settings: SettingsDraft;
}

export function normaliseMethod(method: string): string {
  const m = method.trim().toUpperCase();
  return m === "" ? "GET" : m;
}

/** What stops the composer's request from being sent, or null when it can be. */
export function sendProblem(state: ComposerState): ApiError | null {
  if (state.url.trim() === "") return { code: "InvalidUrl", message: "Enter a URL to send the request to." };
  const problem = bodyProblem(state.body);
  if (problem) return { code: "InvalidRequest", message: problem };
  const settings = settingsProblems(state.settings);
  const firstSettingsProblem = Object.entries(settings)[0];
  if (firstSettingsProblem) return { code: "InvalidRequest", message: `Settings: ${firstSettingsProblem[1]}.` };
  return null;
}

/** The request as it is stored: never fails, whatever state the composer is in. */
export function requestFromComposer(state: ComposerState): HttpRequest {
  return {
    method: normaliseMethod(state.method),
    url: urlForSend(state.url),
    query: queryForSend(state.params),
    headers: rowsToKeyValues(state.headers).map((h) => ({ ...h, name: h.name.trim() })),
    body: toRequestBody(state.body),
    settings: toRequestSettings(state.settings),
  };
}

/** The request to send, or the problem that stops it from being sent. */
export function buildRequest(state: ComposerState): { request: HttpRequest } | { error: ApiError } {
  const error = sendProblem(state);
  return error ? { error } : { request: requestFromComposer(state) };
}
