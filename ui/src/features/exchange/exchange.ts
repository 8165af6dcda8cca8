// What the response area shows: nothing yet, a request in flight (its head and growing body once
// they arrive), a response, or a failure.

import type { ApiError } from "../../lib/bindings/ApiError";
import type { HttpResponse } from "../../lib/bindings/HttpResponse";
import type { ResponseHead } from "../../lib/bindings/ResponseHead";
import type { SendEvent } from "../../lib/bindings/SendEvent";
import { formatBytes } from "./format";

export type Exchange =
  | { kind: "idle" }
  | {
      kind: "sending";
      requestId: string;
      startedAt: number;
      /** Status of the response head, once it arrived. */
      status: number | null;
      /** The final response's head (its body grows in the store under `head.bodyId`). */
      head?: ResponseHead | null;
      received: number;
      expected: number | null;
      /** Since the send started, as of the last body event. */
      elapsedMs?: number;
      redirects: number;
      /** The event stream's last reconnection (it ended and is sent again with Last-Event-ID). */
      reconnect?: { attempt: number; maxAttempts: number; delayMs: number; lastEventId: string | null };
    }
  /** `recordedText`: a history entry whose body file is gone shows the text it recorded. */
  | { kind: "done"; response: HttpResponse; recordedText?: string | null }
  /** `files`: for a `FileNotAllowed` refusal, the body files the user may allow and send. */
  | { kind: "error"; error: ApiError; elapsedMs: number | null; files?: string[] };

export type Sending = Extract<Exchange, { kind: "sending" }>;

/** Folds one progress event into a sending state. */
export function applyEvent(x: Sending, e: SendEvent): Sending {
  switch (e.event) {
    case "head":
      return { ...x, status: e.head.status, head: e.head, received: 0, expected: e.head.expected, elapsedMs: e.head.elapsedMs };
    case "body":
      return { ...x, received: e.received, expected: e.expected, elapsedMs: e.elapsedMs };
    case "reconnect":
      return { ...x, reconnect: { attempt: e.attempt, maxAttempts: e.maxAttempts, delayMs: e.delayMs, lastEventId: e.lastEventId } };
    case "redirect":
      return { ...x, redirects: x.redirects + 1, status: null, head: null, received: 0, expected: null };
    default:
      return x;
  }
}

export interface Progress {
  received: number;
  /** Bytes per second since the head, once there is something to measure. */
  rate: number | null;
  /** 0–100 when the length is known (and the body has not outgrown it, as a decoded one can). */
  percent: number | null;
  /** Time left at the current rate, when the length is known. */
  etaMs: number | null;
}

/** How far the body of a request in flight has come. */
export function progressOf(x: Sending): Progress {
  const since = x.head && x.elapsedMs !== undefined ? x.elapsedMs - x.head.elapsedMs : 0;
  const rate = since > 0 && x.received > 0 ? (x.received * 1000) / since : null;
  const known = x.expected !== null && x.expected > 0 && x.received <= x.expected;
  const percent = known ? (x.received / (x.expected as number)) * 100 : null;
  const etaMs = known && rate ? (((x.expected as number) - x.received) / rate) * 1000 : null;
  return { received: x.received, rate, percent, etaMs };
}

/** A time left, to about two significant figures: "0.4 s", "12 s", "3 min 5 s". */
export function formatEta(ms: number): string {
  if (!Number.isFinite(ms) || ms < 0) return "—";
  const s = ms / 1000;
  if (s < 10) return `${s.toFixed(1)} s`;
  if (s < 60) return `${Math.round(s)} s`;
  const whole = Math.round(s);
  return `${Math.floor(whole / 60)} min ${whole % 60} s`;
}

/** The progress line of a body downloading: bytes so far (of the length), rate, percentage, time left. */
export function progressText(x: Sending): string {
  const p = progressOf(x);
  const parts = [`Receiving ${formatBytes(x.received)}${x.expected !== null ? ` of ${formatBytes(x.expected)}` : ""}`];
  if (p.rate) parts.push(`${formatBytes(p.rate)}/s`);
  if (p.percent !== null) parts.push(`${Math.floor(p.percent)}%`);
  if (p.etaMs !== null) parts.push(`${formatEta(p.etaMs)} left`);
  if (x.reconnect) parts.push(`reconnected ${x.reconnect.attempt} of ${x.reconnect.maxAttempts}`);
  return parts.join(" · ");
}
