// Body progress is coalesced: a download's ~20 events a second reach the response area a few
// times a second, and the last figures always arrive.
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";

import type { SendEvent } from "../../lib/bindings/SendEvent";
import { Coalescer, PROGRESS_INTERVAL_MS } from "./coalesce";
import { applyEvent, progressText, type Sending } from "./exchange";

const body = (received: number, expected: number | null, elapsedMs: number): SendEvent => ({ event: "body", received, expected, elapsedMs });

describe("body progress coalescing", () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  it("publishes the first at once, then at most one per interval, always the latest", () => {
    const published: number[] = [];
    const c = new Coalescer<number>((n) => published.push(n), 100);
    c.push(1);
    expect(published).toEqual([1]);
    // Events every 50 ms for a second, as the engine's body sink sends them.
    for (let n = 2; n <= 21; n++) {
      vi.advanceTimersByTime(50);
      c.push(n);
    }
    vi.advanceTimersByTime(100);
    expect(published.length).toBeLessThanOrEqual(12);
    expect(published.length).toBeGreaterThanOrEqual(8);
    expect(published.at(-1)).toBe(21);
    // Strictly increasing: nothing older is published after something newer.
    expect(published.every((n, i) => i === 0 || n > published[i - 1])).toBe(true);
  });

  it("publishes nothing more once nothing is held, and a push after a quiet spell goes at once", () => {
    const published: number[] = [];
    const c = new Coalescer<number>((n) => published.push(n), 100);
    c.push(1);
    vi.advanceTimersByTime(1000);
    expect(published).toEqual([1]);
    c.push(2);
    expect(published).toEqual([1, 2]);
  });

  it("flush and close publish what is held at once, and close leaves no timer behind", () => {
    const published: number[] = [];
    const c = new Coalescer<number>((n) => published.push(n), 100);
    c.push(1);
    c.push(2);
    c.push(3);
    expect(published).toEqual([1]);
    c.flush();
    expect(published).toEqual([1, 3]);
    c.push(4);
    c.close();
    expect(published).toEqual([1, 3, 4]);
    expect(vi.getTimerCount()).toBe(0);
    c.close();
    expect(published).toEqual([1, 3, 4]);
  });

  it("folded into a send in flight, the final figures are exact although most events were coalesced", () => {
    let x: Sending = { kind: "sending", requestId: "r", startedAt: 0, status: null, received: 0, expected: null, redirects: 0 };
    let renders = 0;
    const c = new Coalescer<SendEvent>((e) => {
      renders++;
      x = applyEvent(x, e);
    }, PROGRESS_INTERVAL_MS);
    const total = 100 * 1024 * 1024;
    const events = 60;
    for (let i = 1; i <= events; i++) {
      vi.advanceTimersByTime(50);
      c.push(body(Math.round((total * i) / events), total, i * 50));
    }
    // The response completed: the store closes the coalescer before showing it.
    c.close();
    expect(renders).toBeLessThan(events / 2);
    expect(x.received).toBe(total);
    expect(x.elapsedMs).toBe(events * 50);
    expect(progressText(x)).toContain("Receiving 100 MB of 100 MB");
  });
});
