import { describe, expect, it } from "vitest";
import { Poller, type Timers } from "./poller";

/** Timers the test fires by hand. */
function manualTimers() {
  const pending: { fn: () => void; ms: number }[] = [];
  const timers: Timers = {
    set: (fn, ms) => {
      const entry = { fn, ms };
      pending.push(entry);
      return entry;
    },
    clear: (h) => {
      const i = pending.indexOf(h as { fn: () => void; ms: number });
      if (i >= 0) pending.splice(i, 1);
    },
  };
  const fire = async () => {
    const next = pending.shift();
    next?.fn();
    await new Promise((r) => setTimeout(r, 0));
  };
  return { timers, pending, fire };
}

describe("Poller", () => {
  it("runs on the interval, one run at a time", async () => {
    const t = manualTimers();
    let release: (v: boolean) => void = () => {};
    let runs = 0;
    const p = new Poller(
      () => {
        runs++;
        return new Promise<boolean>((r) => (release = r));
      },
      3000,
      t.timers,
    );
    p.start();
    expect(t.pending).toHaveLength(1);
    expect(t.pending[0].ms).toBe(3000);
    await t.fire();
    expect(runs).toBe(1);
    expect(t.pending).toHaveLength(0); // nothing scheduled while the run is in flight
    p.start(); // already running: no second timer
    expect(t.pending).toHaveLength(0);
    release(true);
    await new Promise((r) => setTimeout(r, 0));
    expect(t.pending).toHaveLength(1);
    expect(p.running).toBe(true);
  });

  it("stops when the task fails or says stop", async () => {
    const t = manualTimers();
    const p = new Poller(() => Promise.reject(new Error("refused")), 10, t.timers);
    p.start();
    await t.fire();
    expect(p.running).toBe(false);
    expect(t.pending).toHaveLength(0);

    const q = new Poller(() => Promise.resolve(false), 10, t.timers);
    q.start();
    await t.fire();
    expect(q.running).toBe(false);
    expect(t.pending).toHaveLength(0);
  });

  it("stop cancels the pending run", async () => {
    const t = manualTimers();
    let runs = 0;
    const p = new Poller(() => Promise.resolve(++runs > 0), 10, t.timers);
    p.start();
    p.stop();
    expect(t.pending).toHaveLength(0);
    expect(p.running).toBe(false);
    expect(runs).toBe(0);
  });
  it("turned off during a run, schedules nothing when the run ends", async () => {
    const t = manualTimers();
    let release: (v: boolean) => void = () => {};
    let runs = 0;
    const p = new Poller(
      () => {
        runs++;
        return new Promise<boolean>((r) => (release = r));
      },
      3000,
      t.timers,
    );
    p.start();
    await t.fire();
    p.stop();
    release(true);
    await new Promise((r) => setTimeout(r, 0));
    expect(p.running).toBe(false);
    expect(t.pending).toHaveLength(0);
    expect(runs).toBe(1);
  });

  it("turned off and on again during a run, still runs one at a time", async () => {
    const t = manualTimers();
    let release: (v: boolean) => void = () => {};
    let inFlight = 0;
    let most = 0;
    const p = new Poller(
      () => {
        inFlight++;
        most = Math.max(most, inFlight);
        return new Promise<boolean>((r) => (release = (v) => (inFlight--, r(v))));
      },
      3000,
      t.timers,
    );
    p.start();
    await t.fire();
    p.stop();
    p.start();
    expect(t.pending).toHaveLength(0); // the run in flight schedules the next one
    release(true);
    await new Promise((r) => setTimeout(r, 0));
    expect(t.pending).toHaveLength(1);
    await t.fire();
    release(true);
    await new Promise((r) => setTimeout(r, 0));
    expect(most).toBe(1);
    expect(p.running).toBe(true);
    p.stop();
  });
});
