import type { Timers } from './timers.js';

/** Multiple of the heartbeat interval after which a silent connection counts as dead (docs: server pings each interval). */
export const LIVENESS_FACTOR = 2.5;

/**
 * Declares a connection dead when nothing at all arrived for 2.5 heartbeat intervals: the gateway sends a JSON
 * `ping` every interval, so silence means a half-open TCP connection the browser may never notice.
 */
export class Liveness {
  private timer: unknown;
  private limitMs = 0;

  constructor(private readonly timers: Timers, private readonly onDead: () => void) {}

  start(heartbeatIntervalMs: number): void {
    this.limitMs = heartbeatIntervalMs * LIVENESS_FACTOR;
    this.touch();
  }

  /** Something arrived. */
  touch(): void {
    if (this.limitMs <= 0) return;
    this.clear();
    this.timer = this.timers.setTimeout(() => {
      this.timer = undefined;
      this.limitMs = 0;
      this.onDead();
    }, this.limitMs);
  }

  stop(): void {
    this.clear();
    this.limitMs = 0;
  }

  private clear(): void {
    if (this.timer !== undefined) this.timers.clearTimeout(this.timer);
    this.timer = undefined;
  }
}
