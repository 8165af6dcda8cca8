import { describe, expect, it } from "vitest";

import type { ResponseHead } from "../../lib/bindings/ResponseHead";
import { applyEvent, formatEta, progressOf, progressText, type Sending } from "./exchange";
import { formatBytes } from "./format";

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

describe("the progress line", () => {
  it("rounds bytes, rate and time left to a few significant figures", () => {
    let x = applyEvent(start, { event: "head", head: { ...head, expected: 100 * 1024 * 1024 } });
    // 20 MB in 7 s: a rate with many decimals.
    x = applyEvent(x, { event: "body", received: 20 * 1024 * 1024 + 12345, expected: 100 * 1024 * 1024, elapsedMs: 7100 });
    expect(progressText(x)).toBe("Receiving 20.0 MB of 100 MB · 2.86 MB/s · 20% · 28 s left");
    x = applyEvent(applyEvent(start, { event: "head", head: { ...head, expected: null } }), {
      event: "body",
      received: 1110,
      expected: null,
      elapsedMs: 1600,
    });
    // 1110 B in 1.5 s is 739.99... B/s.
    expect(progressText(x)).toBe("Receiving 1.08 KB · 740 B/s");
  });

  it("formats sizes and times left without long fractions", () => {
    expect(formatBytes(739.9868238932787)).toBe("740 B");
    expect(formatBytes(512)).toBe("512 B");
    expect(formatBytes(1536)).toBe("1.50 KB");
    expect(formatBytes(123.456 * 1024 * 1024)).toBe("123 MB");
    expect(formatEta(420)).toBe("0.4 s");
    expect(formatEta(12_345.6789)).toBe("12 s");
    expect(formatEta(185_400)).toBe("3 min 5 s");
  });

  it("says when an event stream was reconnected", () => {
    let x = applyEvent(start, { event: "head", head: { ...head, expected: null } });
    x = applyEvent(x, { event: "reconnect", attempt: 2, maxAttempts: 5, delayMs: 3000, lastEventId: "7", reason: "dropped" });
    expect(progressText(x)).toBe("Receiving 0 B · reconnected 2 of 5");
  });
});
