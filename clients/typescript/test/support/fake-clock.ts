import type { Timers } from '../../src/timers.js';

/** Lets pending promise callbacks and I/O-free work run (no real time passes that a test depends on). */
export async function flush(rounds = 8): Promise<void> {
  for (let i = 0; i < rounds; i++) await new Promise<void>((resolve) => setImmediate(resolve));
}

/** Timers driven by the test: `advance` runs what falls due, in order. */
export class FakeClock implements Timers {
  private time = 1_700_000_000_000;
  private nextId = 0;
  private readonly tasks = new Map<number, { at: number; fn: () => void }>();

  readonly now = (): number => this.time;

  setTimeout(fn: () => void, ms: number): unknown {
    const id = ++this.nextId;
    this.tasks.set(id, { at: this.time + Math.max(0, ms), fn });
    return id;
  }

  clearTimeout(handle: unknown): void {
    this.tasks.delete(handle as number);
  }

  /** Delays of the timers that are pending, from now. */
  pendingDelays(): number[] {
    return [...this.tasks.values()].map((t) => t.at - this.time).sort((a, b) => a - b);
  }

  async advance(ms: number): Promise<void> {
    const end = this.time + ms;
    await flush();
    for (;;) {
      let next: [number, { at: number; fn: () => void }] | undefined;
      for (const entry of this.tasks) if (entry[1].at <= end && (!next || entry[1].at < next[1].at)) next = entry;
      if (!next) break;
      this.tasks.delete(next[0]);
      this.time = next[1].at;
      next[1].fn();
      await flush();
    }
    this.time = end;
    await flush();
  }
}
