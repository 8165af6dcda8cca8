import { describe, expect, it } from "vitest";

import type { ResponseHead } from "../../lib/bindings/ResponseHead";
import { applyEvent, progressOf, type Sending } from "./exchange";

const start: Sending = { kind: "sending", requestId: "r", startedAt: 0, status: null, received: 0, expected: null, redirects: 0 };
const head: ResponseHead = {
  bodyId: "b1",
  url: "http://127.0.0.1/x",
  status: 200,
  reason: "OK",
  httpVersion: "HTTP/1.1",
  headers: [{ name: "content-length", value: "1000" }],
  contentType: "text/plain",
  expected: 1000,
  elapsedMs: 100,
};

describe("a send in flight", () => {
  it("keeps the head and measures rate, percentage and time left from body events", () => {
    let x = applyEvent(start, { event: "head", head });
    expect(x.head?.bodyId).toBe("b1");
    expect(x.status).toBe(200);
    expect(x.expected).toBe(1000);
    expect(progressOf(x)).toEqual({ received: 0, rate: null, percent: 0, etaMs: null });
    x = applyEvent(x, { event: "body", received: 250, expected: 1000, elapsedMs: 600 });
    const p = progressOf(x);
    expect(p.rate).toBe(500);
    expect(p.percent).toBe(25);
    expect(p.etaMs).toBe(1500);
  });

  it("has no percentage without a length, or once a decoded body outgrows it", () => {
    let x = applyEvent(start, { event: "head", head: { ...head, expected: null } });
    x = applyEvent(x, { event: "body", received: 500, expected: null, elapsedMs: 1100 });
    expect(progressOf(x)).toEqual({ received: 500, rate: 500, percent: null, etaMs: null });
    x = applyEvent(x, { event: "body", received: 5000, expected: 1000, elapsedMs: 1100 });
    expect(progressOf(x).percent).toBeNull();
  });

  it("forgets the head of a redirect hop", () => {
    const x = applyEvent(applyEvent(start, { event: "head", head }), { event: "redirect", hop: {} as never });
    expect(x.head).toBeNull();
    expect(x.redirects).toBe(1);
  });
});
