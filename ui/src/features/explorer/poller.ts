// Re-runs an async task on an interval, one run at a time: the next run is scheduled only when
// the previous one has finished, so a slow dev server never gets overlapping re-imports.

export interface Timers {
  set(fn: () => void, ms: number): unknown;
  clear(handle: unknown): void;
}

export const browserTimers: Timers = {
  set: (fn, ms) => setTimeout(fn, ms),
  clear: (handle) => clearTimeout(handle as ReturnType<typeof setTimeout>),
};

/** `task` resolves true to keep polling, false (or throws) to stop. */
export class Poller {
  private active = false;
  private handle: unknown = null;
  private inFlight = false;

  constructor(
    private readonly task: () => Promise<boolean>,
    private readonly intervalMs: number,
    private readonly timers: Timers = browserTimers,
  ) {}

  get running(): boolean {
    return this.active;
  }

  start(): void {
    if (this.active) return;
    this.active = true;
    this.schedule();
  }

  stop(): void {
    this.active = false;
    if (this.handle !== null) this.timers.clear(this.handle);
    this.handle = null;
  }

  private schedule(): void {
    if (!this.active || this.inFlight) return;
    this.handle = this.timers.set(() => void this.tick(), this.intervalMs);
  }

  private async tick(): Promise<void> {
    this.handle = null;
    if (!this.active || this.inFlight) return;
    this.inFlight = true;
    let keepGoing = false;
    try {
      keepGoing = await this.task();
    } catch {
      keepGoing = false;
    } finally {
      this.inFlight = false;
    }
    if (!keepGoing) this.active = false;
    this.schedule();
  }
}
