// What the response area shows: nothing yet, a request in flight, a response, or a failure.

import type { ApiError } from "../../lib/bindings/ApiError";
import type { HttpResponse } from "../../lib/bindings/HttpResponse";
import type { SendEvent } from "../../lib/bindings/SendEvent";

export type Exchange =
  | { kind: "idle" }
  | {
      kind: "sending";
      requestId: string;
      startedAt: number;
      /** Status of the response head, once it arrived. */
      status: number | null;
      received: number;
      expected: number | null;
      redirects: number;
    }
  /** `recordedText`: a history entry whose body file is gone shows the text it recorded. */
  | { kind: "done"; response: HttpResponse; recordedText?: string | null }
  /** `files`: for a `FileNotAllowed` refusal, the body files the user may allow and send. */
  | { kind: "error"; error: ApiError; elapsedMs: number | null; files?: string[] };

/** Folds one progress event into a sending state. */
export function applyEvent(x: Extract<Exchange, { kind: "sending" }>, e: SendEvent): Extract<Exchange, { kind: "sending" }> {
  switch (e.event) {
    case "head":
      return { ...x, status: e.status, received: 0, expected: null };
    case "body":
      return { ...x, received: e.received, expected: e.expected };
    case "redirect":
      return { ...x, redirects: x.redirects + 1, status: null, received: 0, expected: null };
  }
}
